// The supervisor's live board in a real browser: a parent filled by a dispatcher (over the API) appears as a
// tile whose count follows every scan without a reload, and turns "nearly full" at 27.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext, screenshot, uniqueChild, uniqueParent } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

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
    await screenshot(page, 'board');

    // Mobile first: at 360 px the board fits the screen.
    await page.setViewportSize({ width: 360, height: 780 });
    // Nothing scrolls sideways: tables scroll inside their wrapper, tiles and facts reflow.
    await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, 'board-phone');
    await context.close();
  });
});
