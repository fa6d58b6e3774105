// One rule per anomaly: what the importer does when TraitorTrack's data breaks one of TraceTrack's rules.
// Every anomaly is listed row by row (report file, `import_anomalies`), never dropped silently, and the
// import never stops half-way for one. docs/MIGRATING.md lists every kind (a test checks it does).

export const ANOMALY_RULES = {
  // people
  username_changed: 'A username TraceTrack cannot hold (3–32 of A–Z a–z 0–9 _ . -) is rewritten: other characters become "_", cut to 32, padded to 3.',
  username_duplicate: 'Usernames that differ only in letter case: the oldest account keeps the name, the others get "-<TraitorTrack id>" appended.',
  username_taken: 'A username already used by a TraceTrack account (not imported): the TraceTrack account keeps it, the imported one gets "-tt" (or "-tt<id>") appended.',
  role_unknown: 'A role other than admin, biller or dispatcher: imported as a deactivated dispatcher, for an admin to decide.',
  area_unknown: 'A dispatch area TraceTrack does not have (after ignoring case, spaces, "-" and "_"): the account is imported without an area.',
  dispatcher_without_area: 'A dispatcher without a known area cannot scan: imported deactivated, for an admin to give an area.',
  user_unverified: 'An account TraitorTrack marks unverified is imported deactivated.',
  password_unusable: 'A password hash that is not werkzeug scrypt/pbkdf2 cannot be checked: the account is imported but cannot sign in until an admin sets a password (the hash is not copied).',
  totp_secret_invalid: 'Two-factor sign-in enabled with a secret that is not base32: imported with two-factor off (the person signs in with the password and should set it up again).',
  // bags
  qr_normalized: 'A QR with lower-case letters or surrounding spaces is stored trimmed and upper-cased, as scanners send it.',
  qr_missing: 'A bag without a QR is not imported; links, scans and bill rows that use it are reported under their own kinds.',
  qr_duplicate_merged: 'Bags whose QRs are equal once trimmed and upper-cased are one label: the oldest row is kept, the others are merged into it (their links, scans and bill rows then refer to it).',
  qr_format: 'A QR that does not fit its type\'s format (parent SB + 5 digits; child 4–20 letters or digits) is imported as it is; scanners cannot scan it into TraceTrack, lookup finds it.',
  bag_type_unknown: 'A type other than parent or child: taken from the QR format (SB + 5 digits is a parent, anything else a child).',
  bag_type_conflict: 'TraceTrack already holds the QR with the other type: TraceTrack\'s bag is kept and its type decides which links are valid.',
  bag_exists: 'TraceTrack already holds the QR (not from an earlier run of this import): TraceTrack\'s row is kept as it is.',
  bag_area_unknown: 'A bag whose area TraceTrack does not have takes its parent\'s area (children), else its creator\'s, else none (bags without an area get the same, without a report line).',
  bag_user_unknown: 'A bag created by a user id that does not exist: imported without a creator.',
  child_count_recounted: 'A parent\'s child_count is recounted from its links; where TraitorTrack\'s count differs, both are listed.',
  parent_over_capacity: 'A parent with more children than the capacity keeps all of them (they are in the bag) and is completed.',
  // links
  link_orphan: 'A link to a bag that does not exist (or was not imported) is not imported.',
  link_wrong_type: 'A link whose parent side is not a parent bag or whose child side is not a child bag is not imported.',
  link_duplicate: 'The same parent and child linked twice (after merging case duplicates): the oldest link is kept.',
  link_conflict: 'A child linked to two or more parents: the oldest link wins, the others are not imported.',
  link_conflict_tracetrack: 'A child that TraceTrack already holds in another parent: TraceTrack\'s link is kept, the imported one is not.',
  link_from_parent_id: 'A child with bag.parent_id set but no link row: the link is taken from parent_id (at the child\'s last update).',
  parent_id_disagrees: 'A child whose bag.parent_id names another parent than its link: the link table wins.',
  // bills
  bill_no_changed: 'Bill numbers are stored trimmed and upper-cased (as TraceTrack looks them up); one it still cannot hold (1–40 of A–Z 0–9 . _ -) is rewritten: other characters become "-".',
  bill_no_duplicate: 'Bill numbers equal once trimmed and upper-cased: the oldest bill keeps it, the others get "-<TraitorTrack id>" appended.',
  bill_no_taken: 'A bill number TraceTrack already has (not imported): the imported bill gets "-TT" (or "-TT<id>") appended.',
  bill_capacity_invalid: 'A capacity (parent_bag_count) outside 1–50 becomes the number of parents on the bill, within 1–50.',
  bill_over_capacity: 'A bill with more parents than its capacity keeps them all; the capacity is raised to the number of parents (at most 50, TraceTrack\'s maximum).',
  bill_status_unknown: 'A status other than new, processing or completed: imported as an open (not finalized) bill.',
  bill_totals_differ: 'TraitorTrack\'s stored totals (child bags, weights) differ from those TraceTrack derives from the parents (1 kg per child, 30 kg per parent); both are listed, TraceTrack shows its own.',
  bill_user_unknown: 'A bill created by a user id that does not exist: imported without a creator.',
  bill_bag_orphan: 'A bill row naming a bill or bag that does not exist is not imported.',
  bill_bag_not_parent: 'A bill row naming a child bag is not imported (bills hold parent bags).',
  bill_bag_duplicate: 'The same parent on the same bill twice: one row is kept.',
  bill_bag_conflict: 'A parent on two or more bills: the oldest bill row wins, the others are not imported.',
  bill_bag_conflict_tracetrack: 'A parent TraceTrack already has on another bill: TraceTrack\'s bill keeps it.',
  // return tickets (TraitorTrack's IPT; scripts/import/traitortrack/returns.ts)
  return_code_changed: 'Ticket codes are stored trimmed and upper-cased; a code that does not fit TraceTrack\'s RTN-YYYYMMDD-XXXX gets a new one (the ticket\'s local date and 4 hex digits from its TraitorTrack id).',
  return_code_duplicate: 'Codes equal once trimmed and upper-cased: the oldest ticket keeps it, the others get a new code.',
  return_code_taken: 'A code TraceTrack already uses for its own ticket: TraceTrack\'s ticket keeps it, the imported one gets a new code.',
  return_status_unknown: 'A status other than the known open/finalized/cancelled words: finalized if the ticket has a closing time, else open.',
  return_area_unknown: 'A receiving area TraceTrack does not have: the creator\'s area, else none.',
  return_user_unknown: 'A ticket or returned bag by a user id that does not exist: imported without that user.',
  return_bag_orphan: 'A returned-bag row (or bill_return_event) naming a ticket or bag that does not exist is not imported.',
  return_bag_not_parent: 'A returned-bag row naming a child bag is not imported (tickets take parent bags).',
  return_bag_duplicate: 'The same parent twice on one ticket: the oldest row is kept.',
  return_bag_no_bill: 'A returned parent whose bill is unknown (no bill_id, no bill_return_event, on no bill before the return) is not imported: TraceTrack returns a parent from a bill.',
  return_from_event: 'A bill_return_event with no returned-bag row: the return is taken from the event.',
  return_bill_bag_removed: 'A parent returned after it was put on that bill is off the bill (TraceTrack\'s rule): the bill row is not imported, the bill keeps a returned line with the ticket.',
  // history
  scan_orphan: 'A scan naming a bag that does not exist, or no bag at all, is not imported.',
  scan_time_missing: 'A scan without a timestamp is not imported.',
  scan_user_unknown: 'A scan by a user id that does not exist: imported without a user.',
  audit_json_invalid: 'before_state/after_state text that is not JSON is kept as {"unparsed": "<text>"}.',
  audit_user_unknown: 'An audit row by a user id that does not exist: imported without an actor id (the TraitorTrack user id is kept in the row).',
} as const;

export type AnomalyKind = keyof typeof ANOMALY_RULES;

export interface Anomaly {
  kind: AnomalyKind;
  /** The TraitorTrack table the row came from. */
  table: string;
  sourceId: string | null;
  /** The QR, username or bill number concerned, as TraceTrack now holds it. */
  subject: string | null;
  detail: Record<string, unknown>;
}
