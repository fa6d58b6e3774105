// The scanner in a real browser against the real product: wedge-speed bursts, duplicates and rejections in
// words, a second screen following live, and offline scans stored exactly once after coming back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, holdAcks, launchBrowser, login, newContext, SCANNER_FOCUSED, screenshot, uniqueChild, uniqueParent, waitForParentSocket, waitForScanner, WATCH_PARENT_SOCKET, wedgeScan } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Runs in the page before the app: for every ack arriving on a socket, looks at the result banner in the
 * next animation frame's callback (before that frame is painted) and records whether it already shows the
 * acked label. Deterministic, no clock: "feedback within one frame of the ack".
 */
const WATCH_ACK_FRAMES = `
  window.__ackFrames = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        let msg;
        try { msg = JSON.parse(event.data); } catch { return; }
        if (msg.type !== 'ack') return;
        requestAnimationFrame(() => {
          const banner = document.querySelector('[data-testid="result"]');
          window.__ackFrames.push({ qr: msg.childQr, shown: !!banner && banner.textContent.includes(msg.childQr) });
        });
      });
    }
  };
`;

async function openScanner(username: string, parentQr?: string, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await newContext(browser, viewport);
  await context.addInitScript(WATCH_PARENT_SOCKET);
  await context.addInitScript(WATCH_ACK_FRAMES);
  const page = await context.newPage();
  await login(page, username);
  await page.goto(parentQr ? `/scan/${parentQr}` : '/scan');
  await waitForScanner(page);
  return page;
}

async function startParent(page: Page, parentQr: string): Promise<void> {
  await wedgeScan(page, parentQr);
  await page.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();
  await page.getByTestId('counter').filter({ hasText: /\d+ \/ 30/ }).waitFor();
  await page.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
  await waitForParentSocket(page);
}

async function resultOf(page: Page, qr: string) {
  const banner = page.getByTestId('result').filter({ hasText: qr });
  await banner.waitFor();
  return { kind: await banner.getAttribute('data-kind'), text: await banner.textContent() };
}

async function childrenOf(parentQr: string): Promise<string[]> {
  const res = await apiAs<{ parent: { children: Array<{ qr: string }> } }>('supervisor', 'GET', `/api/parents/${parentQr}`);
  expect(res.status).toBe(200);
  return res.body.parent.children.map((c) => c.qr);
}

describe('scanner', () => {
  it('fills a parent with 30 children scanned at wedge speed, back to back, and completes it', async () => {
    const page = await openScanner('dispatcher');
    await screenshot(page, 'scanner-waiting');
    const parentQr = uniqueParent();
    await page.getByTestId('scan-input').evaluate((el) => ((el as any).marker = 'same-element'));
    await startParent(page, parentQr);
    // /scan → /scan/SB…: the wedge input must not be re-created, or keys typed meanwhile would be lost.
    expect(await page.getByTestId('scan-input').evaluate((el) => (el as any).marker)).toBe('same-element');
    const children = Array.from({ length: 30 }, () => uniqueChild('W'));
    // No waiting between labels: bursts must be neither split nor merged.
    for (const child of children) await wedgeScan(page, child);
    await page.getByTestId('counter').filter({ hasText: '30 / 30' }).waitFor();
    await page.getByTestId('parent-status').filter({ hasText: 'Completed' }).waitFor();
    expect(await page.getByTestId('child-list').locator('li').count()).toBe(30);
    // Newest first.
    expect(await page.getByTestId('child-list').locator('li').first().textContent()).toContain(children[29]);
    await screenshot(page, 'scanner');
    expect((await childrenOf(parentQr)).sort()).toEqual([...children].sort());
    // At 30 / 30 Undo says what it would do (take the last child out, reopen the bag), and does just that.
    const undo = page.getByTestId('scanner-actions').getByRole('button', { name: `Undo last Undo last: takes ${children[29]} out and reopens ${parentQr}` });
    await undo.click();
    await page.getByTestId('counter').filter({ hasText: '29 / 30' }).waitFor();
    await page.getByTestId('result').filter({ hasText: `${children[29]} taken out of ${parentQr}` }).waitFor();
    expect((await childrenOf(parentQr)).sort()).toEqual(children.slice(0, 29).sort());
    expect((await apiAs<{ parent: { status: string } }>('supervisor', 'GET', `/api/parents/${parentQr}`)).body.parent.status).toBe('open');
    await page.context().close();
  });

  it('ends a wedge code at Enter, at Tab, or at a quiet gap after a burst, and takes typed labels', async () => {
    const page = await openScanner('dispatcher');
    const parentQr = uniqueParent();
    await startParent(page, parentQr);
    const [enter, tab, bare, typed] = [uniqueChild('E'), uniqueChild('T'), uniqueChild('G'), uniqueChild('M')];
    await wedgeScan(page, enter);
    await wedgeScan(page, tab, 5, 'Tab');
    // A scanner set up without a terminator: the burst ends, nothing follows.
    await wedgeScan(page, bare, 5, null);
    await page.getByTestId('counter').filter({ hasText: '3 / 30' }).waitFor();
    // A damaged label typed by hand, with spaces and lower case.
    await page.getByLabel('Type a label (damaged or unreadable)').fill(`  ${typed.toLowerCase()} `);
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByTestId('counter').filter({ hasText: '4 / 30' }).waitFor();
    expect((await childrenOf(parentQr)).sort()).toEqual([enter, tab, bare, typed].sort());
    // Focus is back on the wedge input, so the next scanner burst is not typed into the manual field.
    await page.waitForSelector(SCANNER_FOCUSED);
    await page.context().close();
  });

  it('says a duplicate in amber and a rejection in words', async () => {
    const page = await openScanner('dispatcher');
    const other = uniqueParent();
    const taken = uniqueChild('T');
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${other}/open`, {})).status).toBe(200);
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${other}/children`, { qr: taken })).status).toBe(200);

    const parentQr = uniqueParent();
    await startParent(page, parentQr);
    const child = uniqueChild('D');
    await wedgeScan(page, child);
    expect(await resultOf(page, child)).toMatchObject({ kind: 'linked' });
    await wedgeScan(page, child);
    await page.locator('[data-kind="duplicate"]').waitFor();
    expect((await resultOf(page, child)).text).toContain('Already');
    // Amber, and dotted: a pattern, not hue alone.
    expect(await page.locator('.result').evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundImage)).toContain('radial-gradient');
    await screenshot(page, 'scanner-duplicate');
    // Both acks (linked, duplicate) were on screen in the first frame after they arrived.
    const frames = (await page.evaluate('window.__ackFrames')) as Array<{ qr: string; shown: boolean }>;
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.every((f) => f.shown)).toBe(true);

    await wedgeScan(page, taken);
    await page.locator('[data-kind="rejected"]').waitFor();
    expect((await resultOf(page, taken)).text).toContain(`in ${other} already`);
    await screenshot(page, 'scanner-rejected');

    // Undo takes the last scan back out.
    await page.getByRole('button', { name: /Undo last/ }).click();
    await page.getByTestId('counter').filter({ hasText: '0 / 30' }).waitFor();
    expect(await childrenOf(parentQr)).toEqual([]);

    // A parent label while filling switches parent; with children in it, only after a yes.
    await wedgeScan(page, child);
    await page.getByTestId('counter').filter({ hasText: '1 / 30' }).waitFor();
    const next = uniqueParent();
    await wedgeScan(page, next);
    await page.getByTestId('scanner-actions').getByRole('button', { name: `Switch to ${next}` }).click();
    await page.getByTestId('parent-qr').filter({ hasText: next }).waitFor();
    await page.waitForURL(new RegExp(`/scan/${next}$`));
    await page.context().close();
  });

  it('shows a second screen on the same parent the counts live', async () => {
    const parentQr = uniqueParent();
    const scanner = await openScanner('dispatcher');
    await startParent(scanner, parentQr);
    const watcher = await openScanner('supervisor', parentQr, { width: 1280, height: 800 });
    await watcher.getByTestId('counter').filter({ hasText: '0 / 30' }).waitFor();
    await watcher.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
    for (const child of [uniqueChild('L'), uniqueChild('L')]) await wedgeScan(scanner, child);
    await watcher.getByTestId('counter').filter({ hasText: '2 / 30' }).waitFor();
    expect(await watcher.getByTestId('child-list').textContent()).toContain('dispatcher');
    await screenshot(watcher, 'scanner-desktop-supervisor');
    // The live board's snapshot (what /board shows) has the same count.
    const live = await apiAs<{ sessions: Array<{ parentQr: string; childCount: number }> }>('supervisor', 'GET', '/api/live/sessions');
    expect(live.status).toBe(200);
    expect(live.body.sessions.find((x) => x.parentQr === parentQr)?.childCount).toBe(2);
    await scanner.context().close();
    await watcher.context().close();
  });

  it('sends scans over HTTP when the WebSocket cannot connect but HTTP works', async () => {
    const context = await newContext(browser);
    // Every socket to a parent is refused at once: the page must fall back to POST /children.
    await context.routeWebSocket(/\/api\/parents\/.*\/ws$/, (ws) => ws.close({ code: 1011, reason: 'test: no sockets' }));
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    const parentQr = uniqueParent();
    await wedgeScan(page, parentQr);
    await page.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();
    const children = [uniqueChild('H'), uniqueChild('H'), uniqueChild('H')];
    for (const child of children) await wedgeScan(page, child);
    await page.getByTestId('counter').filter({ hasText: '3 / 30' }).waitFor();
    expect(await resultOf(page, children[2]!)).toMatchObject({ kind: 'linked' });
    expect(await page.getByTestId('connection').textContent()).not.toContain('Online');
    expect((await childrenOf(parentQr)).sort()).toEqual([...children].sort());
    await context.close();
  });

  it('re-sends a scan whose ack never came over HTTP with the same scanId, so it counts once', async () => {
    const context = await newContext(browser);
    await context.addInitScript(WATCH_PARENT_SOCKET);
    const sentOverSocket: string[] = [];
    let dropped = false;
    // A socket that delivers scans but loses the first ack on the way back.
    await context.routeWebSocket(/\/api\/parents\/.*\/ws$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const msg = JSON.parse(String(message));
        if (msg.type === 'scan') sentOverSocket.push(msg.scanId);
        server.send(message);
      });
      server.onMessage((message) => {
        if (!dropped && JSON.parse(String(message)).type === 'ack') {
          dropped = true;
          return;
        }
        ws.send(message);
      });
    });
    const page = await context.newPage();
    const sentOverHttp: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/children')) sentOverHttp.push(JSON.parse(r.postData() ?? '{}').scanId);
    });
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    const parentQr = uniqueParent();
    await startParent(page, parentQr);
    const child = uniqueChild('A');
    await wedgeScan(page, child);
    // After the ack timeout the scan goes the other way and its answer comes back.
    await page.getByTestId('result').filter({ hasText: '1 waiting scan sent' }).waitFor({ timeout: 20_000 });
    expect(sentOverSocket).toHaveLength(1);
    expect(sentOverHttp).toEqual(sentOverSocket);
    await page.getByTestId('counter').filter({ hasText: '1 / 30' }).waitFor();
    expect(await childrenOf(parentQr)).toEqual([child]);
    await context.close();
  });

  it('raises the count when the server has answered, not before: a refused scan never shows in the bag', async () => {
    const context = await newContext(browser);
    await context.addInitScript(WATCH_PARENT_SOCKET);
    // Acks are held back on the way to the page until the test lets each one go.
    const acks = await holdAcks(context);
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    const other = uniqueParent();
    const taken = uniqueChild('K');
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${other}/open`, {})).status).toBe(200);
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${other}/children`, { qr: taken })).status).toBe(200);
    const parentQr = uniqueParent();
    await startParent(page, parentQr);

    acks.holding = true;
    await wedgeScan(page, taken);
    const release = await acks.next();
    // The server has refused it, the page does not know yet: the bag still shows 0.
    expect(await page.getByTestId('counter').textContent()).toContain('0 / 30');
    release();
    expect((await resultOf(page, taken)).kind).toBe('rejected');
    expect(await page.getByTestId('counter').textContent()).toContain('0 / 30');

    // A child the server links: its ack is the answer (the count may rise a moment earlier, on the server's
    // "linked" event that every screen on the parent gets).
    const good = uniqueChild('K');
    await wedgeScan(page, good);
    (await acks.next())();
    expect((await resultOf(page, good)).kind).toBe('linked');
    await page.getByTestId('counter').filter({ hasText: '1 / 30' }).waitFor();
    await context.close();
  });

  it('queues scans made offline and stores each exactly once when back online', async () => {
    const page = await openScanner('dispatcher');
    const parentQr = uniqueParent();
    await startParent(page, parentQr);
    const first = uniqueChild('O');
    await wedgeScan(page, first);
    // The count rises on the server's answer; with nothing waiting, that answer has reached this page.
    await page.getByTestId('counter').filter({ hasText: '1 / 30' }).waitFor();
    await page.getByTestId('connection').filter({ hasText: /Online$/ }).waitFor();

    await page.context().setOffline(true);
    await page.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();
    const offline = [uniqueChild('O'), uniqueChild('O'), uniqueChild('O')];
    for (const child of offline) await wedgeScan(page, child);
    await page.getByTestId('connection').filter({ hasText: '3 waiting' }).waitFor();
    expect(await resultOf(page, offline[2]!)).toMatchObject({ kind: 'queued' });
    await screenshot(page, 'scanner-offline');
    // Long labels and the top bar's pending count still fit a phone: no sideways scrolling.
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    expect(await childrenOf(parentQr)).toEqual([first]);

    await page.context().setOffline(false);
    await page.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
    await page.getByTestId('counter').filter({ hasText: '4 / 30' }).waitFor();
    const stored = await childrenOf(parentQr);
    expect(stored.sort()).toEqual([first, ...offline].sort());
    await page.context().close();
  });

  it('keeps the offline queue across a reload and lists what the server refused on replay', async () => {
    const page = await openScanner('dispatcher');
    const parentQr = uniqueParent();
    const elsewhere = uniqueParent();
    const taken = uniqueChild('R');
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${elsewhere}/open`, {})).status).toBe(200);
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${elsewhere}/children`, { qr: taken })).status).toBe(200);
    await startParent(page, parentQr);

    await page.context().setOffline(true);
    await page.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();
    const good = uniqueChild('R');
    await wedgeScan(page, good);
    await wedgeScan(page, taken);
    await page.getByTestId('connection').filter({ hasText: '2 waiting' }).waitFor();

    // Leave the page while offline; the scans stay on the device and go out from the next page.
    const context = page.context();
    await page.close();
    await context.setOffline(false);
    const again = await context.newPage();
    await again.goto(`/scan/${parentQr}`);
    await waitForScanner(again);
    await again.getByTestId('rejections').filter({ hasText: taken }).waitFor();
    expect(await again.getByTestId('rejections').textContent()).toContain(`in ${elsewhere} already`);
    await again.getByTestId('counter').filter({ hasText: '1 / 30' }).waitFor();
    expect(await childrenOf(parentQr)).toEqual([good]);
    await again.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
    await again.getByRole('button', { name: 'Dismiss' }).click();
    await again.getByTestId('rejections').waitFor({ state: 'detached' });
    await context.close();
  });
});
