// Signing in through the form: a wrong password is refused in words, the right one lands on the role's home.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, login, newContext, screenshot } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('sign-in', () => {
  it('refuses a wrong password, then signs the dispatcher in to the scanner', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('dispatcher');
    await screenshot(page, 'login');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/./);

    await login(page, 'dispatcher');
    await page.waitForURL(/\/scan$/);
    expect(await page.locator('.topbar').textContent()).toContain('dispatcher');
    await context.close();
  });
});
