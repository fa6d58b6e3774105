// The System screen (issue 14 point 3): an admin sees live figures, the alerts with their state and charts of
// the last 60 minutes, refreshed without a reload; it fits a 360 px phone; it is in Hindi for a Hindi browser;
// a non-admin is told it is for admins; the dashboard shows the alerts with the way to System.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext, screenshot } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const RULES = ['TraceTrackPostgresUnreachable', 'TraceTrackFlushBacklog', 'TraceTrackHigh5xxRate', 'TraceTrackSignInFailures', 'TraceTrackFlushOrRegistryErrors'];

async function openSystem(page: Page): Promise<void> {
  await page.goto('/system');
  await page.getByTestId('system-kpis').waitFor();
  // uPlot is its own chunk: one canvas per chart once it has loaded.
  await page.locator('[data-testid="system-charts"] canvas').nth(4).waitFor({ state: 'attached' });
}

describe('System screen', () => {
  it('shows live figures, every alert rule with its state and five charts to an admin, refreshed without a reload', async () => {
    const before = await apiAs('admin', 'GET', '/api/system');
    expect(before.status).toBe(200);
    const context = await newContext(browser, { width: 1280, height: 900 });
    const page = await context.newPage();
    await login(page, 'admin');
    await openSystem(page);
    await page.getByRole('heading', { name: 'System', level: 1 }).waitFor();
    expect(await page.locator('[data-testid="alerts"] [data-alert]').evaluateAll((els) => els.map((e) => e.getAttribute('data-alert')))).toEqual(
      expect.arrayContaining(RULES),
    );
    // Postgres answers in this run: its tile shows a latency, and its rule is not firing.
    await page.getByTestId('kpi-postgres').filter({ hasText: /\d+(\.\d+)? ms/ }).waitFor();
    expect(await page.locator('[data-alert="TraceTrackPostgresUnreachable"]').getAttribute('data-state')).not.toBe('firing');
    expect(await page.locator('[data-testid="system-charts"] figure').count()).toBe(5);
    await screenshot(page, 'system');

    // Live: a later poll changes the "Updated" time with no navigation in between.
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const first = await page.getByTestId('system-updated').textContent();
    const requests: string[] = [];
    page.on('request', (r) => r.url().endsWith('/api/system') && requests.push(r.url()));
    await page.waitForFunction(
      ([sel, text]) => document.querySelector(sel!)?.textContent !== text,
      ['[data-testid="system-updated"]', first] as const,
      { timeout: 15_000 },
    );
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(navigations).toBe(0);
    await context.close();
  });

  it('fits a 360 px phone: nothing wider than the screen, charts inside their cards', async () => {
    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    await login(page, 'admin');
    await openSystem(page);
    // Let the ResizeObserver settle the canvases to their cards.
    await page.waitForTimeout(300);
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      canvases: [...document.querySelectorAll('[data-testid="system-charts"] canvas')].map((c) => Math.ceil(c.getBoundingClientRect().right)),
    }));
    expect(widths.doc).toBeLessThanOrEqual(360);
    for (const right of widths.canvases) expect(right).toBeLessThanOrEqual(360);
    await screenshot(page, 'system-phone');
    await context.close();
  });

  it('speaks Hindi in a Hindi browser', async () => {
    const context = await newContext(browser, { width: 412, height: 860 }, 'hi-IN');
    const page = await context.newPage();
    await login(page, 'admin');
    await openSystem(page);
    await page.getByRole('heading', { name: 'सिस्टम', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /अलर्ट/ }).first().waitFor();
    await page.getByText('पिछले 60 मिनट').waitFor();
    await context.close();
  });

  it('tells a non-admin it is for admins, and the API refuses them', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, 'supervisor');
    await page.goto('/system');
    await page.getByText('Only admins see the System screen.').waitFor();
    expect(await page.getByTestId('system-kpis').count()).toBe(0);
    expect((await apiAs('supervisor', 'GET', '/api/system')).status).toBe(403);
    await context.close();
  });

  it('shows the alerts on the dashboard with the way to System', async () => {
    const context = await newContext(browser, { width: 1280, height: 900 });
    const page = await context.newPage();
    await login(page, 'admin');
    await page.goto('/dashboard');
    const panel = page.getByTestId('dashboard-alerts');
    await panel.waitFor();
    await panel.getByText(/No alert is firing|firing|Pending/).first().waitFor();
    await panel.getByRole('link', { name: 'Open the System screen' }).click();
    await page.getByTestId('system-kpis').waitFor();
    expect(new URL(page.url()).pathname).toBe('/system');
    await context.close();
  });
});
