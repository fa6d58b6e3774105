// TraitorTrack's tables as its SQLAlchemy models create them (from the facts in issue 13), for the tests'
// and the benchmark's generated TraitorTrack databases. No foreign keys: real dumps hold orphan rows, and
// the generators must be able to write them.
export const TRAITORTRACK_DDL = [
  `CREATE TABLE "user" (id serial PRIMARY KEY, username varchar(64) NOT NULL UNIQUE, email varchar(120), password_hash varchar(256),
     role varchar(20), dispatch_area varchar(50), verified boolean DEFAULT false, failed_login_attempts integer DEFAULT 0,
     locked_until timestamp, totp_secret varchar(32), two_fa_enabled boolean DEFAULT false, created_at timestamp DEFAULT (now() AT TIME ZONE 'utc'))`,
  `CREATE TABLE bag (id serial PRIMARY KEY, qr_id varchar(255) NOT NULL UNIQUE, type varchar(10) NOT NULL, name varchar(100), child_count integer DEFAULT 0,
     parent_id integer, user_id integer, dispatch_area varchar(50), status varchar(20) DEFAULT 'pending', weight_kg double precision DEFAULT 0,
     created_at timestamp, updated_at timestamp)`,
  `CREATE TABLE link (id serial PRIMARY KEY, parent_bag_id integer NOT NULL, child_bag_id integer NOT NULL, created_at timestamp,
     UNIQUE (parent_bag_id, child_bag_id))`,
  `CREATE TABLE bill (id serial PRIMARY KEY, bill_id varchar(50) NOT NULL UNIQUE, description text, parent_bag_count integer DEFAULT 1,
     total_weight_kg double precision DEFAULT 0, expected_weight_kg double precision DEFAULT 0, total_child_bags integer DEFAULT 0,
     status varchar(20) DEFAULT 'new', created_by_id integer, created_at timestamp, updated_at timestamp)`,
  `CREATE TABLE bill_bag (id serial PRIMARY KEY, bill_id integer NOT NULL, bag_id integer NOT NULL, created_at timestamp)`,
  `CREATE TABLE scan (id serial PRIMARY KEY, "timestamp" timestamp, parent_bag_id integer, child_bag_id integer, user_id integer)`,
  `CREATE TABLE audit_log (id serial PRIMARY KEY, "timestamp" timestamp, user_id integer, action varchar(50), entity_type varchar(50),
     entity_id integer, details text, before_state text, after_state text, ip_address varchar(45), request_id varchar(64))`,
];

/** Newer deployments' return tickets (IPT) and notifications: kept raw by the import. */
export const TRAITORTRACK_RETURNS_DDL = [
  `CREATE TABLE return_ticket (id serial PRIMARY KEY, ticket_code varchar(40) UNIQUE, dispatch_area varchar(50), notes text, status varchar(20),
     created_by_id integer, created_at timestamp, finalized_at timestamp)`,
  `CREATE TABLE return_ticket_bag (id serial PRIMARY KEY, return_ticket_id integer, bag_id integer, bill_id integer, child_count_at_return integer,
     scanned_by_id integer, scanned_at timestamp)`,
  `CREATE TABLE bill_return_event (id serial PRIMARY KEY, bill_id integer, bag_id integer, return_ticket_id integer, created_at timestamp)`,
  `CREATE TABLE notification (id serial PRIMARY KEY, user_id integer, message text, is_read boolean DEFAULT false, created_at timestamp)`,
];
