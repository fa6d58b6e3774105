// Browser and API helpers for the e2e tests: one Chromium per file, a fresh context (cookies, storage,
// offline switch) per user, sign-in through the real form, and API calls with a bearer token.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const DEV_PASSWORD = 'tracetrack-dev';
export const baseUrl = (): string => inject('baseUrl');

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
    headless: true,
    // Containers run as root without a user namespace sandbox; the app needs no GPU.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
}

/** A phone-sized context by default (the scanner's main target); pass a viewport for desktop shots. */
export async function newContext(browser: Browser, viewport = { width: 412, height: 860 }, locale = 'en-IN'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl(), viewport, timezoneId: 'Asia/Kolkata', locale });
  // Generous: the machine is shared and wrangler dev compiles on first requests.
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/** Signs in through the form (in whatever language it shows) and waits for the signed-in shell. */
export async function login(page: Page, username: string, password = DEV_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.topbar-user').filter({ hasText: username }).waitFor();
}

const tokens = new Map<string, string>();

export async function tokenFor(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const res = await fetch(`${baseUrl()}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEV_PASSWORD }),
  });
  if (!res.ok) throw new Error(`token for ${username}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  tokens.set(username, token);
  return token;
}

export async function apiAs<T = any>(username: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: { authorization: `Bearer ${await tokenFor(username)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

let counter = 0;
/** A parent QR no other test of this run uses (fresh storage each run; random start avoids reruns on a shared DB). */
export function uniqueParent(): string {
  counter++;
  const base = (Date.now() + process.pid) % 90000;
  return `SB${String(10000 + ((base + counter * 7) % 89999)).padStart(5, '0')}`;
}

let childCounter = 0;
export function uniqueChild(prefix = 'C'): string {
  childCounter++;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${String(childCounter).padStart(3, '0')}`.slice(0, 20);
}

export const SCREENSHOT_DIR = 'docs/screenshots';

/** Screenshots of the main screens for the README, refreshed by every e2e run. */
/**
 * Saves a screenshot for docs/screenshots (shown in the README) only when asked with SCREENSHOTS=1, so a
 * plain test run leaves the working tree as it found it.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: false, animations: 'disabled', caret: 'hide' });
}

// A selector rather than a string predicate: the app's CSP has no 'unsafe-eval', and Playwright evaluates
// string predicates with eval inside the page.
export const SCANNER_FOCUSED = '[data-testid="scan-input"]:focus';

/** The scanner screen is loaded (lazy chunk) and its wedge input has focus, so keys will land in it. */
export async function waitForScanner(page: Page): Promise<void> {
  await page.waitForSelector(SCANNER_FOCUSED);
}

/** Types a code the way a keyboard-wedge scanner does: a fast burst of key events, then Enter. */
export async function wedgeScan(page: Page, code: string, delay = 5): Promise<void> {
  await page.keyboard.type(code, { delay });
  await page.keyboard.press('Enter');
}
