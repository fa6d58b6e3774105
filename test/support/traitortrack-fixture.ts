// A small TraitorTrack database with every kind of dirty data the import has a rule for, and the facts the
// tests check after importing it (test/node/db/import-traitortrack.test.ts in Node, test/workers/import.test.ts
// through the API). QRs SB97xxx and TTFX… and dates in March 2022 stay clear of other tests' data.
import postgres from 'postgres';
import { TRAITORTRACK_DDL, TRAITORTRACK_RETURNS_DDL } from '../../scripts/import/traitortrack/schema';
import { ADMIN_TOTP_SECRET, BILL_A_DESCRIPTION, TT_USERS } from './traitortrack-facts';
import { werkzeugPbkdf2, werkzeugScrypt } from './werkzeug';

export * from './traitortrack-facts';

const T = (minutes: number) => `'2022-03-01 04:30:00'::timestamp + interval '${minutes} minutes'`;

export async function buildTraitorTrackFixture(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const ddl of [...TRAITORTRACK_DDL, ...TRAITORTRACK_RETURNS_DDL]) await sql.unsafe(ddl);
    await sql.unsafe(`CREATE TABLE promotion_request (id serial PRIMARY KEY, user_id integer, note text)`);
    await sql.unsafe(`INSERT INTO promotion_request (user_id, note) VALUES (2, 'make me a biller'), (3, 'me too')`);

    const u = TT_USERS;
    const users: Array<[number, string, string | null, string, string | null, boolean, string | null, boolean, number]> = [
      // id, username, hash, role, area, verified, totp secret, 2fa, minutes after T0 created
      [u.admin.id, 'admin', werkzeugScrypt(u.admin.password), 'admin', null, true, ADMIN_TOTP_SECRET, true, -1000],
      [u.ravi.id, 'ravi', werkzeugPbkdf2(u.ravi.password), 'dispatcher', 'lucknow', true, null, false, -900],
      [u.raviUpper.id, 'Ravi', werkzeugScrypt(u.raviUpper.password, 16384), 'dispatcher', 'indore', true, null, false, -800],
      [u.meena.id, 'meena', werkzeugScrypt(u.meena.password, 16384), 'biller', null, true, null, false, -700],
      [u.sunil.id, 'sunil', werkzeugPbkdf2(u.sunil.password, 1000), 'manager', 'lucknow', true, null, false, -600],
      [u.kiran.id, 'kiran', werkzeugPbkdf2(u.kiran.password, 1000), 'dispatcher', 'Delhi', true, null, false, -500],
      [u.priya.id, 'priya', werkzeugPbkdf2(u.priya.password, 1000), 'dispatcher', 'Sri Ganganagar ', false, null, false, -400],
      [u.bad.id, 'bad user!', 'hunter2', 'dispatcher', 'hisar', true, null, false, -300],
      [u.totpBroken.id, 'totpbroken', werkzeugPbkdf2(u.totpBroken.password, 2000, 'sha512'), 'admin', null, true, '123', true, -200],
      [u.amit.id, 'amit', werkzeugScrypt(u.amit.password, 16384), 'dispatcher', 'jaipur', true, null, false, -100],
    ];
    for (const [id, name, hash, role, area, verified, secret, twoFa, at] of users) {
      await sql.unsafe(
        `INSERT INTO "user" (id, username, email, password_hash, role, dispatch_area, verified, failed_login_attempts, totp_secret, two_fa_enabled, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, ${T(at)})`,
        [id, name, id === u.amit.id ? 'amit@example.com' : null, hash, role, area, verified, secret, twoFa] as never,
      );
    }

    // Bags: [id, qr_id, type, child_count, parent_id, user_id, area, status, minutes]
    const bags: Array<[number, string, string, number, number | null, number | null, string | null, string, number]> = [
      [101, 'SB97001', 'parent', 2, null, 2, 'lucknow', 'completed', 0],
      [102, 'sb97002 ', 'parent', 1, null, 2, 'lucknow', 'pending', 10],
      [103, 'SB97003', 'parent', 32, null, 3, 'indore', 'pending', 20],
      [104, 'SB97004', 'parent', 1, null, 2, 'lucknow', 'completed', 30],
      [105, 'SB97005', 'parent', 3, null, 2, 'lucknow', 'pending', 40],
      [106, 'SB97006', 'parent', 1, null, 2, 'lucknow', 'pending', 50],
      [107, 'SB97007', 'parent', 1, null, 2, 'lucknow', 'pending', 60],
      [108, 'sb97007', 'parent', 1, null, 2, 'lucknow', 'pending', 70],
      [109, 'SB97009', 'crate', 0, null, 10, 'jaipur', 'pending', 80],
      [201, 'TTFXC001', 'child', 0, 101, 2, 'lucknow', 'pending', 1],
      [202, 'TTFXC002', 'child', 0, 101, 2, 'lucknow', 'pending', 2],
      [203, 'TTFXC003', 'child', 0, 101, 2, 'lucknow', 'pending', 3],
      [204, 'ttfxc004', 'child', 0, 102, 2, 'lucknow', 'pending', 11],
      [205, 'TTFXC005', 'child', 0, 104, 2, 'lucknow', 'pending', 31],
      [206, 'TTFXC006', 'child', 0, 105, 2, 'lucknow', 'pending', 41],
      [207, 'TTFXC007', 'child', 0, 108, 2, 'lucknow', 'pending', 71],
      [208, 'TTFXC008', 'child', 0, 101, 2, 'lucknow', 'pending', 4],
      [209, 'TTFXC009', 'child', 0, null, 2, 'lucknow', 'pending', 5],
      [210, 'TTFXC010', 'child', 0, 105, 2, 'lucknow', 'pending', 42],
      [211, 'TTFXC011', 'child', 0, 101, 2, 'lucknow', 'pending', 43],
      [212, 'TTFX-BAD', 'child', 0, 106, 2, 'lucknow', 'pending', 51],
      [213, '   ', 'child', 0, null, 2, 'lucknow', 'pending', 52],
      [214, 'TTFXC014', 'child', 0, 101, 2, 'Mars', 'pending', 6],
      [215, 'TTFXC015', 'child', 0, null, 999, 'lucknow', 'pending', 7],
      [216, 'SB97016', 'child', 0, null, 2, 'lucknow', 'pending', 8],
      [217, 'TTFXC017', 'child', 0, null, 2, 'lucknow', 'pending', -5],
      [218, ' ttfxc017', 'child', 0, 101, 2, 'lucknow', 'pending', 9],
    ];
    for (let i = 1; i <= 32; i++) bags.push([300 + i, `TTFXOC${String(i).padStart(2, '0')}`, 'child', 0, 103, 3, 'indore', 'pending', 20 + i / 10]);
    for (const [id, qr, type, count, parent, user, area, status, at] of bags) {
      await sql.unsafe(
        `INSERT INTO bag (id, qr_id, type, name, child_count, parent_id, user_id, dispatch_area, status, weight_kg, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ${T(at)}, ${T(at + 1)})`,
        [id, qr, type, id === 101 ? 'Front dock' : null, count, parent, user, area, status, id === 101 ? 29.5 : type === 'child' ? 1 : count, ] as never,
      );
    }

    // Links: [id, parent_bag_id, child_bag_id, minutes]
    const links: Array<[number, number, number, number]> = [
      [1, 101, 201, 1], [2, 101, 202, 2], [3, 101, 203, 3], [4, 102, 204, 11], [5, 104, 205, 31], [6, 105, 206, 41],
      [7, 108, 207, 71], [8, 107, 207, 72], // the same pair once the parents are merged: a duplicate
      [9, 101, 208, 4], [10, 105, 208, 44], // a child in two parents: the older link wins
      [11, 201, 209, 5], // a child inside a child: wrong types
      [12, 105, 211, 43], // bag.parent_id says 101: the link wins
      [13, 106, 212, 51], [14, 101, 214, 6], [15, 101, 218, 9],
      [16, 101, 9999, 12], [17, 8888, 215, 13], // orphans
    ];
    for (let i = 1; i <= 32; i++) links.push([100 + i, 103, 300 + i, 20 + i / 10]);
    for (const [id, p, c, at] of links) await sql.unsafe(`INSERT INTO link (id, parent_bag_id, child_bag_id, created_at) VALUES ($1, $2, $3, ${T(at)})`, [id, p, c] as never);

    // Bills: [id, bill_id, parent_bag_count, total_child_bags, status, created_by_id, minutes]
    const bills: Array<[number, string, number, number, string, number, number]> = [
      [301, 'bill-a', 2, 99, 'completed', 4, 100],
      [302, 'Bill-A', 5, 3, 'processing', 4, 110],
      [303, 'BILL/2022/7', 1, 33, 'new', 4, 120],
      [304, 'BILL-C', 0, 0, 'shipped', 999, 130],
    ];
    for (const [id, no, cap, total, status, by, at] of bills) {
      await sql.unsafe(
        `INSERT INTO bill (id, bill_id, description, parent_bag_count, total_weight_kg, expected_weight_kg, total_child_bags, status, created_by_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${T(at)}, ${T(at + 30)})`,
        [id, no, id === 301 ? BILL_A_DESCRIPTION : `Imported bill ${id}`, cap, total, cap * 30, total, status, by] as never,
      );
    }
    // bill_bag: [id, bill_id, bag_id, minutes]
    const billBags: Array<[number, number, number, number]> = [
      [401, 301, 104, 101], [402, 301, 101, 102], [403, 302, 105, 111], [404, 303, 106, 121], [405, 303, 103, 122],
      [406, 303, 106, 123], // the same parent twice on one bill
      [407, 304, 101, 131], // already on bill 301: the older row wins
      [408, 304, 201, 132], // a child on a bill
      [409, 304, 7777, 133], [410, 9999, 102, 134], // orphans
    ];
    for (const [id, bill, bag, at] of billBags) await sql.unsafe(`INSERT INTO bill_bag (id, bill_id, bag_id, created_at) VALUES ($1, $2, $3, ${T(at)})`, [id, bill, bag] as never);

    // Scans: [id, minutes | null, parent, child, user]
    const scans: Array<[number, number | null, number | null, number | null, number | null]> = [
      [1, 0, 101, null, 2], // the parent scan
      [2, 1, 101, 201, 2], [3, 1.5, 101, 201, 2], // then a duplicate
      [4, 2, 101, 202, 2], [5, 3, 101, 203, 2], [6, 4, 101, 208, 2], [7, 6, 101, 214, 2], [8, 9, 101, 218, 2],
      [9, 11, 102, 204, 2], [10, 31, 104, 205, 2], [11, 41, 105, 206, 2], [12, 71, 108, 207, 2], [13, 43, 105, 211, 2],
      [14, 12, 101, 9999, 2], // unknown child
      [15, 13, 101, 202, 999], // unknown user
      [16, null, 101, 203, 2], // no time
      [17, 14, null, null, 2], // no bag at all
    ];
    for (const [id, at, p, c, user] of scans) {
      await sql.unsafe(`INSERT INTO scan (id, "timestamp", parent_bag_id, child_bag_id, user_id) VALUES ($1, ${at === null ? 'NULL' : T(at)}, $2, $3, $4)`, [id, p, c, user] as never);
    }

    await sql.unsafe(`INSERT INTO audit_log (id, "timestamp", user_id, action, entity_type, entity_id, details, before_state, after_state, ip_address, request_id) VALUES
      (1, ${T(0)}, 2, 'create_bag', 'bag', 101, 'Created parent SB97001', NULL, '{"qr_id":"SB97001","note":null}', '10.1.2.3', 'req-1'),
      (2, ${T(100)}, 4, 'create_bill', 'bill', 301, NULL, NULL, 'not json {', '10.1.2.4', 'req-2'),
      (3, ${T(200)}, 999, 'delete_bag', 'bag', 213, NULL, '{"qr_id":"gone"}', NULL, NULL, NULL)`);

    // Return tickets (IPT): one clean ticket taking SB97004 off finalized BILL-A, and one row per return rule.
    await sql.unsafe(`INSERT INTO return_ticket (id, ticket_code, dispatch_area, notes, status, created_by_id, created_at, finalized_at) VALUES
      (1, 'RTN-20220302-4F2A', 'lucknow', 'Dealer returned one parent', 'finalized', 4, ${T(2000)}, ${T(2005)}),
      (2, 'ipt-77', 'Mars', 'Old-style code', 'archived', 999, ${T(2100)}, NULL), -- code, status, area and user unknown
      (3, 'rtn-20220302-4f2a', 'indore', NULL, 'cancelled', 4, ${T(2200)}, ${T(2210)}), -- ticket 1's code in lower case
      (4, 'RTN-20220303-0001', 'jaipur', NULL, 'open', 4, ${T(2300)}, NULL)`); // a code TraceTrack holds in the Node test
    await sql.unsafe(`INSERT INTO return_ticket_bag (id, return_ticket_id, bag_id, bill_id, child_count_at_return, scanned_by_id, scanned_at) VALUES
      (1, 1, 104, 301, 1, 4, ${T(2001)}),
      (2, 2, 201, NULL, 0, 4, ${T(2101)}), -- a child bag
      (3, 9, 104, 301, 1, 4, ${T(2102)}), -- no such ticket
      (4, 1, 104, 301, 1, 4, ${T(2003)}), -- SB97004 again on ticket 1
      (5, 2, 109, NULL, NULL, 999, ${T(2103)})`); // SB97009 was on no bill
    await sql.unsafe(`INSERT INTO bill_return_event (id, bill_id, bag_id, return_ticket_id, created_at) VALUES
      (1, 301, 104, 1, ${T(2001)}), -- the event of ticket_bag 1
      (2, 302, 102, 3, ${T(2201)})`); // only an event: SB97002 returned from bill 302 on ticket 3
    await sql.unsafe(`INSERT INTO notification (id, user_id, message, created_at) VALUES (1, 2, 'Bill BILL-A finalized', ${T(131)})`);
    for (const table of ['"user"', 'bag', 'link', 'bill', 'bill_bag', 'scan', 'audit_log']) {
      await sql.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
