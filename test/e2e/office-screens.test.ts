// The office screens against the real read API: lookup shows the chain with the searched bag highlighted
// and "did you mean" links for a near miss; history and bags list what was scanned, filter, and offer the
// CSV export of the same filters; the dashboard, reports, audit log and profile render their data.
// Needs the read side (issue 4: lookup, lists, stats, reports, exports, audit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, baseUrl, launchBrowser, login, newContext, screenshot, tokenFor, uniqueChild, uniqueParent } from './helpers';

let browser: Browser;
let page: Page;
let parentQr: string;
let children: string[];

/** Links reach Postgres through the flush a moment after the ack: wait until the read API has them. */
async function waitForLookup(qr: string, test: (body: any) => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await apiAs('admin', 'GET', `/api/bags/${qr}`);
    if (res.status === 200 && test(res.body)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lookup of ${qr} never became ready`);
}

beforeAll(async () => {
  browser = await launchBrowser();
  parentQr = uniqueParent();
  children = [uniqueChild('K'), uniqueChild('K'), uniqueChild('K')];
  expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/open`)).status).toBe(200);
  for (const qr of children) expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/children`, { qr })).status).toBe(200);
  // A duplicate, so the history has more than one kind of result.
  expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/children`, { qr: children[0] })).status).toBe(200);
  await waitForLookup(parentQr, (b) => b.children?.length === 3);
  page = await (await newContext(browser, { width: 1280, height: 900 })).newPage();
  await login(page, 'admin');
});
afterAll(async () => {
  await browser?.close();
});

describe('office screens', () => {
  it('looks up a child: chain bill → parent → children with the child highlighted, and its history', async () => {
    await page.goto('/lookup');
    await page.getByLabel('Scan or type a QR').fill(children[1]!.toLowerCase());
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.waitForURL(new RegExp(`/lookup/${children[1]}$`));
    const card = page.getByTestId('lookup-result');
    await card.waitFor();
    expect(await card.locator('.hit').textContent()).toBe(children[1]);
    expect(await card.textContent()).toContain(parentQr);
    expect(await card.locator('.children a').count()).toBe(3);
    expect(await card.locator('.timeline').textContent()).toContain(`linked into ${parentQr}`);
    await screenshot(page, 'lookup');
  });

  it('offers "did you mean" links for a near miss and follows one', async () => {
    const nearMiss = `${parentQr.slice(0, 6)}${parentQr.endsWith('9') ? '8' : '9'}`;
    await page.goto(`/lookup/${nearMiss}`);
    const notFound = page.getByTestId('lookup-not-found');
    await notFound.waitFor();
    const suggestion = notFound.getByRole('link', { name: parentQr });
    if ((await suggestion.count()) === 0) {
      // Another parent of this run may be nearer; any suggestion must still be a working link.
      expect(await notFound.getByRole('link').count()).toBeGreaterThan(0);
      return;
    }
    await suggestion.click();
    await page.waitForURL(new RegExp(`/lookup/${parentQr}$`));
    expect(await page.getByTestId('lookup-result').locator('.hit').textContent()).toBe(parentQr);
  });

  it('lists the scans with a result filter and a CSV export of the same filters', async () => {
    await page.goto(`/history?parentQr=${parentQr}`);
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    await page.getByLabel('Result').selectOption('duplicate');
    await expect.poll(() => rows.count()).toBe(1);
    expect(page.url()).toContain('result=duplicate');
    const href = await page.getByTestId('export-csv').getAttribute('href');
    expect(href).toBe(`/api/export/scans.csv?parentQr=${parentQr}&result=duplicate`);
    const csv = await fetch(`${baseUrl()}${href}`, { headers: { authorization: `Bearer ${await tokenFor('admin')}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(children[0]);
    await screenshot(page, 'history');
  });

  it('lists bags with filters and pages through them with "Load more"', async () => {
    await page.goto(`/bags?q=${children[0]!.slice(0, 8)}&type=child`);
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody').textContent()).toContain(children[0]);
    const perPage = await apiAs<{ items: unknown[]; nextCursor: string | null }>('admin', 'GET', '/api/bags?limit=1');
    expect(perPage.body.nextCursor).not.toBeNull();
    await page.goto('/bags');
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    const before = await rows.count();
    if (before === 50) {
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => rows.count()).toBeGreaterThan(50);
    }
    await screenshot(page, 'bags');
  });

  it('shows the dashboard counters, the hourly chart and recent activity', async () => {
    await page.goto('/dashboard');
    const kpis = page.getByTestId('kpis');
    await kpis.locator('.kpi-value').first().filter({ hasNotText: '—' }).waitFor();
    await page.locator('.chart canvas').waitFor();
    await page.locator('.timeline li').first().waitFor();
    await screenshot(page, 'dashboard');
  });

  it('shows the daily report, the end-of-day summary and the bill report', async () => {
    await page.goto('/reports');
    await page.getByRole('heading', { name: /Scans per area/ }).waitFor();
    await page.getByRole('heading', { name: 'Per biller' }).waitFor();
    await page.getByRole('heading', { name: /^Bills \d/ }).waitFor();
    expect(await page.locator('section.card').first().textContent()).toContain('Lucknow');
    await screenshot(page, 'reports');
  });

  it('shows the audit log with filters', async () => {
    await page.goto('/admin/audit?action=user.create');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await page.getByLabel('Action').inputValue()).toBe('user.create');
    await page.goto('/admin/audit');
    await page.locator('table tbody tr').first().waitFor();
    await screenshot(page, 'audit');
  });

  it('shows who is signed in and the admin TOTP setup with a QR code', async () => {
    await page.goto('/me');
    expect(await page.getByTestId('me-username').textContent()).toBe('admin');
    expect(await page.locator('main').textContent()).toContain('Asia/Kolkata');
    // Setup only stores a pending secret; TOTP turns on after a verified code, so admin sign-in stays as it was.
    // It asks for the current password first: a session alone must not change the second factor.
    const totp = page.getByRole('region', { name: 'Two-factor sign-in (TOTP)' });
    await totp.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    expect(await page.getByRole('img', { name: 'QR code for your authenticator app' }).count()).toBe(0);
    await totp.getByLabel('Current password', { exact: true }).first().fill('tracetrack-dev');
    await totp.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg').waitFor();
    expect(await page.locator('.secret').textContent()).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(page, 'me');
  });
});
