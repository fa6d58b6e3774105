// The frame around every screen, as people on the floor see it (issue 9, "Screens that fit the floor"): on a
// 360 px phone and a desktop, in English and Hindi, the top bar shows the area and the user in full, the
// navigation draws its icons without fonts (SVG) and highlights one destination, the Me page has a labelled
// Sign out, a supervisor starts on the board, times are 24-hour even where the locale says 12, and Chromium
// logs no stylesheet preload warning (nor any other console error or warning) on any screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, baseUrl, launchBrowser, login, newContext, screenshot, uniqueChild, uniqueParent } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 860 };

/** Whether an element's text is cut (ellipsis): its content is wider than its box. */
const cut = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.scrollWidth > el.clientWidth);

async function visibleCurrent(page: Page): Promise<string[]> {
  // Only the ones shown: a phone's bottom bar hides the destinations beyond its four or five.
  return page
    .locator('.rail-item[aria-current="page"]')
    .evaluateAll((els) => els.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).map((e) => e.getAttribute('href') ?? ''));
}

describe('the frame', () => {
  for (const [lang, locale, allAreas] of [
    ['English', 'en-IN', 'All areas'],
    ['Hindi', 'hi-IN', 'सभी क्षेत्र'],
  ] as const) {
    for (const [size, viewport] of [
      ['360 px', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      it(`shows area and user in full, SVG icons and one highlighted destination (${lang}, ${size})`, async () => {
        for (const [username, area, home] of [
          ['supervisor', 'Lucknow', '/board'],
          ['dispatcher2', 'Indore', '/scan'],
          ['admin', allAreas, '/dashboard'],
        ] as const) {
          const context = await newContext(browser, viewport, locale);
          const page = await context.newPage();
          await login(page, username);
          // Each role lands on its home; the supervisor's is the board.
          await page.waitForURL(new RegExp(`${home}$`));
          await expect.poll(() => page.locator('.topbar-area').textContent()).toBe(area);
          expect(await page.locator('.topbar-user').textContent()).toContain(username);
          expect(await cut(page, '.topbar-area')).toBe(false);
          expect(await cut(page, '.topbar-user')).toBe(false);
          // Icons are drawn, not looked up in a font: every destination has an SVG and no symbol glyph.
          const items = page.locator('.rail-item');
          const n = await items.count();
          expect(n).toBeGreaterThanOrEqual(4);
          for (let i = 0; i < n; i++) expect(await items.nth(i).locator('svg.icon path').count()).toBe(1);
          expect(await visibleCurrent(page)).toEqual([home]);
          expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
          if (username === 'supervisor' && viewport === PHONE) await screenshot(page, lang === 'Hindi' ? 'topbar-phone-hi' : 'topbar-phone');
          // A tap on who-and-where opens Me, where Sign out is a labelled button.
          await page.getByTestId('topbar-who').click();
          await page.waitForURL(/\/me$/);
          const signOut = page.getByRole('main').getByTestId('sign-out');
          expect((await signOut.textContent())?.trim()).toBe(lang === 'Hindi' ? 'साइन आउट' : 'Sign out');
          expect(await signOut.isVisible()).toBe(true);
          await context.close();
        }
      });
    }
  }

  for (const [lang, locale] of [
    ['English', 'en-IN'],
    ['Hindi', 'hi-IN'],
  ] as const) {
    it(`fits every office screen on a 360 px phone, in ${lang}`, async () => {
      const context = await newContext(browser, PHONE, locale);
      const page = await context.newPage();
      await login(page, 'admin');
      for (const path of ['/dashboard', '/board', '/lookup/SB00001', '/history', '/bags', '/reports', '/bills', '/admin/users', '/admin/areas', '/admin/audit', '/me']) {
        await page.goto(path);
        const heading = page.locator('main h1').first();
        await heading.waitFor();
        await expect.poll(() => page.evaluate('document.documentElement.scrollWidth'), { message: path }).toBeLessThanOrEqual(PHONE.width);
        // The heading in the chosen language (Devanagari in Hindi; the area name on the board is a name).
        if (lang === 'Hindi' && path !== '/board') expect(await heading.textContent(), path).toMatch(/[\u0900-\u097F]/);
      }
      await context.close();
    });
  }

  it('highlights exactly one destination where two paths overlap', async () => {
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    await login(page, 'biller');
    for (const [path, current] of [
      ['/bills', '/bills'],
      ['/bills/scan', '/bills/scan'],
      ['/bills/NO-SUCH-BILL', '/bills'],
      ['/lookup/SB00001', '/lookup'],
    ] as const) {
      await page.goto(path);
      await expect.poll(() => visibleCurrent(page)).toEqual([current]);
    }
    await context.close();
  });

  it('signs out from the labelled button on the Me page', async () => {
    const context = await newContext(browser, PHONE, 'hi-IN');
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/me');
    // The screen, not the page still loading the session (the shot caught "लोड हो रहा है…" on a busy machine).
    const signOut = page.getByRole('button', { name: 'साइन आउट' });
    await signOut.waitFor();
    await screenshot(page, 'me-phone-hi');
    await signOut.click();
    await page.locator('input[name="username"]').waitFor();
    expect(await page.locator('.topbar').count()).toBe(0);
    // Signed out for real: the session cookie no longer works.
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
    await context.close();
  });

  it('shows 24-hour times even in a locale whose clock is 12-hour', async () => {
    const parent = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${parent}/open`)).status).toBe(200);
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${parent}/children`, { qr: uniqueChild('H') })).status).toBe(200);
    const context = await browser.newContext({ baseURL: baseUrl(), viewport: DESKTOP, locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await login(page, 'admin');
    await page.goto(`/history?parentQr=${parent}`);
    const cell = page.locator('tbody tr').first().locator('td').first();
    await cell.waitFor();
    // Deployment zone (IST) and a 24-hour clock, whatever the browser's own zone and locale are.
    await expect.poll(async () => (await cell.textContent()) ?? '').toMatch(/\b([01]\d|2[0-3]):[0-5]\d IST$/);
    expect(await page.locator('main').textContent()).not.toMatch(/\b\d{1,2}:\d{2}\s?(AM|PM)\b/i);
    await context.close();
  });

  it('logs no stylesheet preload warning, and no other console error or warning, on any screen', async () => {
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => {
      // Chromium logs every 4xx answer as "Failed to load resource" (the sign-in screen's 401 from /api/auth/me
      // is the answer that says nobody is signed in); anything else the page logs is a defect.
      if ((m.type() === 'warning' || m.type() === 'error') && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) warnings.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => warnings.push(`pageerror: ${String(e)}`));
    await login(page, 'admin');
    for (const path of ['/dashboard', '/board', '/bills', '/bills/NO-SUCH-BILL', '/admin/users', '/scan', '/me']) {
      // A full load each time: the warning comes a few seconds after a page's load event.
      await page.goto(path);
      await page.waitForTimeout(3500);
    }
    expect(warnings).toEqual([]);
    await context.close();
  });
});
