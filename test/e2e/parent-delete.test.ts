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

/** Until the parent's row is in Postgres (the lookup reads Postgres; a delete before that is "still being written"). */
async function inPostgres(qr: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await apiAs('admin', 'GET', `/api/bags/${qr}`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${qr} never reached Postgres`);
}

describe('deleting an empty parent', () => {
  it('an admin deletes an empty parent from its lookup after one confirmation; the label is free', { timeout: 120_000 }, async () => {
    const qr = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/open`)).status).toBe(200);
    await inPostgres(qr);
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, 'admin');
    await page.goto(`/lookup/${qr}`);
    await page.getByTestId('lookup-result').waitFor();
    const button = page.getByTestId('delete-parent').getByRole('button', { name: 'Delete empty parent' });
    await button.click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('parent-deleted').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('parent-deleted').textContent()).resolves.toContain(`Parent ${qr} was deleted`);
    expect((await apiAs('admin', 'GET', `/api/bags/${qr}`)).status).toBe(404);
    await context.close();

    // The label opens again; dispatchers never see the action.
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/open`)).status).toBe(200);
    await inPostgres(qr);
    const other = await newContext(browser);
    const dispatcherPage = await other.newPage();
    await login(dispatcherPage, 'dispatcher');
    await dispatcherPage.goto(`/lookup/${qr}`);
    await dispatcherPage.getByTestId('lookup-result').waitFor();
    expect(await dispatcherPage.getByTestId('delete-parent').count()).toBe(0);
    await other.close();
  });
});
