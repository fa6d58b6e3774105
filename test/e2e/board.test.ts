// The supervisor's live board in a real browser: a parent filled by a dispatcher (over the API) appears as a
// tile whose count follows every scan without a reload, and turns "nearly full" at 27. The day's figures
// (opened and completed today, rejections in the last hour) are the server's, and follow the floor within
// seconds; on a phone the tiles come first; /board/wall is the same board in large type, without app chrome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext, screenshot, uniqueChild, uniqueParent } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const kpi = async (page: Page, id: string) => Number(((await page.getByTestId(id).locator('.kpi-value').textContent()) ?? '').replace(/[^\d]/g, ''));
/** The computed font size of an element, in px (the e2e tests compile without DOM types). */
const fontSize = (el: unknown) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize);
const serverStats = async () => (await apiAs<Record<string, number>>('supervisor', 'GET', '/api/stats')).body;

describe('live board', () => {
  it('shows a parent of the area as a tile with live counts and highlights it when nearly full', async () => {
    const context = await newContext(browser, { width: 1280, height: 860 });
    const page = await context.newPage();
    await login(page, 'supervisor');
    await page.goto('/board');
    await page.getByTestId('board-socket').filter({ hasText: 'live' }).waitFor();

    const parentQr = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/open`)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/children`, { qr: uniqueChild('B') })).status).toBe(200);
    }
    const tile = page.locator(`[data-testid="board-tile"][data-qr="${parentQr}"]`);
    await tile.getByTestId('tile-count').filter({ hasText: /^2\s*\/\s*30$/ }).waitFor();
    expect(await tile.textContent()).toContain('dispatcher');
    expect(await tile.getAttribute('class')).not.toContain('tile-full');

    for (let i = 0; i < 25; i++) {
      expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/children`, { qr: uniqueChild('B') })).status).toBe(200);
    }
    await tile.getByTestId('tile-count').filter({ hasText: /^27\s*\/\s*30$/ }).waitFor();
    await expect.poll(() => tile.getAttribute('class')).toContain('tile-full');
    expect(await tile.textContent()).toContain('nearly full');
    // On a desktop the day's figures lead, above the tiles.
    const strip = await page.getByTestId('board-kpis').boundingBox();
    expect(strip!.y).toBeLessThan((await tile.boundingBox())!.y);
    await screenshot(page, 'board');

    // On a phone the tiles come first, the figures after them, and nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 780 });
    await expect.poll(async () => (await tile.boundingBox())!.y < (await page.getByTestId('board-kpis').boundingBox())!.y).toBe(true);
    await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, 'board-phone');
    await context.close();
  });

  it("counts today's opened and completed parents and the last hour's rejections from the server, live", async () => {
    // Activity before the page opens must count too (before, the board counted only what it saw itself).
    const done = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${done}/open`)).status).toBe(200);
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${done}/children`, { qr: uniqueChild('D') })).status).toBe(200);
    expect((await apiAs('supervisor', 'POST', `/api/parents/${done}/complete`)).status).toBe(200);
    const before = await expectStats((s) => s.parentsCompletedToday! >= 1);

    const context = await newContext(browser, { width: 412, height: 860 });
    const page = await context.newPage();
    await login(page, 'supervisor');
    await page.getByTestId('board-socket').filter({ hasText: 'live' }).waitFor();
    await expect.poll(() => kpi(page, 'kpi-completed')).toBeGreaterThanOrEqual(before.parentsCompletedToday!);
    await expect.poll(() => kpi(page, 'kpi-opened')).toBeGreaterThanOrEqual(before.parentsOpenedToday!);
    const rejected0 = await kpi(page, 'kpi-rejected');

    // While the page is open: a new parent, a refused scan (a parent label scanned as a child) and a completion.
    const fresh = uniqueParent();
    const opened0 = await kpi(page, 'kpi-opened');
    const completed0 = await kpi(page, 'kpi-completed');
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${fresh}/open`)).status).toBe(200);
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${fresh}/children`, { qr: uniqueParent() })).status).toBe(409);
    const t0 = Date.now();
    await expect.poll(() => kpi(page, 'kpi-rejected'), { timeout: 15_000 }).toBeGreaterThan(rejected0);
    // Seconds, not the minute it took before.
    expect(Date.now() - t0).toBeLessThan(15_000);
    await expect.poll(() => kpi(page, 'kpi-opened'), { timeout: 15_000 }).toBeGreaterThan(opened0);
    expect((await apiAs('supervisor', 'POST', `/api/parents/${fresh}/complete`)).status).toBe(200);
    await expect.poll(() => kpi(page, 'kpi-completed'), { timeout: 15_000 }).toBeGreaterThan(completed0);
    // And they are exactly the server's figures.
    const now = await serverStats();
    await expect.poll(() => kpi(page, 'kpi-rejected'), { timeout: 15_000 }).toBe((await serverStats()).rejectedLastHour);
    expect(await kpi(page, 'kpi-completed')).toBe(now.parentsCompletedToday);
    await context.close();
  });

  it('has a wall display with large tiles and no app chrome, in Hindi too', async () => {
    const parentQr = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/open`)).status).toBe(200);
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/children`, { qr: uniqueChild('W') })).status).toBe(200);
    for (const [locale, leave] of [
      ['en-IN', 'Leave wall display'],
      ['hi-IN', 'दीवार स्क्रीन बंद करें'],
    ] as const) {
      const context = await newContext(browser, { width: 1920, height: 1080 }, locale);
      const page = await context.newPage();
      await login(page, 'supervisor');
      const tile = page.locator(`[data-testid="board-tile"][data-qr="${parentQr}"]`);
      await tile.waitFor();
      const small = await tile.getByTestId('tile-count').evaluate(fontSize);
      await page.getByTestId('wall-link').click();
      await page.waitForURL(/\/board\/wall$/);
      await tile.waitFor();
      expect(await page.locator('.topbar, .rail').count()).toBe(0);
      const large = await tile.getByTestId('tile-count').evaluate(fontSize);
      expect(large).toBeGreaterThanOrEqual(small * 2);
      expect(await page.getByRole('link', { name: leave }).isVisible()).toBe(true);
      await screenshot(page, locale === 'hi-IN' ? 'board-wall-hi' : 'board-wall');
      await page.getByRole('link', { name: leave }).click();
      await page.waitForURL(/\/board$/);
      await page.locator('.topbar').waitFor();
      await context.close();
    }
  });
});

async function expectStats(ok: (s: Record<string, number>) => boolean): Promise<Record<string, number>> {
  let s = await serverStats();
  for (let i = 0; i < 50 && !ok(s); i++) {
    await new Promise((r) => setTimeout(r, 200));
    s = await serverStats();
  }
  expect(ok(s)).toBe(true);
  return s;
}
