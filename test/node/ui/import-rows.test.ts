// Spreadsheet import, the browser side: bytes → sheet (xlsx through read-excel-file, CSV through papaparse),
// sheet → rows to send (zod-checked shapes, formats, conflicts inside the file), batches, the result file.
import { describe, expect, it } from 'vitest';
import { readSheet } from 'read-excel-file/universal';
import writeXlsxFile from 'write-excel-file/universal';
import { importRowsBodySchema, importScanId, IMPORT_BATCH_ROWS, MAX_IMPORT_ROWS } from '../../../src/shared/imports';
import { batchRows, countOutcomes, OUTCOME_WORDS, parseTable, resultTable, type ParsedImport } from '../../../src/shared/import-rows';
import { decodeFile } from '../../../src/ui/screens/import/decode';
import { en } from '../../../src/ui/i18n/en';
import { hi } from '../../../src/ui/i18n/hi';
import { holesOf, translator, type Messages } from '../../../src/ui/i18n/translate';
import type { RowResult } from '../../../src/shared/import-types';

const readXlsx = async (bytes: ArrayBuffer) => (await readSheet(bytes)) as unknown[][];
const enc = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

function parsed(table: unknown[][]): ParsedImport {
  const p = parseTable(table);
  if ('code' in p) throw new Error(p.message);
  return p;
}

describe('reading a file', () => {
  it('reads CSV (any delimiter, BOM, CRLF) and an xlsx workbook into the same sheet', async () => {
    const csv = await decodeFile(enc('\ufeffChild QR;Parent QR\r\nc0001;sb00001\r\n'), 'a.csv', readXlsx);
    expect(csv).toMatchObject({ format: 'csv' });
    const blob = await writeXlsxFile([['child_qr', 'parent_qr'], ['C0001', 'SB00001'], [12345, 'SB00001']]).toBlob();
    const xlsx = await decodeFile(await blob.arrayBuffer(), 'a.xlsx', readXlsx);
    expect(xlsx).toMatchObject({ format: 'xlsx' });
    if ('code' in xlsx || 'code' in csv) throw new Error('unreadable');
    expect(parsed(csv.table).rows).toEqual([{ row: 2, childQr: 'C0001', parentQr: 'SB00001' }]);
    // A number cell (a QR made only of digits) reads as its text.
    expect(parsed(xlsx.table).rows).toEqual([
      { row: 2, childQr: 'C0001', parentQr: 'SB00001' },
      { row: 3, childQr: '12345', parentQr: 'SB00001' },
    ]);
  });

  it('names the problem of a bad file: not a spreadsheet, too large, empty', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]).buffer;
    expect(await decodeFile(png, 'photo.csv', readXlsx)).toMatchObject({ code: 'NOT_A_SPREADSHEET' });
    expect(await decodeFile(enc('child_qr,parent_qr\n'), 'fake.xlsx', readXlsx)).toMatchObject({ code: 'NOT_A_SPREADSHEET', message: expect.stringContaining('.xlsx') });
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]).buffer;
    expect(await decodeFile(zip, 'broken.xlsx', readXlsx)).toMatchObject({ code: 'NOT_A_SPREADSHEET' });
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).buffer;
    expect(await decodeFile(xls, 'old.xls', readXlsx)).toMatchObject({ code: 'NOT_A_SPREADSHEET', message: expect.stringContaining('.xls') });
    expect(await decodeFile(new ArrayBuffer(0), 'empty.csv', readXlsx)).toMatchObject({ code: 'EMPTY' });
    expect(await decodeFile(new ArrayBuffer(21 * 1024 * 1024), 'huge.csv', readXlsx)).toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('20.0 MB') });
  });
});

describe('rows of a sheet', () => {
  it('knows the kind from the header and says which columns are missing', () => {
    expect(parsed([['parent', 'Bill No'], ['sb00001', 'b-1']])).toMatchObject({ kind: 'bills', rows: [{ row: 2, parentQr: 'SB00001', billNo: 'B-1' }] });
    const missing = parseTable([['qr', 'where'], ['C0001', 'SB00001']]);
    expect(missing).toMatchObject({ code: 'MISSING_COLUMNS', message: expect.stringContaining('child_qr') });
    expect(parseTable([])).toMatchObject({ code: 'EMPTY' });
    expect(parseTable([['child_qr', 'parent_qr'], ['', '']])).toMatchObject({ code: 'EMPTY' });
    expect(parseTable([['', ''], ['child_qr', 'parent_qr']])).toMatchObject({ code: 'MISSING_COLUMNS' });
  });

  it('answers malformed rows and conflicts inside the file without sending them', () => {
    const p = parsed([
      ['child_qr', 'parent_qr'],
      ['C0001', 'SB00001'],
      ['C0001', 'SB00002'], // same child, another parent
      ['C0001', 'SB00001'], // same child, same parent: sent (the server says already there)
      ['SB00009', 'SB00001'], // a parent label as child
      ['x!', 'SB00001'],
      ['C0002', 'nope'],
      [],
      ['C0003', ''],
      ['SB001234', 'SB00003'],
    ]);
    expect(p.total).toBe(8);
    expect(p.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(p.local).toMatchObject([
      { row: 3, outcome: 'conflict', code: 'CHILD_IN_OTHER_PARENT', message: 'C0001 is put in SB00001 by row 2 of this file.' },
      { row: 5, outcome: 'invalid', code: 'QR_ROLE_CONFLICT', message: expect.stringContaining('parent label') },
      { row: 6, outcome: 'invalid', code: 'INVALID_QR', message: expect.stringContaining('not a child QR') },
      { row: 7, outcome: 'invalid', code: 'INVALID_QR', message: expect.stringContaining('not a parent QR') },
      { row: 9, outcome: 'invalid', code: 'INVALID_QR', message: 'The parent QR is empty.' },
      { row: 10, outcome: 'invalid', code: 'INVALID_QR', message: expect.stringContaining('not a child QR') },
    ]);
    const bills = parsed([['parent_qr', 'bill_no'], ['SB00001', 'B1'], ['SB00001', 'B2'], ['C0001', 'B1'], ['SB00002', 'bad bill!']]);
    expect(bills.rows).toEqual([{ row: 2, parentQr: 'SB00001', billNo: 'B1' }]);
    expect(bills.local.map((r) => [r.row, r.code])).toEqual([[3, 'PARENT_ON_OTHER_BILL'], [4, 'INVALID_QR'], [5, 'INVALID_INPUT']]);
  });

  it('refuses a file of more than the row limit', () => {
    const table: string[][] = [['child_qr', 'parent_qr']];
    for (let i = 0; i <= MAX_IMPORT_ROWS; i++) table.push([`C${i}`, 'SB00001']);
    expect(parseTable(table)).toMatchObject({ code: 'TOO_MANY_ROWS' });
  });

  it('parses 100,000 rows quickly', () => {
    const table: string[][] = [['child_qr', 'parent_qr']];
    for (let i = 0; i < MAX_IMPORT_ROWS; i++) table.push([`CH${String(i).padStart(8, '0')}`, `SB${String(Math.floor(i / 30)).padStart(5, '0')}`]);
    const started = performance.now();
    const p = parsed(table);
    const ms = performance.now() - started;
    expect(p.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(ms).toBeLessThan(3000);
    const batches = batchRows(p.rows);
    expect(batches.every((b) => b.length <= IMPORT_BATCH_ROWS)).toBe(true);
    expect(batches.flat()).toHaveLength(MAX_IMPORT_ROWS);
  });
});

describe('batches and the request', () => {
  it('keeps a parent’s rows in one batch and every batch validates against the route’s schema', () => {
    const rows = [
      ...Array.from({ length: 200 }, (_, i) => ({ row: i + 2, childQr: `A${1000 + i}`, parentQr: `SB${String(10000 + Math.floor(i / 25))}` })),
      ...Array.from({ length: 30 }, (_, i) => ({ row: 300 + i, childQr: `B${1000 + i}`, parentQr: 'SB99999' })),
      ...Array.from({ length: 30 }, (_, i) => ({ row: 400 + i, childQr: `D${1000 + i}`, parentQr: 'SB99998' })),
    ];
    const batches = batchRows(rows);
    expect(batches.map((b) => b.length)).toEqual([230, 30]);
    for (const batch of batches) {
      const parents = new Set(batch.map((r) => r.parentQr));
      for (const p of parents) expect(batches.filter((b) => b.some((r) => r.parentQr === p))).toHaveLength(1);
      const body = importRowsBodySchema.safeParse({ importId: 'a'.repeat(64), dryRun: true, kind: 'links', rows: batch });
      expect(body.success).toBe(true);
    }
    expect(importRowsBodySchema.safeParse({ importId: 'x', dryRun: true, kind: 'links', rows: batches[0] }).success).toBe(false);
    expect(importRowsBodySchema.safeParse({ importId: 'a'.repeat(64), dryRun: true, kind: 'links', rows: [...batches[0]!, ...batches[1]!] }).success).toBe(false);
    expect(importScanId('f'.repeat(64), 100001).length).toBeLessThanOrEqual(64);
  });

  it('writes the result table: the file as uploaded plus outcome and detail', () => {
    const table = [['child_qr', 'parent_qr', 'note'], ['C0001', 'SB00001'], ['C0002', 'SB00001', 'x']];
    const out = resultTable(table, new Map([[2, { row: 2, outcome: 'linked' as const }], [3, { row: 3, outcome: 'conflict' as const, code: 'PARENT_FULL', message: 'full' }]]));
    expect(out).toEqual([
      ['child_qr', 'parent_qr', 'note', 'outcome', 'detail'],
      ['C0001', 'SB00001', '', 'linked', ''],
      ['C0002', 'SB00001', 'x', 'conflict', 'PARENT_FULL: full'],
    ]);
    expect(countOutcomes([{ row: 2, outcome: 'linked' }, { row: 3, outcome: 'conflict' }])).toMatchObject({ linked: 1, conflict: 1, already: 0 });
  });

  it('words every row and file problem found in the browser in English and Hindi, in the result file too', async () => {
    const links = parsed([
      ['child_qr', 'parent_qr'],
      ['C0001', 'SB00001'],
      ['C0001', 'SB00002'],
      ['SB00009', 'SB00001'],
      ['x!', 'SB00001'],
      ['C0002', 'nope'],
      ['', 'SB00001'],
      ['C0003', ''],
      ['C'.repeat(300), 'SB00001'],
      ['SB00001', 'SB00005'],
    ]);
    const bills = parsed([['parent_qr', 'bill_no'], ['SB00001', 'B1'], ['SB00001', 'B2'], ['C0001', 'B1'], ['SB00002', 'bad bill!'], ['SB00003', ''], ['', 'B1']]);
    const files = [
      parseTable([]),
      parseTable([[], ['child_qr', 'parent_qr']]),
      parseTable([['what', 'ever'], ['a', 'b']]),
      parseTable([['child_qr', 'parent_qr']]),
      await decodeFile(new ArrayBuffer(0), 'e.csv', async () => []),
      await decodeFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]).buffer, 'old.xls', async () => []),
      await decodeFile(new TextEncoder().encode('a,b\n"x,y\n').buffer, 'q.csv', async () => []),
    ];
    const worded = [...links.local, ...bills.local, ...files] as Array<Pick<RowResult, 'key' | 'params' | 'message'>>;
    expect(worded.length).toBeGreaterThanOrEqual(16);
    const hiMessages = hi.messages as Messages;
    const [enT, hiT] = [translator('en-IN'), translator('hi-IN')];
    for (const w of worded) {
      expect(w.key, w.message).toMatch(/^import\.why\./);
      const message = (en as Messages)[w.key!];
      expect(message, w.key).toBeDefined();
      // Every hole has its value, and the Hindi words are not the English ones.
      for (const hole of holesOf(message!)) expect(w.params ?? {}, `${w.key} {${hole}}`).toHaveProperty(hole);
      const [english, hindi] = [enT.text(message, w.params), hiT.text(hiMessages[w.key!], w.params)];
      expect(hindi).not.toMatch(/\{\w+\}/);
      expect(hindi).not.toBe(english);
      expect(hindi).toMatch(/[\u0900-\u097f]/);
    }
    // In English the file's words are what they always were (the catalog's import.file.* = OUTCOME_WORDS).
    for (const [o, word] of Object.entries(OUTCOME_WORDS)) expect((en as Messages)[`import.file.${o}`]).toBe(word);
    expect([(en as Messages)['import.file.outcome'], (en as Messages)['import.file.detail']]).toEqual(['outcome', 'detail']);
    // The result file in Hindi: columns, outcome and the row's detail.
    const out = resultTable([['child_qr', 'parent_qr'], ['C0001', 'SB00002']], new Map([[2, links.local[0]!]]), {
      header: ['नतीजा', 'ब्योरा'],
      outcome: { linked: 'जुड़ा', added: 'जोड़ा', would_link: 'जुड़ेगा', would_add: 'जोड़ा जाएगा', already: 'पहले से है', conflict: 'टकराव', invalid: 'अमान्य' },
      detail: (r) => hiT.text(hiMessages[r.key!], r.params),
    });
    expect(out).toEqual([
      ['child_qr', 'parent_qr', 'नतीजा', 'ब्योरा'],
      ['C0001', 'SB00002', 'टकराव', 'CHILD_IN_OTHER_PARENT: C0001 को इस फ़ाइल की पंक्ति 2 SB00001 में डालती है।'],
    ]);
  });
});
