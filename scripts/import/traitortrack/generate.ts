// A TraitorTrack-shaped database at production size, for `npm run bench:import`: every table filled by
// one server-side INSERT … SELECT over generate_series (nothing travels row by row), like seed:scale.
// Mostly clean data with a sprinkling of the anomalies real deployments have (lower-case QRs, children in
// two parents, bills above capacity), so the import's rules run at scale too; and return tickets (IPT) taking
// the first two parents of every fourth bill off it a day later.
import postgres from 'postgres';
import { TRAITORTRACK_DDL, TRAITORTRACK_RETURNS_DDL } from './schema';

export interface GenerateOptions {
  parents: number;
  childrenPerParent: number;
  bills: number;
  parentsPerBill: number;
  auditRows: number;
  log?: (line: string) => void;
}

export const DEFAULT_GENERATE: GenerateOptions = { parents: 60_000, childrenPerParent: 30, bills: 1_200, parentsPerBill: 40, auditRows: 60_000 };

const AREAS = ['lucknow', 'indore', 'jaipur', 'hisar', 'sri_ganganagar', 'sangaria', 'bathinda', 'raipur', 'ranchi', 'akola'];
/** One werkzeug pbkdf2 hash for every generated account (of the password "bench-password"). */
const HASH = 'pbkdf2:sha256:1000$benchsalt$e4c0cbfbbd4e48de4cc8b9d7cb7a6ba1c5d10ee1ab2d4a4b0bdc4d6e1a0e3b6c';

export async function generateTraitorTrack(url: string, o: GenerateOptions): Promise<Record<string, number>> {
  const log = o.log ?? console.log;
  const { parents: P, childrenPerParent: K, bills: B, parentsPerBill: PB } = o;
  if (B * PB > P) throw new Error('bills × parents per bill must not exceed the parents');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const ddl of [...TRAITORTRACK_DDL, ...TRAITORTRACK_RETURNS_DDL]) await sql.unsafe(ddl);
    const run = async (label: string, text: string) => {
      const t = Date.now();
      const r = await sql.unsafe(text);
      log(`  ${label}: ${r.count} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    const area = (i: string) => `(ARRAY['${AREAS.join("','")}'])[(${i}) % 10 + 1]`;
    // Users 1–50 dispatchers (5 per area), 51–55 billers, 56 the admin.
    await run('users', `INSERT INTO "user" (id, username, email, password_hash, role, dispatch_area, verified, created_at)
      SELECT u, CASE WHEN u <= 50 THEN 'scanner' || u WHEN u <= 55 THEN 'biller' || (u - 50) ELSE 'ttadmin' END, NULL, '${HASH}',
        CASE WHEN u <= 50 THEN 'dispatcher' WHEN u <= 55 THEN 'biller' ELSE 'admin' END, CASE WHEN u <= 50 THEN ${area('u')} END, true,
        timestamp '2024-01-01' FROM generate_series(1, 56) u`);
    const start = `timestamp '2024-06-01'`;
    // Parent i (id i + 1) starts at i × 90 s; its k-th child (id P + i*K + k + 1) 20 s apart.
    const pAt = (i: string) => `(${start} + (${i}) * interval '90 seconds')`;
    const cAt = (i: string, k: string) => `(${pAt(i)} + ((${k}) + 1) * interval '20 seconds')`;
    const user = (i: string) => `((${i}) % 10) * 5 + ((${i}) / 10) % 5 + 1`;
    await run('parent bags', `INSERT INTO bag (id, qr_id, type, child_count, user_id, dispatch_area, status, weight_kg, created_at, updated_at)
      SELECT i + 1, 'SB' || lpad(i::text, 5, '0'), 'parent', ${K}, ${user('i')}, ${area('i')}, 'completed', ${K}, ${pAt('i')}, ${cAt('i', `${K - 1}`)}
      FROM generate_series(0, ${P - 1}) i`);
    // Every 1000th child label was stored lower-case.
    await run('child bags', `INSERT INTO bag (id, qr_id, type, child_count, parent_id, user_id, dispatch_area, status, weight_kg, created_at, updated_at)
      SELECT ${P} + j + 1, CASE WHEN j % 1000 = 999 THEN 'cb' ELSE 'CB' END || lpad(j::text, 8, '0'), 'child', 0, j / ${K} + 1, ${user(`j / ${K}`)},
        ${area(`j / ${K}`)}, 'completed', 1, ${cAt(`j / ${K}`, `j % ${K}`)}, ${cAt(`j / ${K}`, `j % ${K}`)}
      FROM generate_series(0, ${P * K - 1}) j`);
    // Every 5000th child is also linked to the next parent, later: the older link must win.
    await run('links', `INSERT INTO link (parent_bag_id, child_bag_id, created_at)
      SELECT j / ${K} + 1, ${P} + j + 1, ${cAt(`j / ${K}`, `j % ${K}`)} FROM generate_series(0, ${P * K - 1}) j
      UNION ALL SELECT (j / ${K} + 1) % ${P} + 1, ${P} + j + 1, ${cAt(`j / ${K}`, `j % ${K}`)} + interval '1 hour'
        FROM generate_series(0, ${P * K - 1}, 5000) j`);
    // One scan per child, one per parent, and a duplicate for every 20th child.
    await run('scans', `INSERT INTO scan ("timestamp", parent_bag_id, child_bag_id, user_id)
      SELECT ${cAt(`j / ${K}`, `j % ${K}`)}, j / ${K} + 1, ${P} + j + 1, ${user(`j / ${K}`)} FROM generate_series(0, ${P * K - 1}) j
      UNION ALL SELECT ${pAt('i')}, i + 1, NULL, ${user('i')} FROM generate_series(0, ${P - 1}) i
      UNION ALL SELECT ${cAt(`j / ${K}`, `j % ${K}`)} + interval '5 seconds', j / ${K} + 1, ${P} + j + 1, ${user(`j / ${K}`)}
        FROM generate_series(7, ${P * K - 1}, 20) j`);
    // Bills of PB parents each; every 100th declares one parent fewer than it holds.
    await run('bills', `INSERT INTO bill (id, bill_id, description, parent_bag_count, total_weight_kg, expected_weight_kg, total_child_bags, status, created_by_id, created_at, updated_at)
      SELECT b + 1, 'BILL-' || lpad(b::text, 5, '0'), 'Bill ' || b, CASE WHEN b % 100 = 0 THEN ${PB - 1} ELSE ${PB} END, ${PB * K}, ${PB * 30}, ${PB * K},
        CASE WHEN b % 20 = 19 THEN 'processing' ELSE 'completed' END, 51 + b % 5, ${pAt(`(b + 1) * ${PB}`)}, ${pAt(`(b + 1) * ${PB}`)} + interval '2 hours'
      FROM generate_series(0, ${B - 1}) b`);
    await run('bill bags', `INSERT INTO bill_bag (bill_id, bag_id, created_at)
      SELECT i / ${PB} + 1, i + 1, ${pAt(`(i / ${PB} + 1) * ${PB}`)} + (i % ${PB}) * interval '1 minute' FROM generate_series(0, ${B * PB - 1}) i`);
    await run('audit rows', `INSERT INTO audit_log ("timestamp", user_id, action, entity_type, entity_id, details, before_state, after_state, ip_address, request_id)
      SELECT ${pAt('i')}, ${user('i')}, 'create_bag', 'bag', i + 1, 'Created parent', NULL, json_build_object('qr_id', 'SB' || lpad(i::text, 5, '0'))::text,
        '10.0.' || (i % 250) || '.' || (i % 200), 'req-' || i FROM generate_series(0, ${o.auditRows - 1}) i`);
    // One return ticket per fourth bill, by its biller, a day after the bill: its first two parents come back.
    const tickets = Math.floor(B / 4);
    await run('return tickets', `INSERT INTO return_ticket (id, ticket_code, dispatch_area, notes, status, created_by_id, created_at, finalized_at)
      SELECT r + 1, 'RTN-' || to_char(${pAt(`(r * 4 + 1) * ${PB}`)} + interval '1 day', 'YYYYMMDD') || '-' || upper(lpad(to_hex(r % 65536), 4, '0')), ${area('r')},
        'Dealer return ' || r, CASE WHEN r % 10 = 9 THEN 'open' ELSE 'finalized' END, 51 + (r * 4) % 5,
        ${pAt(`(r * 4 + 1) * ${PB}`)} + interval '1 day', CASE WHEN r % 10 = 9 THEN NULL ELSE ${pAt(`(r * 4 + 1) * ${PB}`)} + interval '1 day 1 hour' END
      FROM generate_series(0, ${tickets - 1}) r`);
    await run('returned bags', `INSERT INTO return_ticket_bag (return_ticket_id, bag_id, bill_id, child_count_at_return, scanned_by_id, scanned_at)
      SELECT r + 1, r * 4 * ${PB} + k + 1, r * 4 + 1, ${K}, 51 + (r * 4) % 5, ${pAt(`(r * 4 + 1) * ${PB}`)} + interval '1 day' + k * interval '1 minute'
      FROM generate_series(0, ${tickets - 1}) r, generate_series(0, 1) k`);
    await run('bill return events', `INSERT INTO bill_return_event (bill_id, bag_id, return_ticket_id, created_at)
      SELECT bill_id, bag_id, return_ticket_id, scanned_at FROM return_ticket_bag`);
    for (const t of ['"user"', 'bag', 'link', 'bill', 'bill_bag', 'scan', 'audit_log', 'return_ticket', 'return_ticket_bag', 'bill_return_event']) {
      await sql.unsafe(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), greatest(1, (SELECT max(id) FROM ${t})))`);
    }
    await sql.unsafe('ANALYZE');
    const [counts] = await sql<[Record<string, string>]>`SELECT (SELECT count(*) FROM bag) AS bags, (SELECT count(*) FROM link) AS links,
      (SELECT count(*) FROM scan) AS scans, (SELECT count(*) FROM bill) AS bills, (SELECT count(*) FROM bill_bag) AS bill_bags, (SELECT count(*) FROM audit_log) AS audit,
      (SELECT count(*) FROM return_ticket) AS return_tickets, (SELECT count(*) FROM return_ticket_bag) AS returned_bags`;
    return Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, Number(v)]));
  } finally {
    await sql.end({ timeout: 5 });
  }
}
