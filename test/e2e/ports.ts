// Where the e2e stacks look for free ports. Two local runs at once (two worktrees) would otherwise both find 8800
// free before either binds it, and one would then test the other's server: give each run its own
// E2E_PORT_BASE (default 8800; CI runs one suite at a time and keeps the default).
const base = Number(process.env.E2E_PORT_BASE ?? 8800);
if (!Number.isInteger(base) || base < 1024 || base > 65_000) throw new Error(`E2E_PORT_BASE must be a port number between 1024 and 65000, got ${process.env.E2E_PORT_BASE}`);

/** The shared stack of global-setup. */
export const sharedStackPort = base;
/** The shared stack's embedded Postgres (it took the first free port from 5433, which other runs race for). */
export const sharedPostgresPort = base + 50;
/** Stacks a test file starts for itself (alerts, dr-drill) and their embedded Postgres. */
export const ownStackPort = base + 24;
export const ownPostgresPort = base + 100;
