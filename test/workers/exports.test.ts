import { SELF } from 'cloudflare:test';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sql } from './db';
import { BASE, tokenFor } from './helpers';
import { areaId, insertBags, insertBill, insertLink, rows, tag, userId } from './read-fixtures';

async function download(path: string, as: string) {
  const res = await SELF.fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${await tokenFor(as)}` } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const table = (text: string): string[][] => parse(text, { relax_column_count: false });

/** Awkward field contents: separators, quotes, line breaks, and what spreadsheets would run as formulas. */
const NASTY = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\r\nlf', '=1+2', '+SUM(A1)', '-5+3', '@cmd', '\tTAB', '\rCR', "'quoted already", 'ünïcödé ✓'];
const neutralised = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

describe('CSV exports', () => {
  it('audit.csv quotes every awkward field, neutralises formula-like cells, and parses back to the data', async () => {
    const id = tag('CSV');
    for (const [i, value] of NASTY.entries()) {
      await rows(sql`INSERT INTO audit_log (at, actor_username, action, entity_type, entity_id, user_agent, after)
        VALUES (${new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString()}, 'admin', 'test.csv', 'csv', ${id}, ${value}, ${JSON.stringify({ v: value })}::jsonb)`);
    }
    const res = await download(`/api/export/audit.csv?entityId=${id}`, 'admin');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...data] = table(res.text);
    expect(header).toEqual(['at (Asia/Kolkata)', 'actor_id', 'actor', 'action', 'entity_type', 'entity_id', 'before', 'after', 'ip', 'user_agent', 'request_id']);
    // Local wall-clock time with the offset: 2025-01-01 00:12 UTC is 05:42 in Kolkata.
    expect(data[0]![0]).toBe('2025-01-01 05:42:00 +05:30');
    // Newest first: the last value inserted comes first.
    const ua = data.map((r) => r[header!.indexOf('user_agent')]);
    expect(ua).toEqual([...NASTY].reverse().map(neutralised));
    expect(data.map((r) => JSON.parse(r[header!.indexOf('after')]!).v)).toEqual([...NASTY].reverse());
    expect((await download('/api/export/audit.csv', 'biller')).status).toBe(403);
  });

  it('bills/{billNo}.csv lists every child of every parent on the bill, with awkward bill fields intact', async () => {
    const [lucknow, biller] = [await areaId('Lucknow'), await userId('biller')];
    const t = tag('BX');
    const now = '2025-04-01T10:00:00.000Z';
    await insertBags([
      { qr: `${t}P1`, type: 'parent', areaId: lucknow, status: 'completed', createdAt: now, childCount: 2 },
      { qr: `${t}P2`, type: 'parent', areaId: lucknow, status: 'open', createdAt: now, childCount: 0 },
      { qr: `${t}C1`, type: 'child', areaId: lucknow, status: 'linked', createdAt: now },
      { qr: `${t}C2`, type: 'child', areaId: lucknow, status: 'linked', createdAt: now },
      { qr: `${t}P3`, type: 'parent', areaId: lucknow, status: 'completed', createdAt: now, childCount: 4 },
    ]);
    await insertLink(`${t}C1`, `${t}P1`, now);
    await insertLink(`${t}C2`, `${t}P1`, now);
    const billNo = `${t}-7`;
    await insertBill({
      billNo, destination: 'Delhi, "North"\nGate 2', vehicleNo: '=HYPERLINK("x")', createdBy: biller,
      parents: [{ qr: `${t}P1`, addedAt: now }, { qr: `${t}P2`, addedAt: now }],
    });
    // P3 was on the bill until a return ticket took it off (issue 13): the bill keeps a returned line.
    const code = `RTN-${t}`;
    await rows(sql`WITH t AS (INSERT INTO return_tickets (code, area_id, status, parent_count, child_count, created_by, created_at)
        VALUES (${code}, ${lucknow}, 'finalized', 1, 3, ${biller}, ${now}) RETURNING id)
      INSERT INTO return_ticket_parents (ticket_id, bag_qr, bill_no, bill_finalized, child_count, returned_at, returned_by, event_id)
      SELECT id, ${`${t}P3`}, ${billNo}, false, 3, '2025-04-02T04:30:00.000Z', ${biller}, ${`${code} s1`} FROM t`);
    const res = await download(`/api/export/bills/${billNo.toLowerCase()}.csv`, 'biller');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="bill-${billNo.toLowerCase()}.csv"`);
    const [header, ...data] = table(res.text);
    expect(header).toEqual([
      'bill_no', 'destination', 'vehicle_no', 'parent_qr', 'parent_area_id', 'parent_area', 'parent_child_count',
      'added_to_bill_at (Asia/Kolkata)', 'child_qr', 'linked_at (Asia/Kolkata)',
      // appended for returns, never renamed
      'line', 'returned_at (Asia/Kolkata)', 'return_ticket', 'returned_by',
    ]);
    expect(data.map((r) => [r[3], r[8], r[10]])).toEqual([[`${t}P1`, `${t}C1`, 'on_bill'], [`${t}P1`, `${t}C2`, 'on_bill'], [`${t}P2`, '', 'on_bill'], [`${t}P3`, '', 'returned']]);
    // The returned parent: its child count at return, when, on which ticket, by whom; no time on the bill, no child.
    expect(data[3]!.slice(4)).toEqual([String(lucknow), 'Lucknow', '3', '', '', '', 'returned', '2025-04-02 10:00:00 +05:30', code, 'biller']);
    expect(data[0]!.slice(11)).toEqual(['', '', '']);
    // Area names beside their ids; times local with the offset (10:00 UTC is 15:30 in Kolkata); no time, no text.
    expect(data[0]!.slice(4, 6)).toEqual([String(lucknow), 'Lucknow']);
    expect([data[0]![7], data[0]![9], data[2]![9]]).toEqual(['2025-04-01 15:30:00 +05:30', '2025-04-01 15:30:00 +05:30', '']);
    expect(data[0]!.slice(0, 3)).toEqual([billNo, 'Delhi, "North"\nGate 2', `'=HYPERLINK("x")`]);
    expect((await download('/api/export/bills/NOPE-NOPE.csv', 'admin')).status).toBe(404);
    expect((await download(`/api/export/bills/${billNo}.csv`, 'supervisor')).status).toBe(403);
    expect((await download(`/api/export/bills/${billNo}.txt`, 'admin')).status).toBe(400);
  });

  it('scans.csv and bags.csv stream many pages with the list filters, every row once', async () => {
    const [lucknow, disp] = [await areaId('Lucknow'), await userId('dispatcher')];
    const t = tag('BIG');
    const n = 4500; // more than two export pages
    await rows(sql`INSERT INTO scans (scan_id, parent_qr, child_qr, user_id, area_id, result, created_at)
      SELECT ${t} || '-' || g, ${`${t}P`}, ${t} || 'C' || g, ${disp}, ${lucknow}, CASE WHEN g % 10 = 0 THEN 'duplicate' ELSE 'linked' END,
        timestamptz '2025-05-01T00:00:00Z' + (g / 3) * interval '1 second'
      FROM generate_series(1, ${n}) g`);
    const res = await download(`/api/export/scans.csv?parentQr=${t}P`, 'admin');
    expect(res.status).toBe(200);
    const [header, ...data] = table(res.text);
    expect(header).toEqual(['at (Asia/Kolkata)', 'scan_id', 'parent_qr', 'child_qr', 'result', 'error_code', 'user', 'area_id', 'area']);
    expect(data).toHaveLength(n);
    expect(data.at(-1)!.slice(7)).toEqual([String(lucknow), 'Lucknow']);
    expect(data.at(-1)![0]).toBe('2025-05-01 05:30:00 +05:30');
    expect(new Set(data.map((r) => r[1])).size).toBe(n);
    const dups = await download(`/api/export/scans.csv?parentQr=${t}P&result=duplicate`, 'biller');
    expect(table(dups.text)).toHaveLength(1 + n / 10);

    await rows(sql`INSERT INTO bags (qr, type, area_id, status, created_at, updated_at)
      SELECT ${t} || 'Q' || g, 'child', ${lucknow}, 'unlinked', timestamptz '2025-05-01T00:00:00Z' + (g / 7) * interval '1 second', now()
      FROM generate_series(1, 2100) g`);
    const bags = await download(`/api/export/bags.csv?q=${t}Q&linked=false`, 'supervisor');
    expect(bags.status).toBe(200);
    const [bagHeader, ...bagRows] = table(bags.text);
    expect(bagHeader).toEqual(['qr', 'type', 'area_id', 'area', 'status', 'child_count', 'created_at (Asia/Kolkata)', 'created_by']);
    expect(bagRows).toHaveLength(2100);
    expect(bagRows[0]!.slice(2, 4)).toEqual([String(lucknow), 'Lucknow']);
    expect(new Set(bagRows.map((r) => r[0])).size).toBe(2100);
    expect((await download(`/api/export/bags.csv?q=${t}Q`, 'dispatcher')).status).toBe(403);
    expect((await download(`/api/export/bags.csv?areaId=${await areaId('Indore')}`, 'supervisor')).status).toBe(403);
    expect((await download('/api/export/scans.csv?result=nope', 'admin')).status).toBe(400);
    const empty = await download(`/api/export/scans.csv?parentQr=${tag('NONE')}`, 'admin');
    expect(table(empty.text)).toHaveLength(1); // the header only
  });
});
