// Return tickets in a real browser (issue 13): a biller creates a ticket through the form (the server makes
// the code), scans returned parents with the wedge (returned, duplicate and refused, each in its colour and
// words), sees the totals and the bill the parent came off, is told before cancelling that the parents stay
// off their bills, and finds the ticket in the list; the bill shows its returned line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launchBrowser, login, newContext, screenshot, uniqueChild, uniqueParent, wedgeScan } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function billedParent(children: number, billNo: string): Promise<string> {
  const qr = uniqueParent();
  expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/open`)).status).toBe(200);
  for (let i = 0; i < children; i++) {
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${qr}/children`, { qr: uniqueChild('R') })).status).toBe(200);
  }
  expect((await apiAs('biller', 'POST', `/api/bills/${billNo}/parents`, { qr })).body.result).toBe('added');
  return qr;
}

describe('returns', () => {
  it('creates a ticket, scans returned parents off their bill, warns before cancelling, lists it', async () => {
    const billNo = `E2E-RTN-${Date.now().toString(36).toUpperCase()}`;
    expect((await apiAs('biller', 'POST', '/api/bills', { billNo, destination: 'Kanpur', vehicleNo: 'UP32 1', capacity: 5 })).status).toBe(201);
    const parentA = await billedParent(3, billNo);
    const parentB = await billedParent(2, billNo);
    const loose = uniqueParent();
    expect((await apiAs('dispatcher', 'POST', `/api/parents/${loose}/open`)).status).toBe(200);

    const context = await newContext(browser, { width: 1280, height: 900 });
    const page = await context.newPage();
    await login(page, 'biller');
    await page.waitForURL(/\/bills$/);
    await page.getByRole('link', { name: 'Returns' }).first().click();
    await page.waitForURL(/\/returns$/);
    await page.getByRole('button', { name: '+ New return ticket' }).click();
    // The area is required.
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.getByText('Choose the warehouse the bags come back to.').waitFor();
    await page.getByLabel('Receiving area').selectOption({ label: 'Lucknow' });
    await page.getByLabel(/^Notes/).fill('Dealer Sharma, unsold');
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.waitForURL(/\/returns\/RTN-\d{8}-[0-9A-F]{4}$/);
    const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByRole('heading', { name: `Return ${code}` }).waitFor();

    const result = page.getByTestId('return-scanner');
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, parentA.toLowerCase());
    await result.locator('[data-kind="linked"]').filter({ hasText: parentA }).filter({ hasText: `off bill ${billNo} · 3 child bags` }).waitFor();
    await page.getByTestId('return-totals').filter({ hasText: '1 parent bag · 3 child bags' }).waitFor();

    await wedgeScan(page, parentA);
    await result.locator('[data-kind="duplicate"]').filter({ hasText: 'already on this ticket' }).waitFor();
    await wedgeScan(page, loose);
    await result.locator('[data-kind="rejected"]').filter({ hasText: 'not on any bill' }).waitFor();
    await wedgeScan(page, 'SB99997');
    await result.locator('[data-kind="rejected"]').filter({ hasText: 'unknown parent' }).waitFor();

    // Typed by hand, as for a damaged label.
    await page.getByLabel('Parent QR').fill(parentB);
    await page.getByRole('button', { name: 'Return parent' }).click();
    await result.locator('[data-kind="linked"]').filter({ hasText: parentB }).waitFor();
    await page.getByTestId('return-totals').filter({ hasText: '2 parent bags · 5 child bags' }).waitFor();
    await page.getByTestId('return-weight').filter({ hasText: '5' }).waitFor();
    await page.getByTestId('return-parents').getByRole('link', { name: billNo }).first().waitFor();
    await screenshot(page, 'return-ticket');

    // Cancelling asks first and says the parents stay off their bills; keeping it open changes nothing.
    await page.getByRole('button', { name: 'Cancel ticket' }).click();
    await page.getByTestId('cancel-warning').filter({ hasText: 'does NOT put the 2 parent bags already scanned back on their bills' }).waitFor();
    await page.getByRole('button', { name: 'Keep it open' }).click();
    await page.getByRole('button', { name: 'Finalize ticket' }).click();
    await page.locator('dialog[open]').getByTestId('confirm').click();
    await page.getByText('This ticket is finalized; it takes no more parents.').waitFor();
    expect((await apiAs('biller', 'GET', `/api/returns/${code}`)).body.ticket.status).toBe('finalized');

    // The bill keeps a returned line for each.
    await page.goto(`/bills/${billNo}`);
    await page.getByTestId('bill-returned').filter({ hasText: parentA }).filter({ hasText: code }).waitFor();
    // The print sheet lists them apart, as not on the truck.
    await page.goto(`/bills/${billNo}/print`);
    const returnedSheet = page.getByTestId('print-returned');
    await returnedSheet.filter({ hasText: parentA }).filter({ hasText: parentB }).filter({ hasText: code }).waitFor();
    expect(await returnedSheet.locator('caption').textContent()).toContain('not on the truck');
    expect(await page.locator('.print-parents').first().textContent()).not.toContain(parentA);
    // The end-of-day report has today's returns.
    await page.goto('/reports');
    await page.getByTestId('eod-returns').filter({ hasText: 'Returns (per receiving area)' }).filter({ hasText: 'Parents returned' }).waitFor();

    // And the list has it.
    await page.goto('/returns');
    await page.getByTestId('returns-table').getByRole('link', { name: code }).waitFor();
    await context.close();
  });

  it('the cancel question on a 360 px phone, in Hindi', async () => {
    const billNo = `E2E-RTH-${Date.now().toString(36).toUpperCase()}`;
    expect((await apiAs('biller', 'POST', '/api/bills', { billNo, destination: 'Agra', vehicleNo: 'UP80 2', capacity: 5 })).status).toBe(201);
    const parent = await billedParent(1, billNo);
    const areas = (await apiAs('biller', 'GET', '/api/areas')).body.items as Array<{ id: number; name: string }>;
    const created = await apiAs('biller', 'POST', '/api/returns', { areaId: areas[0]!.id });
    const code = created.body.ticket.code as string;
    expect((await apiAs('biller', 'POST', `/api/returns/${code}/parents`, { qr: parent })).body.result).toBe('returned');

    const context = await newContext(browser, { width: 360, height: 740 }, 'hi-IN');
    const page = await context.newPage();
    await login(page, 'biller');
    await page.goto(`/returns/${code}`);
    await page.getByRole('button', { name: 'टिकट रद्द करें' }).click();
    await page.getByTestId('cancel-warning').filter({ hasText: 'अपने बिलों पर वापस नहीं जाते' }).waitFor();
    await page.locator('dialog[open]').getByTestId('confirm').click();
    await page.getByTestId('return-summary').locator('[data-status="cancelled"]').waitFor();
    expect((await apiAs('biller', 'GET', `/api/parents/${parent}`)).body.parent.billNo).toBeNull();
    await context.close();
  });
  it('a scan with the cancel question open closes it and is answered in view on a phone; counts in words', async () => {
    const billNo = `E2E-RTQ-${Date.now().toString(36).toUpperCase()}`;
    expect((await apiAs('biller', 'POST', '/api/bills', { billNo, destination: 'Agra', vehicleNo: 'UP80 3', capacity: 5 })).status).toBe(201);
    const [first, second] = [await billedParent(1, billNo), await billedParent(2, billNo)];
    const areas = (await apiAs('biller', 'GET', '/api/areas')).body.items as Array<{ id: number }>;
    const code = (await apiAs('biller', 'POST', '/api/returns', { areaId: areas[0]!.id })).body.ticket.code as string;
    expect((await apiAs('biller', 'POST', `/api/returns/${code}/parents`, { qr: first })).body.result).toBe('returned');

    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    await login(page, 'biller');
    await page.goto(`/returns/${code}`);
    await page.getByTestId('return-summary').waitFor();
    // One parent: the question says it in the singular.
    await page.getByRole('button', { name: 'Cancel ticket' }).click();
    await page.getByTestId('cancel-warning').filter({ hasText: 'does NOT put the 1 parent bag already scanned back on its bill' }).waitFor();
    // The operator scans the next parent instead of answering: the question goes (nothing is cancelled), the
    // parent is returned, and the answer is on screen above the bottom bar without scrolling.
    await wedgeScan(page, second);
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    const answer = page.getByTestId('return-scanner').locator('[data-kind="linked"]').filter({ hasText: second });
    await answer.filter({ hasText: '2 child bags' }).waitFor();
    const box = await answer.boundingBox();
    expect(box && box.y >= -1 && box.y + box.height <= 740 - 56, JSON.stringify(box)).toBe(true);
    expect((await apiAs('biller', 'GET', `/api/returns/${code}`)).body.ticket.status).toBe('open');
    await context.close();
  });
});
