// Issue 9, point 1: no scan is ever dropped without a sign. Wedge scans (5 ms a key) typed through every
// question and dialog of the scanner, the bill screen and the lookup screen each get exactly one answer: a new
// banner on screen and one `tracetrack:feedback` event (the sound and vibration hook) marked as the answer to a scan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, holdAcks, launchBrowser, login, newContext, screenshot, uniqueChild, uniqueParent, waitForParentSocket, waitForScanner, WATCH_PARENT_SOCKET, wedgeScan } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const COUNT_ANSWERS = `
  window.__answers = [];
  window.addEventListener('tracetrack:feedback', (e) => { if (e.detail.toScan) window.__answers.push(e.detail); });
`;

async function page(username: string, viewport = { width: 360, height: 740 }): Promise<Page> {
  const context = await newContext(browser, viewport);
  await context.addInitScript(COUNT_ANSWERS);
  const p = await context.newPage();
  await login(p, username);
  return p;
}

const answers = (p: Page) => p.evaluate('window.__answers') as Promise<Array<{ kind: string; qr: string }>>;

/** Scans each code and waits until it has its own answer: exactly one more, about that code. */
async function scanAnswered(p: Page, code: string, kind?: string | RegExp): Promise<{ kind: string; qr: string }> {
  const before = (await answers(p)).length;
  await wedgeScan(p, code);
  // Polled from here: the app's CSP (rightly) has no 'unsafe-eval' for waitForFunction.
  for (let i = 0; i < 400 && (await answers(p)).length <= before; i++) await p.waitForTimeout(25);
  // Nothing more arrives for the same scan.
  await p.waitForTimeout(150);
  const after = await answers(p);
  expect(after.length, `answers after ${code}`).toBe(before + 1);
  const answer = after[after.length - 1]!;
  if (kind) expect(answer.kind).toMatch(kind);
  return answer;
}

describe('every scan gets its own answer', () => {
  it('on the scanner: waiting, filling, the switch question, the early-complete question, details, other screens', async () => {
    const p = await page('supervisor');
    await p.goto('/scan');
    await waitForScanner(p);
    const [first, second] = [uniqueParent(), uniqueParent()];
    let scans = 0;
    const scan = async (code: string, kind?: string | RegExp) => {
      scans++;
      return scanAnswered(p, code, kind);
    };

    await scan(uniqueChild('N'), 'rejected'); // no parent yet: "scan a parent first"
    await p.getByTestId('result').filter({ hasText: 'Not recorded' }).waitFor();
    await scan('SB001234', 'rejected'); // a parent-looking label with 6 digits
    await p.getByTestId('result').filter({ hasText: 'parent label with 6 digits' }).waitFor();
    await scan(first, 'info');
    await p.getByTestId('parent-qr').filter({ hasText: first }).waitFor();
    await scan(uniqueChild('F'), 'linked');

    // The switch question, answered by scanning: a child = stay and record it.
    const actions = await p.getByTestId('scanner-actions').boundingBox();
    await scan(second, 'question');
    await p.getByTestId('question-hint').waitFor();
    await screenshot(p, 'scanner-question');
    // Nothing under the thumb moved for the question.
    expect(await p.getByTestId('scanner-actions').boundingBox()).toEqual(actions);
    for (let i = 0; i < 3; i++) await scan(uniqueChild('Q'), 'linked');
    await p.getByTestId('counter').filter({ hasText: '4 / 30' }).waitFor();
    expect(await p.getByTestId('parent-qr').textContent()).toBe(first);
    // Asked again, something unreadable is refused loudly and the question stays; the same label switches.
    await scan(second, 'question');
    await scan('??', 'rejected');
    await p.getByTestId('question-hint').waitFor();
    await scan(second, 'info');
    await p.getByTestId('parent-qr').filter({ hasText: second }).waitFor();
    await p.waitForURL(new RegExp(`/scan/${second}$`));

    // A supervisor's early Complete asks once; a child scanned meanwhile is recorded and cancels it…
    await scan(uniqueChild('C'), 'linked');
    await p.getByRole('button', { name: 'Complete' }).click();
    await p.getByTestId('result').filter({ hasText: 'Answer needed' }).waitFor();
    await scan(uniqueChild('C'), 'linked');
    await p.getByTestId('counter').filter({ hasText: '2 / 30' }).waitFor();
    // …and scanning the parent's label again confirms it: the bag-complete moment.
    await p.getByRole('button', { name: 'Complete' }).click();
    await scan(second, 'complete');
    await p.getByTestId('result').filter({ hasText: `seal ${second}` }).waitFor();
    await p.getByText('Bag complete — seal it').waitFor();
    await scan(uniqueChild('X'), 'rejected'); // into a completed bag

    // Details on tap: the code and the longer words.
    await p.getByTestId('result').click();
    await p.getByTestId('result-details').filter({ hasText: 'PARENT_COMPLETED' }).waitFor();

    // A screen that takes no scans answers "not recorded" with the code. (Until the next screen has loaded,
    // the scanner is still the one on view, and it takes the scan.)
    await p.locator('.rail').getByRole('link', { name: 'History' }).click();
    await p.waitForURL(/\/history$/);
    await p.locator('.scanner').waitFor({ state: 'detached' });
    const stray = uniqueChild('S');
    await scan(stray, 'rejected');
    await p.getByTestId('offscreen-answer').filter({ hasText: stray }).filter({ hasText: 'Not recorded' }).waitFor();

    expect((await answers(p)).length).toBe(scans);
    await p.context().close();
  });

  it('on the sign-in screen: "not signed in", loudly', async () => {
    const context = await newContext(browser, { width: 360, height: 740 });
    await context.addInitScript(COUNT_ANSWERS);
    const p = await context.newPage();
    await p.goto('/');
    await p.getByLabel('Username').waitFor();
    // Focus off the form's fields (keys typed into a field are that field's).
    await p.evaluate('document.activeElement && document.activeElement.blur()');
    const code = uniqueChild('L');
    await scanAnswered(p, code, 'rejected');
    await p.getByTestId('offscreen-answer').filter({ hasText: code }).filter({ hasText: 'not signed in' }).waitFor();
    expect(await p.getByLabel('Username').inputValue()).toBe('');
    await context.close();
  });

  it('shows the answer to a scan that came after its screen was left', async () => {
    const context = await newContext(browser, { width: 360, height: 740 });
    await context.addInitScript(COUNT_ANSWERS);
    await context.addInitScript(WATCH_PARENT_SOCKET);
    // The server's acks are held back until the operator has left the scanner.
    const acks = await holdAcks(context);
    const p = await context.newPage();
    await login(p, 'dispatcher');
    await p.goto('/scan');
    await waitForScanner(p);
    // History's chunk loaded once beforehand, so leaving the scanner later is immediate: the held ack must be
    // released after the scanner has gone but well within the sender's 5 s ack timeout (after that the scan
    // is re-sent and answered "waiting" on the scanner itself, which was still on view — under load, loading
    // the chunk at that point took longer than that).
    await p.locator('.rail').getByRole('link', { name: 'History' }).click();
    await p.locator('.scanner').waitFor({ state: 'detached' });
    await p.locator('.rail').getByRole('link', { name: 'Scan', exact: true }).click();
    await waitForScanner(p);
    const parentQr = uniqueParent();
    await wedgeScan(p, parentQr);
    await p.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();
    await waitForParentSocket(p);

    acks.holding = true;
    const child = uniqueChild('Z');
    await wedgeScan(p, child);
    const release = await acks.next();
    await p.locator('.rail').getByRole('link', { name: 'History' }).click();
    await p.locator('.scanner').waitFor({ state: 'detached' });
    expect((await answers(p)).filter((a) => a.qr === child), 'answered before the scanner was left').toHaveLength(0);
    release();
    // Linked (the ack), or waiting on the device (the scanner let go of its socket first): either way one
    // answer, on the screen the operator is on.
    const banner = p.getByTestId('offscreen-answer').filter({ hasText: child });
    await banner.waitFor();
    expect(await banner.getAttribute('data-kind')).toMatch(/^(linked|queued)$/);
    await p.waitForTimeout(300);
    expect((await answers(p)).filter((a) => a.qr === child)).toHaveLength(1);
    for (let i = 0; i < 100 && (await apiAs('dispatcher', 'GET', `/api/parents/${parentQr}`)).body.parent.childCount < 1; i++) await p.waitForTimeout(100);
    expect((await apiAs('dispatcher', 'GET', `/api/parents/${parentQr}`)).body.parent.children.map((c: { qr: string }) => c.qr)).toEqual([child]);
    await context.close();
  });

  it('on the bill screen: after a confirmation, with one open, and on a phone without scrolling', async () => {
    const billNo = `B-ANS-${Date.now().toString(36)}`;
    expect((await apiAs('biller', 'POST', '/api/bills', { billNo, destination: 'Lucknow', vehicleNo: 'UP32 AB 1234', capacity: 10 })).status).toBe(201);
    const parents = [uniqueParent(), uniqueParent(), uniqueParent(), uniqueParent()];
    for (const qr of parents) expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/open`, {})).status).toBe(200);
    const p = await page('biller');
    await p.goto(`/bills/${billNo}`);
    await waitForScanner(p);
    let scans = 0;
    const scan = async (code: string, kind?: string) => {
      scans++;
      const a = await scanAnswered(p, code, kind);
      // The answer is on screen, in the viewport of a 360 × 740 phone.
      const box = await p.getByTestId('bill-result').boundingBox();
      expect(box && box.y >= -1 && box.y + box.height <= 740 - 56, JSON.stringify(box)).toBe(true);
      return a;
    };
    // These parents are open and empty: each goes on the bill, in amber, as short of bags.
    await scan(parents[0]!, 'duplicate');
    await p.getByTestId('bill-result').filter({ hasText: 'added, but only 0 / 30' }).waitFor();
    await scan(parents[0]!, 'duplicate');
    await p.getByTestId('bill-result').filter({ hasText: 'already on this bill' }).waitFor();
    await p.getByTestId('bill-parents').filter({ hasText: parents[0]! }).waitFor();

    // Remove, confirmed: the scanner is not deaf afterwards.
    await p.getByRole('button', { name: `Remove ${parents[0]} from the bill` }).click();
    await p.getByTestId('confirm').click();
    await p.getByTestId('bill-parent-count').filter({ hasText: '0 /' }).waitFor();
    await scan(parents[1]!, 'duplicate');
    await p.getByTestId('bill-result').filter({ hasText: parents[1]! }).waitFor();

    // A confirmation left open: a scan is still taken (and its Enter presses no button in the dialog).
    await p.getByRole('button', { name: `Remove ${parents[1]} from the bill` }).click();
    await p.locator('dialog[open]').waitFor();
    await scan(parents[2]!, 'duplicate');
    await p.locator('dialog[open]').waitFor({ state: 'detached' });
    await p.getByTestId('bill-parents').filter({ hasText: parents[1]! }).waitFor();
    await scan(uniqueChild('K'), 'rejected');
    await scan(parents[3]!, 'duplicate');
    await screenshot(p, 'bill-scan-phone');
    await p.getByTestId('bill-parent-count').filter({ hasText: '3 /' }).waitFor();

    expect((await answers(p)).length).toBe(scans);
    await p.context().close();
  });

  it('on the lookup screen: found, not found, refused, the same label again, offline, through the delete question', { timeout: 120_000 }, async () => {
    const empty = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${empty}/open`)).status).toBe(200);
    // The lookup reads Postgres: until the row is written there, the parent is not found.
    for (let i = 0; i < 100 && (await apiAs('admin', 'GET', `/api/bags/${empty}`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
    const p = await page('admin');
    await p.goto('/lookup');
    await waitForScanner(p);
    let scans = 0;
    const scan = async (code: string, kind: string) => {
      scans++;
      const a = await scanAnswered(p, code, kind);
      expect(a.qr).toBe(code);
      // The answer is on screen, in the viewport of a 360 × 740 phone, about this label.
      const banner = p.getByTestId('lookup-answer').filter({ hasText: code });
      await banner.waitFor();
      expect(await banner.getAttribute('data-kind')).toBe(kind);
      const box = await banner.boundingBox();
      expect(box && box.y >= -1 && box.y + box.height <= 740 - 56, JSON.stringify(box)).toBe(true);
      return banner;
    };
    const question = p.locator('dialog[open]');
    const stillThere = async () => expect((await apiAs('admin', 'GET', `/api/bags/${empty}`)).status).toBe(200);

    await (await scan(empty, 'info')).filter({ hasText: 'Found' }).filter({ hasText: 'parent bag, 0 child bags' }).waitFor();
    await p.getByTestId('lookup-result').filter({ hasText: empty }).waitFor();
    const missing = uniqueChild('M');
    await (await scan(missing, 'duplicate')).filter({ hasText: 'Not found' }).waitFor();
    await p.getByTestId('lookup-not-found').filter({ hasText: missing }).waitFor();
    await p.waitForURL(new RegExp(`/lookup/${missing}$`));
    // Longer than any label: refused by the server, in words, with the code in the details.
    const long = `X${'9'.repeat(64)}`;
    await (await scan(long, 'rejected')).filter({ hasText: 'Not looked up' }).filter({ hasText: 'not a bag label' }).waitFor();
    // The same label twice: two answers.
    await scan(empty, 'info');
    await scan(empty, 'info');
    await p.getByTestId('lookup-result').filter({ hasText: empty }).waitFor();

    // The delete question open: a scan closes it, nothing is deleted (its Enter presses no button), the answer says so.
    await p.getByRole('button', { name: 'Delete empty parent' }).click();
    await question.waitFor();
    await (await scan(uniqueChild('D'), 'duplicate')).filter({ hasText: `${empty} not deleted` }).waitFor();
    await question.waitFor({ state: 'detached' });
    await stillThere();
    await scan(empty, 'info');
    await p.getByRole('button', { name: 'Delete empty parent' }).click();
    await question.waitFor();
    // The parent's own label too: looked up again, not deleted.
    await (await scan(empty, 'info')).filter({ hasText: 'not deleted' }).waitFor();
    await question.waitFor({ state: 'detached' });
    await p.getByTestId('lookup-result').filter({ hasText: empty }).waitFor();
    await stillThere();

    // Offline: refused loudly, with the code.
    await p.context().setOffline(true);
    const offline = uniqueChild('O');
    await (await scan(offline, 'rejected')).filter({ hasText: 'no network' }).waitFor();
    await p.context().setOffline(false);

    expect((await answers(p)).length).toBe(scans);
    await p.context().close();
  });
});
