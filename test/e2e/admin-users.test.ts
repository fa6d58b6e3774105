// An admin creates a user in the side panel; the new user signs in with that password and lands on the
// role's home; deactivating asks first, and a deactivated user who gives the right password is told the account
// is deactivated (not "wrong password"). The users page works on a 360 px phone too, in Hindi: nothing
// scrolls sideways, "+ New user" is on screen, each user is a card, and the panel opens over the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, login, newContext, screenshot } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signInForm(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
}

/** Inside the viewport, left to right. */
async function onScreen(page: Page, selector: string, width: number): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  return !!box && box.x >= 0 && box.x + box.width <= width;
}

describe('admin users', () => {
  it('creates a dispatcher who can then sign in, and deactivates them after a confirm', async () => {
    const username = `e2e${Date.now().toString(36)}`;
    const password = 'Lantern-Quarry-58';

    const admin = await (await newContext(browser, { width: 1280, height: 900 })).newPage();
    await login(admin, 'admin');
    await admin.goto('/admin/users');
    await admin.getByTestId('users-table').locator('tbody tr').first().waitFor();
    await admin.getByRole('button', { name: '+ New user' }).click();
    const panel = admin.getByRole('complementary', { name: 'New user' });
    await panel.getByLabel('Username').fill(username);
    // Our own words for a password the rules refuse, next to its field (not the server's sentence).
    await panel.getByLabel(/^Password/).fill('short');
    await panel.getByRole('button', { name: 'Create user' }).click();
    await panel.locator('.field-error').filter({ hasText: 'At least 10 characters' }).waitFor();
    await panel.getByLabel(/^Password/).fill(password);
    await panel.getByLabel('Role').selectOption('dispatcher');
    await panel.getByLabel(/^Area/).selectOption({ label: 'Lucknow' });
    await screenshot(admin, 'admin-users');
    await panel.getByRole('button', { name: 'Create user' }).click();
    await admin.getByRole('status').filter({ hasText: `User ${username} created` }).waitFor();
    await admin.getByTestId('users-table').filter({ hasText: username }).waitFor();

    const userPage = await (await newContext(browser)).newPage();
    await login(userPage, username, password);
    await userPage.waitForURL(/\/scan$/);
    expect(await userPage.locator('.topbar').textContent()).toContain(username);
    await userPage.context().close();

    await admin.getByRole('button', { name: `Edit ${username}` }).click();
    await admin.getByRole('button', { name: 'Deactivate…' }).click();
    await admin.getByTestId('confirm').click();
    await admin.getByRole('status').filter({ hasText: `${username} deactivated` }).waitFor();

    // The right password of a deactivated account: the server says 403 ACCOUNT_DEACTIVATED (only after the
    // right password), and the screen says so in words, in English and in Hindi.
    for (const [locale, words] of [
      ['en-IN', 'This account is deactivated. Ask an admin to reactivate it.'],
      ['hi-IN', 'यह खाता बंद कर दिया गया है। एडमिन से इसे फिर से चालू करवाएँ।'],
    ] as const) {
      const again = await (await newContext(browser, { width: 360, height: 740 }, locale)).newPage();
      await signInForm(again, username, password);
      await again.getByRole('alert').filter({ hasText: words }).waitFor();
      expect(await again.locator('.topbar-user').count()).toBe(0);
      if (locale === 'hi-IN') await screenshot(again, 'login-deactivated-hi');
      // A wrong password is still just a wrong pair, whoever the account is (once: sign-in throttles repeats).
      if (locale === 'en-IN') {
        await signInForm(again, username, 'not-the-password-1');
        await again.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
      }
      await again.context().close();
    }
    await admin.context().close();
  });

  for (const [lang, locale, newUser, close] of [
    ['English', 'en-IN', '+ New user', 'Close'],
    ['Hindi', 'hi-IN', '+ नया यूज़र', 'बंद करें'],
  ] as const) {
    it(`works on a 360 px phone (${lang}): no sideways scroll, the button on screen, the panel over the list`, async () => {
      const context = await newContext(browser, { width: 360, height: 740 }, locale);
      const page = await context.newPage();
      await login(page, 'admin');
      for (const path of ['/admin/users', '/admin/areas', '/admin/audit']) {
        await page.goto(path);
        await page.locator('main h1').waitFor();
        await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      }
      await page.goto('/admin/users');
      const firstRow = page.getByTestId('users-table').locator('tbody tr').first();
      await firstRow.waitFor();
      expect(await onScreen(page, '[data-testid="new-user"]', 360)).toBe(true);
      expect((await page.getByTestId('new-user').textContent())?.trim()).toBe(newUser);
      // A card per user: the Edit button is on screen without scrolling sideways.
      expect(await onScreen(page, '[data-testid="users-table"] tbody tr:first-child .cell-action button', 360)).toBe(true);
      if (lang === 'English') await screenshot(page, 'admin-users-phone');
      await page.getByTestId('new-user').click();
      const panel = page.getByTestId('side-panel');
      await panel.waitFor();
      // Over the list, filling the screen, with its close button at the top.
      const box = (await panel.boundingBox())!;
      expect(box.x).toBe(0);
      expect(box.y).toBe(0);
      expect(box.width).toBe(360);
      if (lang === 'Hindi') await screenshot(page, 'admin-new-user-phone-hi');
      await panel.getByRole('button', { name: close }).click();
      expect(await page.getByTestId('side-panel').count()).toBe(0);
      await context.close();
    });
  }
});
