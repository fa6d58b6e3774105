// A bill from creation to finalize in a real browser: the biller creates it through the form, scans parent
// bags in with the wedge (added, duplicate and rejected, each in its colour and words), checks the print
// view and finalizes it after a confirm; a second screen on the bill follows live. Needs the bills API (issue 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext, screenshot, uniqueChild, uniqueParent, wedgeScan } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function filledParent(children: number): Promise<string> {
  const qr = uniqueParent();
  expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/open`)).status).toBe(200);
  for (let i = 0; i < children; i++) {
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/children`, { qr: uniqueChild('L') })).status).toBe(200);
  }
  return qr;
}

describe('bills', () => {
  it('creates a bill, scans parents in, shows why a scan is refused, prints and finalizes it', async () => {
    const parentA = await filledParent(3);
    const parentB = await filledParent(2);
    const billNo = `E2E-${Date.now().toString(36).toUpperCase()}`;

    const context = await newContext(browser, { width: 1280, height: 900 });
    const page = await context.newPage();
    await login(page, 'biller');
    await page.waitForURL(/\/bills$/);
    await page.getByRole('button', { name: '+ New bill' }).click();

    await page.getByLabel('Bill number').fill(billNo);
    await page.getByLabel('Destination').fill('Kanpur depot');
    await page.getByLabel('Vehicle number').fill('UP32 AB 1234');
    await page.getByLabel(/^Capacity/).fill('2');
    await page.getByRole('button', { name: 'Create bill' }).click();
    await page.waitForURL(new RegExp(`/bills/${billNo}$`));
    await page.getByRole('heading', { name: `Bill ${billNo}` }).waitFor();

    const result = page.getByTestId('bill-scan-result');
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, parentA.toLowerCase());
    await result.locator('[data-kind="linked"]').filter({ hasText: parentA }).waitFor();
    await page.getByTestId('bill-parent-count').filter({ hasText: /^1\s*\/\s*2$/ }).waitFor();

    await wedgeScan(page, parentA);
    await result.locator('[data-kind="duplicate"]').filter({ hasText: 'already on this bill' }).waitFor();

    await wedgeScan(page, 'SB99998');
    await result.locator('[data-kind="rejected"]').filter({ hasText: 'never scanned as a parent' }).waitFor();

    // A second screen on the bill (an admin's) follows changes live over the bill socket.
    const watcher = await (await newContext(browser, { width: 1280, height: 900 })).newPage();
    await login(watcher, 'admin');
    await watcher.goto(`/bills/${billNo}`);
    await watcher.getByRole('status').filter({ hasText: 'live' }).waitFor();
    await watcher.getByTestId('bill-parent-count').filter({ hasText: /^1\s*\/\s*2$/ }).waitFor();

    // Typed by hand, as for a damaged label.
    await page.getByLabel('Parent QR').fill(parentB);
    await page.getByRole('button', { name: 'Add parent' }).click();
    await result.locator('[data-kind="linked"]').filter({ hasText: parentB }).waitFor();
    await page.getByTestId('bill-parent-count').filter({ hasText: /^2\s*\/\s*2$/ }).waitFor();
    await watcher.getByTestId('bill-parent-count').filter({ hasText: /^2\s*\/\s*2$/ }).waitFor();
    expect(await watcher.getByTestId('bill-parents').textContent()).toContain(parentB);
    await watcher.context().close();
    const rows = page.getByTestId('bill-parents').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('bill-parents').textContent()).toMatch(new RegExp(`${parentA}\\s*3`));
    await screenshot(page, 'bill');
    await page.setViewportSize({ width: 360, height: 780 });
    // Nothing scrolls sideways: tables scroll inside their wrapper, tiles and facts reflow.
    await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, 'bill-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Full: a third parent is refused in words.
    const parentC = await filledParent(1);
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, parentC);
    await result.locator('[data-kind="rejected"]').filter({ hasText: 'full' }).waitFor();

    await page.getByRole('link', { name: /Print/ }).click();
    await page.waitForURL(new RegExp(`/bills/${billNo}/print$`));
    await page.getByRole('img', { name: `QR code of bill number ${billNo}` }).locator('svg').waitFor();
    expect(await page.locator('.print-parents').textContent()).toContain(parentB);
    await screenshot(page, 'bill-print');
    await page.getByRole('link', { name: /Back to bill/ }).click();

    await page.getByRole('button', { name: /Finalize/ }).click();
    await page.getByTestId('confirm').click();
    await page.locator('.chip').filter({ hasText: 'finalized' }).first().waitFor();
    expect(await page.getByTestId('scan-input').count()).toBe(0);

    const api = await apiAs<{ bill: { finalized: boolean; parentCount: number; parents: Array<{ qr: string }> } }>('biller', 'GET', `/api/bills/${billNo}`);
    expect(api.status).toBe(200);
    expect(api.body.bill.finalized).toBe(true);
    expect(api.body.bill.parents.map((p) => p.qr).sort()).toEqual([parentA, parentB].sort());
    await context.close();
  });
});
