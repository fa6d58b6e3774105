/// <reference lib="dom" />
// Issue 9 bullets not covered elsewhere: the scanner says the network is slow while a parent is still loading
// (and scans are still answered meanwhile); the three answer states stay distinct in grayscale (measured on the
// pixels of the banner, not on class names); CSV exports carry local times with the zone and area names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchBrowser, login, newContext, screenshot, tokenFor, uniqueChild, uniqueParent, waitForScanner, wedgeScan } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Mean and spread of the grayscale (Rec. 709 luma, linear light) of a PNG, decoded by Chromium on a blank page. */
async function grayStats(blank: Page, png: Buffer): Promise<{ mean: number; sd: number }> {
  return blank.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    const lin = (v: number) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    let sum = 0;
    let sq = 0;
    const count = px.length / 4;
    for (let i = 0; i < px.length; i += 4) {
      const y = 0.2126 * lin(px[i]!) + 0.7152 * lin(px[i + 1]!) + 0.0722 * lin(px[i + 2]!);
      sum += y;
      sq += y * y;
    }
    const mean = sum / count;
    return { mean, sd: Math.sqrt(Math.max(0, sq / count - mean * mean)) };
  }, png.toString('base64'));
}

describe('the floor, in detail', () => {
  it('says a slow network is still loading the parent, in the counter, and links a child scanned meanwhile after the open', async () => {
    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/parents/*/open', async (route) => {
      await held;
      await route.continue();
    });
    const parent = uniqueParent();
    await wedgeScan(page, parent);
    await page.getByTestId('slow-network').filter({ hasText: 'The network is slow — still loading' }).waitFor();
    expect(await page.getByTestId('counter').textContent()).toContain('–');
    await screenshot(page, 'scanner-slow');
    // A child scanned while the open is still on its way waits for it: sent beside it, the server could see
    // the child first and refuse it as "never opened".
    const child = uniqueChild('W');
    await wedgeScan(page, child);
    await page.waitForTimeout(300);
    release();
    await page.getByTestId('slow-network').waitFor({ state: 'detached' });
    await page.locator('[data-testid="result"][data-kind="linked"]').filter({ hasText: child }).waitFor();
    await page.getByTestId('counter').filter({ hasText: /^1 \/ 30$/ }).waitFor();
    await context.close();
  });

  it('keeps linked, already there and not recorded apart in grayscale: light vs dark ground, plain vs patterned', async () => {
    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const parent = uniqueParent();
    await wedgeScan(page, parent);
    await page.getByTestId('parent-qr').filter({ hasText: parent }).waitFor();
    const child = uniqueChild('G');
    const shots: Record<string, Buffer> = {};
    for (const [code, kind] of [
      [child, 'linked'],
      [child, 'duplicate'],
      ['SB001234', 'rejected'],
    ] as const) {
      await wedgeScan(page, code);
      const banner = page.locator(`[data-testid="result"][data-kind="${kind}"]`);
      await banner.waitFor();
      // After the takeover moment (about a second), the banner as it stays until the next scan.
      await page.waitForTimeout(1300);
      shots[kind] = await banner.screenshot({ animations: 'disabled', caret: 'hide' });
    }
    const blank = await context.newPage();
    await blank.goto('about:blank');
    const linked = await grayStats(blank, shots.linked!);
    const duplicate = await grayStats(blank, shots.duplicate!);
    const rejected = await grayStats(blank, shots.rejected!);
    const ratio = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    // Issue 9 measured 1.11 : 1 between the green and red banners; now one is light and the other dark (2.7 : 1
    // measured over the whole banner, text and borders included; the grounds alone differ far more).
    expect(ratio(linked.mean, rejected.mean), JSON.stringify({ linked, rejected })).toBeGreaterThan(2);
    expect(ratio(duplicate.mean, rejected.mean), JSON.stringify({ duplicate, rejected })).toBeGreaterThan(2);
    // Linked and already there are both light: the shape of the icon, the dotted ground and the border tell them
    // apart (grayscale keeps all three).
    const look = async (kind: string) => {
      await wedgeScan(page, kind === 'linked' ? uniqueChild('L') : child);
      const banner = page.locator(`[data-testid="result"][data-kind="${kind}"]`);
      await banner.waitFor();
      return banner.evaluate((el) => {
        const icon = el.querySelector('.result-icon')!;
        const s = getComputedStyle(el);
        const i = getComputedStyle(icon);
        return { ground: s.backgroundImage, border: s.borderTopStyle, icon: `${i.clipPath}|${i.borderTopLeftRadius}`, glyph: icon.textContent };
      });
    };
    const [plain, dotted] = [await look('linked'), await look('duplicate')];
    expect(plain.ground).toBe('none');
    expect(dotted.ground).toMatch(/gradient/);
    expect(plain.border).not.toBe(dotted.border);
    expect(plain.icon).not.toBe(dotted.icon);
    expect(plain.glyph).not.toBe(dotted.glyph);
    await context.close();
  });

  it('exports scans as CSV with local times, the zone and area names', async () => {
    const token = await tokenFor('dispatcher');
    const parent = uniqueParent();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await fetch(`${baseUrl()}/api/parents/${parent}/open`, { method: 'POST', headers, body: '{}' })).status).toBe(200);
    const child = uniqueChild('V');
    expect((await fetch(`${baseUrl()}/api/parents/${parent}/children`, { method: 'POST', headers, body: JSON.stringify({ qr: child }) })).status).toBe(200);
    let csv = '';
    for (let i = 0; i < 40 && !csv.includes(child); i++) {
      const res = await fetch(`${baseUrl()}/api/export/scans.csv?parentQr=${parent}`, { headers: { authorization: `Bearer ${await tokenFor('admin')}` } });
      csv = await res.text();
      if (!csv.includes(child)) await new Promise((r) => setTimeout(r, 250));
    }
    const [head, row] = csv.trim().split(/\r?\n/);
    expect(head).toMatch(/area/i);
    expect(row).toContain('Lucknow');
    // A local time in the deployment's zone, 24-hour, with the zone named (IST / +05:30 / Asia/Kolkata).
    expect(row).toMatch(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?/);
    expect(csv).toMatch(/IST|\+05:?30|Asia\/Kolkata/);
  });
});
