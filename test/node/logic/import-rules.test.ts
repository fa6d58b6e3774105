// The TraitorTrack import's rules that run in Node: people, bill numbers, the command line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../scripts/import/traitortrack';
import { planBillNumbers } from '../../../scripts/import/traitortrack/bill-numbers';
import { checkedJson } from '../../../scripts/import/traitortrack/extract';
import { areaKey, normalizeTotpSecret, planPeople, UNUSABLE_PASSWORD, type SourceUser } from '../../../scripts/import/traitortrack/people';
import { ANOMALY_RULES } from '../../../scripts/import/traitortrack/rules';
import { planReturnCodes } from '../../../scripts/import/traitortrack/return-codes';

const HASH = 'pbkdf2:sha256:1000$salt$' + 'a'.repeat(64);
const AREAS = [
  { id: 1, name: 'Lucknow' },
  { id: 5, name: 'Sri Ganganagar' },
];
const user = (id: number, over: Partial<SourceUser> = {}): SourceUser => ({
  id,
  username: `user${id}`,
  passwordHash: HASH,
  role: 'dispatcher',
  dispatchArea: 'lucknow',
  verified: true,
  totpSecret: null,
  twoFaEnabled: false,
  createdAt: `2022-01-0${id} 00:00:00+00`,
  ...over,
});

describe('planPeople', () => {
  it('maps roles one to one and never makes anyone a supervisor', () => {
    const plan = planPeople([user(1, { role: 'admin', dispatchArea: null }), user(2, { role: 'biller' }), user(3), user(4, { role: 'supervisor' })], AREAS, [], new Map());
    expect(plan.create.map((u) => [u.role, u.active])).toEqual([['admin', true], ['biller', true], ['dispatcher', true], ['dispatcher', false]]);
    expect(plan.anomalies).toEqual([expect.objectContaining({ kind: 'role_unknown', sourceId: '4' })]);
  });

  it('gives the oldest of case duplicates the name and renames the rest, and never takes a TraceTrack name', () => {
    const plan = planPeople(
      [user(3, { username: 'RAVI', createdAt: '2022-02-01 00:00:00+00' }), user(2, { username: 'ravi', createdAt: '2022-01-01 00:00:00+00' }), user(4, { username: 'Admin' })],
      AREAS,
      [{ id: 1, username: 'admin' }, { id: 2, username: 'admin-tt' }],
      new Map(),
    );
    expect(Object.fromEntries(plan.create.map((u) => [u.sourceId, u.username]))).toEqual({ 2: 'ravi', 3: 'RAVI-3', 4: 'Admin-tt4' });
    expect(plan.anomalies.map((a) => a.kind).sort()).toEqual(['username_duplicate', 'username_taken']);
  });

  it('matches areas ignoring case, spaces, "-" and "_"; an unknown area deactivates a dispatcher', () => {
    expect(areaKey(' Sri-Ganganagar ')).toBe(areaKey('sri_ganganagar'));
    const plan = planPeople([user(1, { dispatchArea: 'SRI GANGANAGAR' }), user(2, { dispatchArea: 'Delhi' }), user(3, { role: 'biller', dispatchArea: 'Delhi' })], AREAS, [], new Map());
    expect(plan.create.map((u) => [u.areaId, u.active])).toEqual([[5, true], [null, false], [null, true]]);
    expect(plan.anomalies.map((a) => `${a.sourceId}:${a.kind}`)).toEqual(['2:area_unknown', '2:dispatcher_without_area', '3:area_unknown']);
  });

  it('keeps werkzeug hashes, refuses anything else, carries TOTP only with a valid secret', () => {
    const plan = planPeople(
      [
        user(1, { passwordHash: 'plain-password', twoFaEnabled: true, totpSecret: 'jbsw y3dp ehpk 3pxp' }),
        user(2, { twoFaEnabled: true, totpSecret: 'not base32!' }),
        user(3, { twoFaEnabled: false, totpSecret: 'JBSWY3DPEHPK3PXP' }),
      ],
      AREAS,
      [],
      new Map(),
    );
    expect(plan.create.map((u) => [u.passwordHash === HASH ? 'kept' : u.passwordHash, u.totpEnabled, u.totpSecret])).toEqual([
      [UNUSABLE_PASSWORD, true, 'JBSWY3DPEHPK3PXP'],
      ['kept', false, null],
      ['kept', false, 'JBSWY3DPEHPK3PXP'],
    ]);
    expect(JSON.stringify(plan.anomalies)).not.toContain('plain-password');
    expect(normalizeTotpSecret('jbswy3dpehpk3pxp====')).toBe('JBSWY3DPEHPK3PXP');
    expect(normalizeTotpSecret('ABC')).toBeNull();
  });

  it('leaves accounts an earlier run imported alone', () => {
    const plan = planPeople([user(1), user(2)], AREAS, [{ id: 9, username: 'user1' }], new Map([[1, 9]]));
    expect(plan.create.map((u) => u.sourceId)).toEqual([2]);
    expect([...plan.existing]).toEqual([[1, 9]]);
    expect(plan.anomalies).toEqual([]);
  });
});

describe('planBillNumbers', () => {
  it('upper-cases, rewrites what TraceTrack cannot hold, and renames duplicates and taken numbers', () => {
    const plan = planBillNumbers(
      [
        { id: 1, billNo: 'bill-a', createdAt: '2022-01-01' },
        { id: 2, billNo: 'BILL-A', createdAt: '2022-01-02' },
        { id: 3, billNo: 'BILL/2022/7', createdAt: '2022-01-03' },
        { id: 4, billNo: 'TAKEN', createdAt: '2022-01-04' },
        { id: 5, billNo: '///', createdAt: '2022-01-05' },
      ],
      ['TAKEN'],
      new Map(),
    );
    expect(Object.fromEntries(plan.create)).toEqual({ 1: 'BILL-A', 2: 'BILL-A-2', 3: 'BILL-2022-7', 4: 'TAKEN-TT', 5: 'BILL-5' });
    expect(plan.anomalies.map((a) => `${a.sourceId}:${a.kind}`)).toEqual(['1:bill_no_changed', '2:bill_no_duplicate', '3:bill_no_changed', '4:bill_no_taken', '5:bill_no_changed']);
  });

  it('knows the numbers of bills an earlier run imported', () => {
    const plan = planBillNumbers([{ id: 1, billNo: 'B-1', createdAt: null }], ['B-1'], new Map([[1, 'B-1']]));
    expect(plan.create.size).toBe(0);
    expect(plan.existing.get(1)).toBe('B-1');
    expect(plan.anomalies).toEqual([]);
  });
});

describe('the command line and helpers', () => {
  it('takes --from, --dry-run and --report, and refuses anything else with the usage', () => {
    expect(parseArgs(['--from', 'postgres://tt@db/traitortrack', '--dry-run', '--report', 'r.csv'])).toEqual({ from: 'postgres://tt@db/traitortrack', dryRun: true, report: 'r.csv' });
    expect(parseArgs(['--from=postgresql://x/y'])).toEqual({ from: 'postgresql://x/y', dryRun: false });
    expect(() => parseArgs([])).toThrow(/--from .*required.*Usage/);
    expect(() => parseArgs(['--from', 'mysql://x'])).toThrow(/postgres:\/\/ URL/);
    expect(() => parseArgs(['--from', 'postgres://x/y', '--force'])).toThrow(/Unknown argument --force/);
  });

  it('keeps text that is not JSON, wrapped', () => {
    expect(checkedJson('{"a":1}')).toEqual({ json: '{"a":1}', problem: false });
    expect(checkedJson('not json')).toEqual({ json: '{"unparsed":"not json"}', problem: true });
    expect(checkedJson('{"a":"\\u0000"}')).toEqual({ json: JSON.stringify({ unparsed: '{"a":"\\u0000"}' }), problem: true });
    expect(checkedJson(null)).toEqual({ json: null, problem: false });
  });

  it('has a rule for every anomaly kind, in words, and docs/MIGRATING.md lists each one', () => {
    const doc = readFileSync('docs/MIGRATING.md', 'utf8');
    for (const [kind, rule] of Object.entries(ANOMALY_RULES)) {
      expect({ kind, long: rule.length > 30, documented: doc.includes(`| \`${kind}\` |`) }).toEqual({ kind, long: true, documented: true });
    }
  });
});

describe('planReturnCodes', () => {
  const at = '2022-03-01T20:00:00Z'; // 2022-03-02 in Asia/Kolkata
  it('keeps codes in the format, upper-cases them, and makes new ones for the rest, the same on every run', () => {
    const source = [
      { id: 1, code: 'RTN-20220302-4F2A', createdAt: at },
      { id: 2, code: ' rtn-20220302-00ab ', createdAt: at },
      { id: 3, code: 'ipt-77', createdAt: at },
      { id: 4, code: 'rtn-20220302-4f2a', createdAt: '2022-03-03T00:00:00Z' }, // ticket 1's, later
      { id: 5, code: 'RTN-20220302-BEEF', createdAt: at }, // TraceTrack's own
      { id: 6, code: null, createdAt: null },
    ];
    const plan = planReturnCodes(source, ['RTN-20220302-BEEF'], new Map(), 'Asia/Kolkata');
    expect(plan.create.get(1)).toBe('RTN-20220302-4F2A');
    expect(plan.create.get(2)).toBe('RTN-20220302-00AB');
    for (const id of [3, 4, 5]) expect(plan.create.get(id)).toMatch(/^RTN-2022030[23]-[0-9A-F]{4}$/);
    expect(plan.create.get(6)).toMatch(/^RTN-00000000-[0-9A-F]{4}$/);
    expect(new Set(plan.create.values()).size).toBe(6);
    expect(plan.anomalies.map((a) => [a.sourceId, a.kind])).toEqual([
      ['6', 'return_code_changed'],
      ['2', 'return_code_changed'],
      ['3', 'return_code_changed'],
      ['5', 'return_code_taken'],
      ['4', 'return_code_duplicate'],
    ]);
    expect(planReturnCodes(source, ['RTN-20220302-BEEF'], new Map(), 'Asia/Kolkata').create).toEqual(plan.create);
    // An earlier run's tickets keep their codes and are not reported again.
    const again = planReturnCodes(source, [...plan.create.values(), 'RTN-20220302-BEEF'], plan.create, 'Asia/Kolkata');
    expect(again.create.size).toBe(0);
    expect(again.existing).toEqual(plan.create);
    expect(again.anomalies).toEqual([]);
  });
});
