// Language: the browser's by default, the user's choice on the Me page after that (kept across reloads and
// per user on the device), `<html lang>` following it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, login, newContext } from './helpers';

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
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, 'dispatcher');
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
});
