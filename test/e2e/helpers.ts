// Browser and API helpers for the e2e tests: one Chromium per file, a fresh context (cookies, storage,
// offline switch) per user, sign-in through the real form, and API calls with a bearer token.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
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

const cdpSessions = new WeakMap<Page, Promise<CDPSession>>();
const lastStamp = new WeakMap<Page, number>();

function keyEvent(key: string): { key: string; code: string; windowsVirtualKeyCode: number; text?: string } {
  if (key === 'Enter') return { key, code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' };
  if (key === 'Tab') return { key, code: 'Tab', windowsVirtualKeyCode: 9 };
  const upper = key.toUpperCase();
  const code = /[A-Z]/.test(upper) ? `Key${upper}` : /[0-9]/.test(key) ? `Digit${key}` : '';
  return { key, code, windowsVirtualKeyCode: upper.charCodeAt(0), text: key };
}

/**
 * Types a code the way a keyboard-wedge scanner does: its keys `delay` ms apart by their own timestamps (as
 * the OS stamps a hardware scanner's keys), handed to the browser back to back, then the terminator (Enter,
 * Tab, or none for a scanner that sends no terminator). Playwright's keyboard.type would stamp each key when
 * its round trip reaches the browser, so on a loaded machine a scan would arrive with 100 ms+ gaps, as no
 * scanner types; the page's own handling (and any lateness in it) is real either way.
 */
export async function wedgeScan(page: Page, code: string, delay = 5, terminator: 'Enter' | 'Tab' | null = 'Enter'): Promise<void> {
  let cdp = cdpSessions.get(page);
  if (!cdp) {
    cdp = page.context().newCDPSession(page);
    cdpSessions.set(page, cdp);
  }
  const session = await cdp;
  const keys = terminator ? [...code, terminator] : [...code];
  // Stamped as pressed over the last `span` ms and never before the previous scan's keys: in the past, in
  // order, like keys an OS queued up (a busy page handles them late, never early).
  const span = ((keys.length - 1) * delay) / 1000;
  const start = Math.max(Date.now() / 1000 - span, (lastStamp.get(page) ?? 0) + delay / 1000);
  const wait = (start + span) * 1000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  lastStamp.set(page, start + span);
  await Promise.all(
    keys.flatMap((key, i) => {
      const at = start + (i * delay) / 1000;
      const event = keyEvent(key);
      return [
        session.send('Input.dispatchKeyEvent', { type: event.text ? 'keyDown' : 'rawKeyDown', ...event, unmodifiedText: event.text, timestamp: at }),
        session.send('Input.dispatchKeyEvent', { type: 'keyUp', key: event.key, code: event.code, windowsVirtualKeyCode: event.windowsVirtualKeyCode, timestamp: at + 0.001 }),
      ];
    }),
  );
}

/** Init script: `window.__parentSocketOpen` follows the parent's WebSocket (true while one is open). */
export const WATCH_PARENT_SOCKET = `
  window.__parentSocketOpen = false;
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).includes('/api/parents/')) return;
      this.addEventListener('open', () => { window.__parentSocketOpen = true; });
      this.addEventListener('close', () => { window.__parentSocketOpen = false; });
    }
  };
`;

/**
 * The top bar's "Online" is the network, not yet the parent's socket: until that is open, scans go over HTTP
 * (also answered, but tests about acks need the socket). Needs WATCH_PARENT_SOCKET; a page without it passes.
 */
export async function waitForParentSocket(page: Page): Promise<void> {
  for (let i = 0; i < 400 && (await page.evaluate('window.__parentSocketOpen')) === false; i++) await page.waitForTimeout(25);
  if ((await page.evaluate('window.__parentSocketOpen')) === false) throw new Error("the parent's socket did not open");
}

/**
 * Holds the server's acks on parent sockets back from the page while `holding` is on; each held ack goes on
 * when its release function is called (`next()` waits for one and returns its release).
 */
export async function holdAcks(context: BrowserContext) {
  const held: Array<() => void> = [];
  const control = {
    holding: false,
    /** Waits (up to 5 s, the sender's own ack timeout) for the next held ack and returns the function that lets it through. */
    async next(): Promise<() => void> {
      for (let i = 0; i < 500 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const release = held.shift();
      if (!release) throw new Error('no ack was held');
      return release;
    },
  };
  await context.routeWebSocket(/\/api\/parents\/.*\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (control.holding && JSON.parse(String(message)).type === 'ack') held.push(() => ws.send(message));
      else ws.send(message);
    });
  });
  return control;
}
