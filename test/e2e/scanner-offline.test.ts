// Issue 9, points 3 and 4 on the scanner: offline that checks (the device counts at once, catches duplicates
// and refuses the 31st child; Undo takes back a waiting scan; signing out with scans waiting warns and keeps
// them), Tab leaves the scanner input without breaking Tab-terminated scans, and the scanner in Hindi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, baseUrl, DEV_PASSWORD, launchBrowser, login, newContext, screenshot, SCANNER_FOCUSED, uniqueChild, uniqueParent, waitForScanner, wedgeScan } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function childrenOf(parentQr: string): Promise<string[]> {
  const res = await apiAs<{ parent: { children: Array<{ qr: string }> } }>('supervisor', 'GET', `/api/parents/${parentQr}`);
  return res.body.parent.children.map((c) => c.qr);
}

describe('scanner offline', () => {
  it('counts at once, catches duplicates, refuses the 31st child, undoes a waiting scan, and warns before signing out', async () => {
    const parentQr = uniqueParent();
    const before = Array.from({ length: 27 }, () => uniqueChild('P'));
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/open`, {})).status).toBe(200);
    for (const qr of before) expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/children`, { qr })).status).toBe(200);
    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto(`/scan/${parentQr}`);
    await waitForScanner(page);
    await page.getByTestId('counter').filter({ hasText: '27 / 30' }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
    // The app shell (every screen's code) is on the device before the network goes.
    await page.evaluate(() => (globalThis as any).navigator.serviceWorker.ready.then(() => true));

    await context.setOffline(true);
    await page.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();
    const [a, b, c, d] = [uniqueChild('O'), uniqueChild('O'), uniqueChild('O'), uniqueChild('O')];
    await wedgeScan(page, a);
    await page.getByTestId('counter').filter({ hasText: '28 / 30' }).waitFor();
    expect(await page.getByTestId('result').getAttribute('data-kind')).toBe('queued');
    // A duplicate, of a waiting scan and of one the server already has: caught on the device, not queued.
    await wedgeScan(page, a);
    await page.getByTestId('result').filter({ hasText: 'waiting on this device' }).waitFor();
    await wedgeScan(page, before[0]!);
    await page.locator('[data-kind="duplicate"]').filter({ hasText: before[0]! }).waitFor();
    // Undo on a waiting scan takes it back off the device.
    await page.getByRole('button', { name: /Take back/ }).click();
    await page.getByTestId('counter').filter({ hasText: '27 / 30' }).waitFor();
    for (const qr of [b, c, d]) await wedgeScan(page, qr);
    await page.getByTestId('counter').filter({ hasText: '30 / 30' }).waitFor();
    await page.locator('[data-kind="complete"]').waitFor();
    const late = uniqueChild('L');
    await wedgeScan(page, late);
    await page.locator('[data-kind="rejected"]').filter({ hasText: late }).waitFor();
    expect(await page.getByTestId('result').textContent()).toContain('bag full (30 / 30)');
    await page.getByTestId('connection').filter({ hasText: '3 waiting' }).waitFor();
    await screenshot(page, 'scanner-offline');

    // Signing out with scans waiting warns first; staying keeps everything. On a phone, Sign out is on Me.
    const cookie = (await context.cookies()).find((c) => c.httpOnly)!;
    expect(cookie).toBeTruthy();
    const asOld = () => fetch(`${baseUrl()}/api/auth/me`, { headers: { cookie: `${cookie.name}=${cookie.value}` } }).then((r) => r.status);
    expect(await asOld()).toBe(200);
    await page.locator('.rail').getByRole('link', { name: 'Me' }).click();
    await page.locator('main').getByTestId('sign-out').click();
    await page.getByTestId('signout-warning').filter({ hasText: '3 scans are saved on this device' }).waitFor();
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await page.locator('main').getByTestId('sign-out').click();
    await page.getByRole('button', { name: 'Sign out anyway' }).click();
    await page.getByLabel('Username').waitFor();

    // Signed out while offline, the server could not hear it: the device ends that session at the next moment
    // it has a network, so its cookie is no good any more, and a reload does not let anyone back in on it.
    expect(await asOld()).toBe(200);
    await context.setOffline(false);
    for (let i = 0; i < 100 && (await asOld()) !== 401; i++) await page.waitForTimeout(100);
    expect(await asOld()).toBe(401);
    await page.goto('/');
    await page.getByLabel('Username').waitFor();
    // Signed in again: the waiting scans go out, the server agrees, nothing else was sent.
    await login(page, 'dispatcher');
    await page.goto(`/scan/${parentQr}`);
    await waitForScanner(page);
    await page.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
    await page.getByTestId('counter').filter({ hasText: '30 / 30' }).waitFor();
    for (let i = 0; i < 50 && (await childrenOf(parentQr)).length < 30; i++) await page.waitForTimeout(100);
    expect((await childrenOf(parentQr)).sort()).toEqual([...before, b, c, d].sort());
    await context.close();
  });

  it('reloads, and opens in a new tab, while offline: the app shell comes from the service worker', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, 'dispatcher');
    const parentQr = uniqueParent();
    await page.goto(`/scan/${parentQr}`);
    await waitForScanner(page);
    await page.getByTestId('counter').filter({ hasText: '0 / 30' }).waitFor();
    await page.evaluate(() => (globalThis as any).navigator.serviceWorker.ready.then(() => true));
    await context.setOffline(true);
    await page.reload();
    await waitForScanner(page);
    await page.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();
    // The top bar still names the area (the device kept the areas' names), not "…".
    await expect.poll(() => page.locator('.topbar-area').textContent()).toBe('Lucknow');
    const child = uniqueChild('W');
    await wedgeScan(page, child);
    await page.locator('[data-kind="queued"]').filter({ hasText: child }).waitFor();
    await page.getByTestId('counter').filter({ hasText: '1 / 30' }).waitFor();
    const tab = await context.newPage();
    await tab.goto('/scan');
    await waitForScanner(tab);
    // A screen that needs the network says so.
    await tab.goto('/history');
    await tab.getByRole('alert').filter({ hasText: 'No connection' }).waitFor();
    await tab.goto('/me');
    await tab.getByRole('main').getByText('Lucknow').waitFor();
    await context.setOffline(false);
    for (let i = 0; i < 100 && (await childrenOf(parentQr)).length < 1; i++) await page.waitForTimeout(100);
    expect(await childrenOf(parentQr)).toEqual([child]);
    await context.close();
  });

  it('lets Tab leave the scanner input, while a Tab-terminated scan is still a scan', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    const parentQr = uniqueParent();
    await wedgeScan(page, parentQr, 5, 'Tab');
    await page.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();
    await page.waitForSelector(SCANNER_FOCUSED);
    // Nothing typed: Tab is a person's, focus moves on.
    await page.keyboard.press('Tab');
    expect(await page.locator(SCANNER_FOCUSED).count()).toBe(0);
    // A scan arriving while focus is elsewhere is still taken.
    const child = uniqueChild('T');
    await wedgeScan(page, child);
    await page.locator('[data-kind="linked"]').filter({ hasText: child }).waitFor();
    await context.close();
  });

  it('speaks Hindi: words, numbers, and the count aloud when asked for', async () => {
    // A Hindi browser: a user who never chose a language on the Me page gets the browser's (the choice made on
    // the sign-in screen is this device's, for the signed-out screen only; see src/ui/i18n/preferences.ts).
    const context = await newContext(browser, { width: 360, height: 740 }, 'hi-IN');
    await context.addInitScript(`localStorage.setItem('tracetrack.lang', 'hi');`);
    // What the browser's speech synthesis is asked to say (headless Chromium has no voices to hear).
    await context.addInitScript(`
      window.__spoken = [];
      class Utterance { constructor(text) { this.text = text; this.lang = ''; this.rate = 1; } }
      if (typeof SpeechSynthesisUtterance === 'undefined') window.SpeechSynthesisUtterance = Utterance;
      Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: { speak: (u) => window.__spoken.push({ text: u.text, lang: u.lang }), cancel: () => {}, getVoices: () => [] } });
    `);
    const page = await context.newPage();
    await page.goto('/');
    await page.locator('input[name="username"], #username, input[autocomplete="username"]').first().fill('dispatcher');
    await page.locator('input[type="password"]').fill(DEV_PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator('.topbar-user').filter({ hasText: 'dispatcher' }).waitFor();
    await page.goto('/scan');
    await waitForScanner(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('hi');
    await page.getByText('पैरेंट बैग का लेबल स्कैन करें').waitFor();
    await screenshot(page, 'scanner-waiting-hi');
    // A parent at 25: one scan with the spoken count off (nothing said), then on (the count in Hindi words).
    const parentQr = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/open`, {})).status).toBe(200);
    for (let i = 0; i < 25; i++) expect((await apiAs('dispatcher', 'POST', `/api/parents/${parentQr}/children`, { qr: uniqueChild('S') })).status).toBe(200);
    await wedgeScan(page, parentQr);
    await page.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();
    await wedgeScan(page, uniqueChild('H'));
    await page.getByTestId('counter').filter({ hasText: '26 / 30' }).waitFor();
    expect(await page.evaluate('window.__spoken')).toEqual([]);
    await page.goto('/me');
    await page.getByRole('checkbox', { name: /गिनती बोलकर/ }).check();
    await page.goto(`/scan/${parentQr}`);
    await waitForScanner(page);
    await page.getByTestId('counter').filter({ hasText: '26 / 30' }).waitFor();
    const child = uniqueChild('H');
    await wedgeScan(page, child);
    await page.locator('[data-kind="linked"]').filter({ hasText: child }).filter({ hasText: 'जुड़ गया' }).waitFor();
    expect(await page.evaluate('window.__spoken')).toEqual([{ text: 'सत्ताईस / तीस', lang: 'hi-IN' }]);
    await wedgeScan(page, 'SB001234');
    await page.locator('[data-kind="rejected"]').filter({ hasText: 'दर्ज नहीं हुआ' }).waitFor();
    await screenshot(page, 'scanner-rejected-hi');
    await context.close();
  });
});
