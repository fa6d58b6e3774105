// Reports over one local day or a date range. They read the rows of that range through the time indexes
// (scans by created_at / area, bags by completed_at, bills by created_at): a day's worth, never whole tables.
import { sql, type SQL } from 'drizzle-orm';
import { CHILD_WEIGHT_KG } from '../../shared/bill';
import { queryRows, type Db } from '../../db/client';
import { dayRange } from './params';

const n = (v: unknown) => Number(v ?? 0);
const kg2 = (v: number) => Math.round(v * 100) / 100;

export interface ScanTally {
  scans: number;
  linked: number;
  duplicate: number;
  rejected: number;
}

const tallySql = sql`count(*) AS scans, count(*) FILTER (WHERE s.result = 'linked') AS linked,
  count(*) FILTER (WHERE s.result = 'duplicate') AS duplicate, count(*) FILTER (WHERE s.result = 'rejected') AS rejected`;

const tally = (r: Record<string, unknown>): ScanTally => ({ scans: n(r.scans), linked: n(r.linked), duplicate: n(r.duplicate), rejected: n(r.rejected) });

/** Scans of one local day per area and per user (optionally one area). */
export async function dailyReport(db: Db, date: string, areaId: number | undefined, timeZone: string) {
  const where = sql`${dayRange(sql`s.created_at`, date, date, timeZone)}${areaId !== undefined ? sql` AND s.area_id = ${areaId}` : sql``}`;
  const [byArea, byUser] = await Promise.all([
    queryRows(
      db,
      sql`SELECT s.area_id, a.name AS area_name, ${tallySql} FROM scans s LEFT JOIN areas a ON a.id = s.area_id
        WHERE ${where} GROUP BY s.area_id, a.name ORDER BY s.area_id`,
    ),
    queryRows(
      db,
      sql`SELECT s.user_id, u.username, s.area_id, ${tallySql} FROM scans s LEFT JOIN users u ON u.id = s.user_id
        WHERE ${where} GROUP BY s.user_id, u.username, s.area_id ORDER BY count(*) DESC, s.user_id`,
    ),
  ]);
  const areas = byArea.map((r) => ({ areaId: r.area_id as number | null, name: (r.area_name as string | null) ?? null, ...tally(r) }));
  const total = areas.reduce<ScanTally>(
    (t, a) => ({ scans: t.scans + a.scans, linked: t.linked + a.linked, duplicate: t.duplicate + a.duplicate, rejected: t.rejected + a.rejected }),
    { scans: 0, linked: 0, duplicate: 0, rejected: 0 },
  );
  return {
    date,
    timeZone,
    areaId: areaId ?? null,
    total,
    byArea: areas,
    byUser: byUser.map((r) => ({ userId: r.user_id as number | null, username: (r.username as string | null) ?? null, areaId: r.area_id as number | null, ...tally(r) })),
  };
}

/**
 * The day's returns (issue 13) per receiving area: tickets opened, finalized and cancelled that day (by their
 * creation and closing times), parents returned that day with their children and weight. Areas with nothing
 * are left out; tickets without an area count under `areaId: null`.
 */
async function eodReturns(db: Db, date: string, timeZone: string, areas: Array<{ id: number; name: string }>) {
  const day = (col: SQL) => dayRange(col, date, date, timeZone);
  const [ticketRows, parentRows] = await Promise.all([
    queryRows(
      db,
      sql`SELECT t.area_id, count(*) FILTER (WHERE ${day(sql`t.created_at`)}) AS created,
          count(*) FILTER (WHERE t.status = 'finalized' AND t.closed_at IS NOT NULL AND ${day(sql`t.closed_at`)}) AS finalized,
          count(*) FILTER (WHERE t.status = 'cancelled' AND t.closed_at IS NOT NULL AND ${day(sql`t.closed_at`)}) AS cancelled
        FROM return_tickets t WHERE (${day(sql`t.created_at`)}) OR (t.closed_at IS NOT NULL AND ${day(sql`t.closed_at`)}) GROUP BY t.area_id`,
    ),
    queryRows(
      db,
      sql`SELECT t.area_id, count(*) AS parents, coalesce(sum(p.child_count), 0) AS children
        FROM return_ticket_parents p JOIN return_tickets t ON t.id = p.ticket_id WHERE ${day(sql`p.returned_at`)} GROUP BY t.area_id`,
    ),
  ]);
  const ids = [...new Set([...ticketRows, ...parentRows].map((r) => (r.area_id ?? null) as number | null))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const find = (rows: Array<Record<string, unknown>>, id: number | null) => rows.find((r) => (r.area_id ?? null) === id);
  const byArea = ids.map((id) => {
    const t = find(ticketRows, id);
    const p = find(parentRows, id);
    const children = n(p?.children);
    return {
      areaId: id,
      name: areas.find((a) => a.id === id)?.name ?? null,
      ticketsCreated: n(t?.created),
      ticketsFinalized: n(t?.finalized),
      ticketsCancelled: n(t?.cancelled),
      parentsReturned: n(p?.parents),
      childrenReturned: children,
      weightKg: children * CHILD_WEIGHT_KG,
    };
  });
  type Key = 'ticketsCreated' | 'ticketsFinalized' | 'ticketsCancelled' | 'parentsReturned' | 'childrenReturned' | 'weightKg';
  const sum = (k: Key) => byArea.reduce((total, a) => total + a[k], 0);
  return {
    totals: {
      ticketsCreated: sum('ticketsCreated'),
      ticketsFinalized: sum('ticketsFinalized'),
      ticketsCancelled: sum('ticketsCancelled'),
      parentsReturned: sum('parentsReturned'),
      childrenReturned: sum('childrenReturned'),
      weightKg: sum('weightKg'),
    },
    byArea,
  };
}

/**
 * End of day: per area (parents created and completed, children linked, scans), per biller (bills
 * created and finalized, parents put on bills, their children and weights) and the day's returns.
 */
export async function eodReport(db: Db, date: string, timeZone: string) {
  const areas = await queryRows<{ id: number; name: string }>(db, sql`SELECT id, name FROM areas ORDER BY id`);
  const [scanRows, createdRows, completedRows, billerRows, returns] = await Promise.all([
    queryRows(db, sql`SELECT s.area_id, ${tallySql} FROM scans s WHERE ${dayRange(sql`s.created_at`, date, date, timeZone)} GROUP BY s.area_id`),
    queryRows(
      db,
      sql`SELECT b.area_id, count(*) AS n FROM bags b WHERE b.type = 'parent' AND ${dayRange(sql`b.created_at`, date, date, timeZone)} GROUP BY b.area_id`,
    ),
    queryRows(
      db,
      sql`SELECT b.area_id, count(*) AS n, coalesce(sum(b.child_count), 0) AS children FROM bags b
        WHERE b.type = 'parent' AND b.completed_at IS NOT NULL AND ${dayRange(sql`b.completed_at`, date, date, timeZone)} GROUP BY b.area_id`,
    ),
    queryRows(
      db,
      sql`WITH created AS (
          SELECT created_by AS user_id, count(*) AS n FROM bills WHERE ${dayRange(sql`created_at`, date, date, timeZone)} GROUP BY 1),
        finalized AS (
          SELECT created_by AS user_id, count(*) AS n FROM bills
          WHERE finalized AND finalized_at IS NOT NULL AND ${dayRange(sql`finalized_at`, date, date, timeZone)} GROUP BY 1),
        added AS (
          SELECT bb.added_by AS user_id, count(*) AS parents, coalesce(sum(p.child_count), 0) AS children
          FROM bill_bags bb JOIN bags p ON p.qr = bb.bag_qr
          WHERE ${dayRange(sql`bb.added_at`, date, date, timeZone)} GROUP BY 1),
        ids AS (SELECT user_id FROM created UNION SELECT user_id FROM finalized UNION SELECT user_id FROM added)
        SELECT ids.user_id, u.username, coalesce(c.n, 0) AS bills_created, coalesce(f.n, 0) AS bills_finalized,
          coalesce(a.parents, 0) AS parents_added, coalesce(a.children, 0) AS children_added
        FROM ids LEFT JOIN users u ON u.id = ids.user_id LEFT JOIN created c ON c.user_id IS NOT DISTINCT FROM ids.user_id
        LEFT JOIN finalized f ON f.user_id IS NOT DISTINCT FROM ids.user_id LEFT JOIN added a ON a.user_id IS NOT DISTINCT FROM ids.user_id
        ORDER BY ids.user_id`,
    ),
    eodReturns(db, date, timeZone, areas),
  ]);
  const find = (rows: Array<Record<string, unknown>>, id: number) => rows.find((r) => r.area_id === id);
  return {
    date,
    timeZone,
    byArea: areas.map((a) => {
      const s = find(scanRows, a.id);
      const done = find(completedRows, a.id);
      return {
        areaId: a.id,
        name: a.name,
        parentsCreated: n(find(createdRows, a.id)?.n),
        parentsCompleted: n(done?.n),
        childrenInCompletedParents: n(done?.children),
        childrenLinked: n(s?.linked),
        ...(s ? tally(s) : { scans: 0, linked: 0, duplicate: 0, rejected: 0 }),
      };
    }),
    byBiller: billerRows.map((r) => ({
      billerId: r.user_id as number | null,
      username: (r.username as string | null) ?? null,
      billsCreated: n(r.bills_created),
      billsFinalized: n(r.bills_finalized),
      parentsAdded: n(r.parents_added),
      childrenAdded: n(r.children_added),
      // Weights are measured per bill (see the bills report); what the day added is expected at 1 kg per child bag.
      expectedWeightKg: n(r.children_added) * CHILD_WEIGHT_KG,
    })),
    returns,
  };
}

/**
 * Bills created in [from, to] (local days), per biller, with parents, children and weights: the expected weight
 * is 1 kg per child bag; the actual weight and the variance cover the bills that were weighed (`weighedBills`),
 * null when none was.
 */
export async function billsReport(db: Db, from: string, to: string, billerId: number | undefined, timeZone: string) {
  const rows = await queryRows(
    db,
    sql`WITH bl AS (
        SELECT id, created_by, finalized, status, actual_weight_kg FROM bills
        WHERE ${dayRange(sql`created_at`, from, to, timeZone)}${billerId !== undefined ? sql` AND created_by = ${billerId}` : sql``}),
      totals AS (
        SELECT bb.bill_id, count(*) AS parents, coalesce(sum(p.child_count), 0) AS children
        FROM bill_bags bb JOIN bags p ON p.qr = bb.bag_qr WHERE bb.bill_id IN (SELECT id FROM bl) GROUP BY bb.bill_id)
      SELECT bl.created_by, u.username, count(*) AS bills, count(*) FILTER (WHERE bl.finalized) AS finalized,
        count(*) FILTER (WHERE bl.status = 'completed') AS completed,
        coalesce(sum(t.parents), 0) AS parents, coalesce(sum(t.children), 0) AS children,
        count(*) FILTER (WHERE bl.actual_weight_kg IS NOT NULL) AS weighed,
        sum(bl.actual_weight_kg)::float8 AS actual_kg,
        coalesce(sum(t.children) FILTER (WHERE bl.actual_weight_kg IS NOT NULL), 0) AS weighed_children
      FROM bl LEFT JOIN totals t ON t.bill_id = bl.id LEFT JOIN users u ON u.id = bl.created_by
      GROUP BY bl.created_by, u.username ORDER BY bl.created_by`,
  );
  const weights = (children: number, weighed: number, actual: number | null, weighedChildren: number) => ({
    weighedBills: weighed,
    actualWeightKg: weighed > 0 ? kg2(actual ?? 0) : null,
    expectedWeightKg: children * CHILD_WEIGHT_KG,
    varianceKg: weighed > 0 ? kg2((actual ?? 0) - weighedChildren * CHILD_WEIGHT_KG) : null,
  });
  const raw = rows.map((r) => ({
    billerId: r.created_by as number | null,
    username: (r.username as string | null) ?? null,
    bills: n(r.bills),
    finalized: n(r.finalized),
    completed: n(r.completed),
    parents: n(r.parents),
    children: n(r.children),
    weighed: n(r.weighed),
    actual: r.actual_kg === null || r.actual_kg === undefined ? null : Number(r.actual_kg),
    weighedChildren: n(r.weighed_children),
  }));
  const billers = raw.map(({ weighed, actual, weighedChildren, ...b }) => ({ ...b, ...weights(b.children, weighed, actual, weighedChildren) }));
  const sum = (k: 'bills' | 'finalized' | 'completed' | 'parents' | 'children' | 'weighed' | 'weighedChildren') => raw.reduce((t, b) => t + b[k], 0);
  const actualSum = raw.reduce((t, b) => t + (b.actual ?? 0), 0);
  const totals = { bills: sum('bills'), finalized: sum('finalized'), completed: sum('completed'), parents: sum('parents'), children: sum('children') };
  return {
    from,
    to,
    timeZone,
    billerId: billerId ?? null,
    totals: { ...totals, ...weights(totals.children, sum('weighed'), actualSum, sum('weighedChildren')) },
    byBiller: billers,
  };
}

/**
 * Returns (issue 13) of [from, to] (local days), per receiving area: tickets created (open, finalized,
 * cancelled), parents returned on them, their child bags and the weight returned (1 kg per child bag).
 * Reads return_ticket_parents by returned_at and return_tickets by created_at: the range, never whole tables.
 */
export async function returnsReport(db: Db, from: string, to: string, timeZone: string) {
  const [ticketRows, parentRows, areas] = await Promise.all([
    queryRows(
      db,
      sql`SELECT t.area_id, count(*) AS tickets, count(*) FILTER (WHERE t.status = 'open') AS open,
          count(*) FILTER (WHERE t.status = 'finalized') AS finalized, count(*) FILTER (WHERE t.status = 'cancelled') AS cancelled
        FROM return_tickets t WHERE ${dayRange(sql`t.created_at`, from, to, timeZone)} GROUP BY t.area_id`,
    ),
    queryRows(
      db,
      sql`SELECT t.area_id, count(*) AS parents, coalesce(sum(p.child_count), 0) AS children
        FROM return_ticket_parents p JOIN return_tickets t ON t.id = p.ticket_id
        WHERE ${dayRange(sql`p.returned_at`, from, to, timeZone)} GROUP BY t.area_id`,
    ),
    queryRows<{ id: number; name: string }>(db, sql`SELECT id, name FROM areas ORDER BY id`),
  ]);
  const find = (rows: Array<Record<string, unknown>>, id: number | null) => rows.find((r) => (r.area_id ?? null) === id);
  const byArea = areas
    .map((a) => {
      const t = find(ticketRows, a.id);
      const p = find(parentRows, a.id);
      const children = n(p?.children);
      return {
        areaId: a.id,
        name: a.name,
        tickets: n(t?.tickets),
        open: n(t?.open),
        finalized: n(t?.finalized),
        cancelled: n(t?.cancelled),
        parents: n(p?.parents),
        children,
        weightKg: children * CHILD_WEIGHT_KG,
      };
    })
    .filter((a) => a.tickets > 0 || a.parents > 0);
  const sum = (k: 'tickets' | 'open' | 'finalized' | 'cancelled' | 'parents' | 'children' | 'weightKg') => byArea.reduce((t, a) => t + a[k], 0);
  return {
    from,
    to,
    timeZone,
    totals: { tickets: sum('tickets'), open: sum('open'), finalized: sum('finalized'), cancelled: sum('cancelled'), parents: sum('parents'), children: sum('children'), weightKg: sum('weightKg') },
    byArea,
  };
}
