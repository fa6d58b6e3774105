/// <reference lib="dom" />
// Issue 10's account screens: the sign-in screen counts a throttle's retryAfterSeconds down (and its button
// waits with it); admins see throttled sign-ins and clear them; admins reset another user's TOTP; the Me page
// asks for the current password to change the password and to turn TOTP on or off. And the supervisors' view of
// flush conflicts on the board (the list comes from GET /api/conflicts; its rules are tested in workerd).
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext, screenshot } from './helpers';

const PASSWORD = 'Lantern-Quarry-58';
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function newUser(role: 'dispatcher' | 'admin', prefix: string): Promise<string> {
  const username = `${prefix}${Date.now().toString(36)}`;
  const areas = await apiAs<{ items: Array<{ id: number }> }>('admin', 'GET', '/api/areas');
  const created = await apiAs('admin', 'POST', '/api/users', { username, password: PASSWORD, role, areaId: role === 'dispatcher' ? areas.body.items[0]!.id : null });
  expect(created.status).toBe(201);
  return username;
}

/**
 * Wrong passwords from the page itself (the browser's own network, as the server sees it) until the server asks
 * for a wait of at least `seconds`.
 */
async function throttle(page: Page, username: string, seconds: number): Promise<number> {
  return page.evaluate(
    async ([name, least]) => {
      for (let i = 0; i < 20; i++) {
        const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password: 'not-the-password' }) });
        if (res.status === 429) {
          const wait = Number(((await res.json()) as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds);
          if (wait >= least) return wait;
          await new Promise((r) => setTimeout(r, wait * 1000 + 100));
        }
      }
      throw new Error('never throttled');
    },
    [username, seconds] as const,
  );
}

describe('throttled sign-in', () => {
  it('counts the wait down on the sign-in screen; an admin sees the throttled username and clears it', async () => {
    const username = await newUser('dispatcher', 'thr');
    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    await page.goto('/');
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await throttle(page, username, 8);
    await page.locator('form button[type="submit"]').click();
    const wait = page.getByTestId('login-wait');
    await wait.filter({ hasText: /Too many attempts\. Try again in \d+ s\./ }).waitFor();
    const first = Number((await wait.textContent())!.match(/(\d+) s/)![1]);
    const button = page.locator('form button[type="submit"]');
    expect(await button.isDisabled()).toBe(true);
    expect(await button.textContent()).toMatch(/^Wait \d+ s$/);
    await screenshot(page, 'login-throttled');
    await page.waitForFunction(
      ([before]) => {
        const m = document.querySelector('[data-testid="login-wait"]')?.textContent?.match(/(\d+) s/);
        return !!m && Number(m[1]) < before!;
      },
      [first],
    );

    // The admin's list shows the username from this network, with its failures; Clear asks, then it is gone.
    const adminContext = await newContext(browser, { width: 360, height: 740 });
    const admin = await adminContext.newPage();
    await login(admin, 'admin');
    await admin.goto('/admin/sign-ins');
    await admin.getByRole('heading', { name: 'Throttled sign-ins' }).waitFor();
    await admin.getByLabel('Username').fill(username);
    const row = admin.getByTestId('throttles-table').locator('tbody tr').filter({ hasText: username });
    await row.waitFor();
    // Its wait may be over by now (the admin signed in meanwhile): either state is said in words.
    expect(await row.textContent()).toMatch(/waits \d+ s|may try now/);
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(admin, 'admin-sign-ins-phone');
    await row.getByRole('button', { name: /^Clear / }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Clear' }).click();
    await admin.getByRole('status').filter({ hasText: `Cleared: ${username} from` }).waitFor();
    await row.waitFor({ state: 'detached' });
    const audit = await apiAs<{ items: Array<{ after: { username: string } | string }> }>('admin', 'GET', '/api/audit?action=auth.throttle_clear');
    expect(JSON.stringify(audit.body.items)).toContain(username);
    await adminContext.close();

    // The countdown ends in words; the right password then signs in.
    await wait.filter({ hasText: 'You can try again now.' }).waitFor({ timeout: 30_000 });
    expect(await button.isDisabled()).toBe(false);
    await button.click();
    await page.locator('.topbar-user').filter({ hasText: username }).waitFor();
    await context.close();
  });
});

describe('second factor and password', () => {
  it('asks for the current password to turn TOTP on and off and to change the password; an admin resets another user’s TOTP', async () => {
    const username = await newUser('admin', 'tot');
    const context = await newContext(browser, { width: 1280, height: 900 });
    const page = await context.newPage();
    await login(page, username, PASSWORD);
    await page.goto('/me');

    // Password change: a wrong current password is said next to its field.
    const pw = page.locator('form[aria-labelledby="pw-title"]');
    await pw.getByLabel('Current password').fill('not-my-password');
    await pw.getByLabel(/^New password \(/).fill('Another-Lantern-77');
    await pw.getByLabel('New password again').fill('Another-Lantern-77');
    await pw.getByRole('button', { name: 'Change password' }).click();
    await pw.locator('.field-error').filter({ hasText: 'That is not your current password.' }).waitFor();

    // TOTP on: the current password, then a code from the authenticator.
    const totp = page.getByRole('region', { name: 'Two-factor sign-in (TOTP)' });
    await totp.getByLabel('Current password', { exact: true }).first().fill(PASSWORD);
    await totp.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = (await page.locator('.secret').textContent())!.trim();
    await totp.getByLabel('6-digit code').fill(new TOTP({ secret: Secret.fromBase32(secret), label: username, issuer: 'TraceTrack' }).generate());
    await totp.getByRole('button', { name: 'Turn on' }).click();
    await page.getByTestId('recovery-codes').waitFor();

    // TOTP off asks for the password too (a wrong one is refused in words).
    await page.reload();
    const again = page.getByRole('region', { name: 'Two-factor sign-in (TOTP)' });
    await again.getByText('Turn two-factor sign-in off').click();
    await again.locator('input[name="disableCurrentPassword"]').fill('not-my-password');
    await again.locator('input[name="disableOtp"]').fill('123456');
    await again.getByRole('button', { name: 'Turn off' }).click();
    await again.locator('.field-error').filter({ hasText: 'That is not your current password.' }).waitFor();
    await context.close();

    // Lost phone: another admin resets it in the users panel, after a confirm; the reset is audited.
    const adminContext = await newContext(browser, { width: 1280, height: 900 });
    const admin = await adminContext.newPage();
    await login(admin, 'admin');
    await admin.goto('/admin/users?role=admin');
    await admin.getByRole('button', { name: `Edit ${username}` }).click();
    await admin.getByRole('button', { name: 'Reset TOTP' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByText(`Reset ${username}’s TOTP?`).waitFor();
    await screenshot(admin, 'admin-totp-reset');
    await dialog.getByRole('button', { name: 'Reset TOTP' }).click();
    await admin.getByRole('status').filter({ hasText: `TOTP of ${username} reset` }).waitFor();
    const users = await apiAs<{ items: Array<{ username: string; totpEnabled: boolean }> }>('admin', 'GET', '/api/users?role=admin&limit=200');
    expect(users.body.items.find((u) => u.username === username)?.totpEnabled).toBe(false);
    const audit = await apiAs<{ items: Array<{ action: string; entityId: string }> }>('admin', 'GET', '/api/audit?action=user.totp_reset');
    expect(audit.body.items.length).toBeGreaterThan(0);
    await adminContext.close();

    // They sign in with the password alone again.
    const fresh = await newContext(browser);
    const back = await fresh.newPage();
    await login(back, username, PASSWORD);
    await fresh.close();
  });
});

describe('flush conflicts for supervisors', () => {
  it('shows the database’s refused changes on the board, and nothing when there are none', async () => {
    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    await login(page, 'supervisor');
    await page.goto('/board');
    await page.getByTestId('board-kpis').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('conflicts').count()).toBe(0);

    await page.route('**/api/conflicts**', (route) =>
      route.fulfill({
        json: {
          items: [
            { id: 2, eventId: 'p:SB04411:scan-7', kind: 'event_id_reused', childQr: 'CB7731', parentQr: 'SB04411', existingParentQr: null, detail: { table: 'link_events' }, detectedAt: new Date().toISOString(), resolvedAt: null, areaId: 1 },
            { id: 1, eventId: 'p:SB04410:scan-3', kind: 'child_in_other_parent', childQr: 'CB7702', parentQr: 'SB04410', existingParentQr: 'SB03999', detail: null, detectedAt: new Date().toISOString(), resolvedAt: null, areaId: 1 },
          ],
          nextCursor: null,
        },
      }),
    );
    await page.reload();
    const panel = page.getByTestId('conflicts');
    await panel.getByRole('heading', { name: /Changes the database refused \(2\)/ }).waitFor();
    expect(await panel.getByTestId('conflict').count()).toBe(2);
    const text = (await panel.textContent())!;
    expect(text).toContain('Scan id used twice');
    expect(text).toContain('link_events');
    expect(text).toContain('SB03999');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'board-conflicts-phone');
    await context.close();
  });
});
