// An admin creates a user in the side panel; the new user signs in with that password and lands on the
// role's home; deactivating asks first, and a deactivated user cannot sign in. Needs the users API (issue 3).
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

    const again = await (await newContext(browser)).newPage();
    await again.goto('/');
    await again.getByLabel('Username').fill(username);
    await again.getByLabel('Password').fill(password);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByRole('alert').waitFor();
    expect(await again.locator('.topbar-user').count()).toBe(0);
    await again.context().close();
    await admin.context().close();
  });
});
