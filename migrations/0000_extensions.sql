-- Custom migration: extensions the generated schema depends on (the trigram index on bags.qr for "did you mean").
-- Debian's server needs the postgresql-contrib files (shipped with the postgresql package); PGlite loads
-- @electric-sql/pglite/contrib/pg_trgm, which scripts/db/embedded.ts passes in.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
