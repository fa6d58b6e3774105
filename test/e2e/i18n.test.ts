// Language: the browser's by default, the user's choice on the Me page after that (kept on the server, so it
// follows the user across reloads and to a new browser), `<html lang>` following it. Each test signs in as a
// user of its own: the choice is stored for the account, and other files sign in as the seeded users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext } from './helpers';

const PASSWORD = 'Lantern-Quarry-58';

async function newDispatcher(): Promise<string> {
  const username = `lang${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const areas = await apiAs<{ items: Array<{ id: number }> }>('admin', 'GET', '/api/areas');
  const created = await apiAs('admin', 'POST', '/api/users', { username, password: PASSWORD, role: 'dispatcher', areaId: areas.body.items[0]!.id });
  expect(created.status).toBe(201);
  return username;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('language', () => {
  it("starts in the browser's language", async () => {
    const context = await newContext(browser, undefined, 'hi-IN');
    const page = await context.newPage();
    await page.goto('/');
    await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
    await context.close();
  });

  it('follows the choice on the Me page, for this user, across reloads', async () => {
    const user = await newDispatcher();
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, user, PASSWORD);
    await page.goto('/me');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { name: 'Language and sound' }).waitFor();
    await page.getByTestId('language').selectOption('hi');
    await page.locator('html[lang="hi"]').waitFor({ state: 'attached' });
    await page.getByRole('heading', { name: 'भाषा और आवाज़' }).waitFor();
    // Spoken count: off until turned on, then kept.
    const speak = page.getByRole('checkbox', { name: /गिनती बोलकर/ });
    expect(await speak.isChecked()).toBe(false);
    await speak.check();
    await page.reload();
    await page.getByRole('heading', { name: 'भाषा और आवाज़' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('hi');
    expect(await page.getByRole('checkbox', { name: /गिनती बोलकर/ }).isChecked()).toBe(true);
    // Back to English.
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { name: 'Language and sound' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await context.close();
  });

  it('is saved on the server: a new browser (no storage) in another language shows the choice after sign-in', async () => {
    const user = await newDispatcher();
    const first = await newContext(browser, undefined, 'en-IN');
    const page = await first.newPage();
    await login(page, user, PASSWORD);
    await page.goto('/me');
    await page.getByTestId('language').selectOption('hi');
    await page.getByTestId('language-saved').filter({ hasText: 'सहेजी गई' }).waitFor();
    await first.close();

    // Another device: an English browser, nothing stored; the sign-in screen is English, the app then Hindi.
    const second = await newContext(browser, undefined, 'en-GB');
    const other = await second.newPage();
    await other.goto('/');
    expect(await other.locator('html').getAttribute('lang')).toBe('en');
    await login(other, user, PASSWORD);
    await other.locator('html[lang="hi"]').waitFor({ state: 'attached' });
    await other.goto('/me');
    await other.getByRole('heading', { name: 'भाषा और आवाज़' }).waitFor();
    expect(await other.getByTestId('language').inputValue()).toBe('hi');
    await second.close();

    // A user who never chose gets the browser's language, whatever another user chose on the server.
    const fresh = await newDispatcher();
    const third = await newContext(browser, undefined, 'hi-IN');
    const hindiBrowser = await third.newPage();
    await login(hindiBrowser, fresh, PASSWORD);
    expect(await hindiBrowser.locator('html').getAttribute('lang')).toBe('hi');
    await third.close();
    const english = await newContext(browser, undefined, 'en-IN');
    const englishBrowser = await english.newPage();
    await login(englishBrowser, fresh, PASSWORD);
    expect(await englishBrowser.locator('html').getAttribute('lang')).toBe('en');
    await english.close();
  });
});
