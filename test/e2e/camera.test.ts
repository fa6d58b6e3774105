// The camera viewfinder with Chromium's fake camera: it opens full screen with a guide box, loads the
// decoder (Linux Chromium has no native BarcodeDetector, so this is the zxing-wasm fallback) from our own
// origin only, and closes back to the scanner with the wedge input focused again; its words are the catalog's
// (Hindi too), and a wedge scan made while it is open closes it and is answered like any scan.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, baseUrl, launchBrowser, login, newContext, SCANNER_FOCUSED, screenshot, uniqueChild, uniqueParent, waitForScanner, wedgeScan } from './helpers';
import { writeQrVideo } from './qr-video';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
});
afterAll(async () => {
  await browser?.close();
});

describe('camera', () => {
  it('opens a viewfinder whose decoder is served from our origin, and closes back to the scanner', async () => {
    const context = await newContext(browser);
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    const beforeCamera = requested.length;
    expect(requested.some((u) => /CameraViewfinder|ponyfill|\.wasm/.test(u))).toBe(false);

    await page.getByRole('button', { name: 'Camera' }).click();
    const dialog = page.getByRole('dialog', { name: 'Camera scanner' });
    await dialog.waitFor();
    await page.locator('.viewfinder-guide').waitFor();
    await dialog.getByText('Hold the label inside the box').waitFor({ timeout: 45_000 });
    await screenshot(page, 'scanner-camera');

    const loaded = requested.slice(beforeCamera);
    const hasNative = await page.evaluate("'BarcodeDetector' in globalThis");
    if (!hasNative) expect(loaded.some((u) => u.startsWith(`${baseUrl()}/assets/`) && u.endsWith('.wasm'))).toBe(true);
    expect(loaded.filter((u) => !u.startsWith(baseUrl()) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);

    await dialog.getByRole('button', { name: 'Close camera' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForSelector(SCANNER_FOCUSED);
    await context.close();
  });

  it('speaks Hindi, and a wedge scan made with it open is answered (the viewfinder gives way)', async () => {
    const context = await newContext(browser, { width: 360, height: 740 }, 'hi-IN');
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    await page.getByRole('button', { name: 'कैमरा' }).click();
    const dialog = page.getByRole('dialog', { name: 'कैमरा स्कैनर' });
    await dialog.waitFor();
    // Whatever step it is at (starting, loading the decoder, ready), it says so in Hindi.
    await dialog.getByRole('status').filter({ hasText: /कैमरा चालू हो रहा है|लोड हो रहा है|लेबल को डिब्बे के अंदर रखें/ }).waitFor();
    expect(await dialog.getByRole('button', { name: 'कैमरा बंद करें' }).isVisible()).toBe(true);
    expect(await dialog.textContent()).not.toMatch(/[A-Za-z]{3,}/);
    const parentQr = uniqueParent();
    await wedgeScan(page, parentQr);
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();
    await page.waitForSelector(SCANNER_FOCUSED);
    await context.close();
  });
});

describe('camera scanning a label', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-e2e-camera-'));
  const child = uniqueChild('Q');
  let qrBrowser: Browser;
  beforeAll(async () => {
    await writeQrVideo(child.toLowerCase(), join(dir, 'qr.y4m'));
    qrBrowser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${join(dir, 'qr.y4m')}`]);
  });
  afterAll(async () => {
    await qrBrowser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes the QR in view and scans it into the current parent like a wedge scan', async () => {
    const context = await newContext(qrBrowser);
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    await login(page, 'dispatcher');
    await page.goto('/scan');
    await waitForScanner(page);
    const parentQr = uniqueParent();
    await wedgeScan(page, parentQr);
    await page.getByTestId('parent-qr').filter({ hasText: parentQr }).waitFor();

    await page.getByRole('button', { name: 'Camera' }).click();
    // The label says it in lower case; like any scan it is trimmed and upper-cased.
    await page.getByTestId('result').filter({ hasText: child }).waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('result').getAttribute('data-kind')).toBe('linked');
    await page.getByRole('dialog', { name: 'Camera scanner' }).waitFor({ state: 'detached' });
    const stored = await apiAs<{ parent: { children: Array<{ qr: string }> } }>('dispatcher', 'GET', `/api/parents/${parentQr}`);
    expect(stored.body.parent.children.map((c) => c.qr)).toEqual([child]);
    await context.close();
  });
});
