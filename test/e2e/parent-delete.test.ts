/// <reference lib="dom" />
// Issue 10 point 4 in the UI: an admin frees a squatted label from the lookup screen ("Delete empty parent",
// one confirmation); the label then looks up as unknown and opens again. Its rules are tested in workerd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext, uniqueParent } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('deleting an empty parent', () => {
  it('an admin deletes an empty parent from its lookup after one confirmation; the label is free', async () => {
    const qr = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/open`)).status).toBe(200);
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, 'admin');
    // The open reaches Postgres within a second or two; the lookup reads Postgres.
    for (let i = 0; i < 50; i++) {
      await page.goto(`/lookup/${qr}`);
      if (await page.getByTestId('lookup-result').isVisible({ timeout: 2000 }).catch(() => false)) break;
    }
    const button = page.getByTestId('delete-parent').getByRole('button', { name: 'Delete empty parent' });
    // A parent's last writes may still be on their way: the server then says so and the admin tries again.
    for (let i = 0; i < 20; i++) {
      await button.click();
      await page.getByTestId('confirm').click();
      if (await page.getByTestId('parent-deleted').isVisible({ timeout: 2000 }).catch(() => false)) break;
    }
    await expect(page.getByTestId('parent-deleted').textContent()).resolves.toContain(`Parent ${qr} was deleted`);
    // Dispatchers never see the action.
    const dispatcherPage = await (await newContext(browser)).newPage();
    await login(dispatcherPage, 'dispatcher');
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/open`)).status).toBe(200);
    await dispatcherPage.goto(`/lookup/${qr}`);
    await dispatcherPage.getByRole('heading', { name: /Lookup/ }).waitFor();
    expect(await dispatcherPage.getByTestId('delete-parent').count()).toBe(0);
    await context.close();
  });
});
