// TraitorTrack's accounts → TraceTrack's: pure rules (one per anomaly, see rules.ts), so they are tested
// without a database. Roles map one to one (admin, biller, dispatcher); TraitorTrack has no supervisors.
import { USERNAME_PATTERN } from '../../../src/worker/auth/password-policy';
import { parseWerkzeugHash, describeHashScheme } from '../../../src/shared/werkzeug-hash';
import type { Anomaly } from './rules';

export interface SourceUser {
  id: number;
  username: string | null;
  passwordHash: string | null;
  role: string | null;
  dispatchArea: string | null;
  verified: boolean | null;
  totpSecret: string | null;
  twoFaEnabled: boolean | null;
  createdAt: string | null;
}

export interface PlannedUser {
  sourceId: number;
  username: string;
  passwordHash: string;
  role: 'admin' | 'biller' | 'dispatcher';
  areaId: number | null;
  active: boolean;
  totpSecret: string | null;
  totpEnabled: boolean;
  createdAt: string | null;
}

export interface PeoplePlan {
  /** Accounts to create. */
  create: PlannedUser[];
  /** Source ids imported by an earlier run, with their TraceTrack user ids. */
  existing: Map<number, number>;
  anomalies: Anomaly[];
}

/** Stored for accounts whose password cannot be checked: never matches any password (not a hash format). */
export const UNUSABLE_PASSWORD = '!imported-without-usable-password';

const ROLES = new Set(['admin', 'biller', 'dispatcher']);

/** Area names compare without case, spaces, "-" or "_": "Sri Ganganagar" = "sri_ganganagar". */
export function areaKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, '_');
}

/** The same key in SQL, for the bags' areas. */
export const AREA_KEY_SQL = (expr: string) => `regexp_replace(lower(btrim(${expr})), '[[:space:]_-]+', '_', 'g')`;

function sanitizeUsername(raw: string): string {
  let name = raw.trim().replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 32);
  while (name.length < 3) name += '_';
  return name;
}

/** base + suffix within 32 characters. */
function withSuffix(base: string, suffix: string): string {
  return base.slice(0, 32 - suffix.length) + suffix;
}

/** RFC 4648 base32 as authenticator apps show it: upper case, spaces and padding ignored; ≥ 80 bits. */
export function normalizeTotpSecret(raw: string | null): string | null {
  if (!raw) return null;
  const secret = raw.replace(/[\s=-]/g, '').toUpperCase();
  return /^[A-Z2-7]{16,128}$/.test(secret) ? secret : null;
}

export function planPeople(
  source: SourceUser[],
  areas: Array<{ id: number; name: string }>,
  tracetrackUsers: Array<{ id: number; username: string }>,
  imported: Map<number, number>,
): PeoplePlan {
  const areaIds = new Map(areas.map((a) => [areaKey(a.name), a.id]));
  const taken = new Set(tracetrackUsers.map((u) => u.username.toLowerCase()));
  const plan: PeoplePlan = { create: [], existing: new Map(), anomalies: [] };
  const note = (u: SourceUser, kind: Anomaly['kind'], subject: string | null, detail: Record<string, unknown>) =>
    plan.anomalies.push({ kind, table: 'user', sourceId: String(u.id), subject, detail });
  // Oldest first, so the oldest of two case duplicates keeps the name.
  const ordered = [...source].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id - b.id);
  const claimed = new Set<string>();
  for (const u of ordered) {
    const targetId = imported.get(u.id);
    if (targetId !== undefined) {
      plan.existing.set(u.id, targetId);
      continue;
    }
    const raw = u.username ?? '';
    let username = raw.trim();
    if (!USERNAME_PATTERN.test(username)) {
      username = sanitizeUsername(raw || `user-${u.id}`);
      note(u, 'username_changed', username, { from: raw, to: username });
    }
    if (claimed.has(username.toLowerCase())) {
      const renamed = withSuffix(username, `-${u.id}`);
      note(u, 'username_duplicate', renamed, { from: username, to: renamed, keptBy: 'the oldest account with that name' });
      username = renamed;
    } else if (taken.has(username.toLowerCase())) {
      let renamed = withSuffix(username, '-tt');
      if (taken.has(renamed.toLowerCase()) || claimed.has(renamed.toLowerCase())) renamed = withSuffix(username, `-tt${u.id}`);
      note(u, 'username_taken', renamed, { from: username, to: renamed });
      username = renamed;
    }
    claimed.add(username.toLowerCase());

    let active = true;
    const roleText = (u.role ?? '').trim().toLowerCase();
    let role: PlannedUser['role'] = 'dispatcher';
    if (ROLES.has(roleText)) {
      role = roleText as PlannedUser['role'];
    } else {
      active = false;
      note(u, 'role_unknown', username, { role: u.role, importedAs: 'dispatcher', active: false });
    }

    let areaId: number | null = null;
    const areaText = (u.dispatchArea ?? '').trim();
    if (areaText) {
      areaId = areaIds.get(areaKey(areaText)) ?? null;
      if (areaId === null) note(u, 'area_unknown', username, { area: u.dispatchArea });
    }
    if (role === 'dispatcher' && areaId === null && active) {
      active = false;
      note(u, 'dispatcher_without_area', username, { area: u.dispatchArea, active: false });
    }
    if (u.verified === false && active) {
      active = false;
      note(u, 'user_unverified', username, { active: false });
    }

    let passwordHash = u.passwordHash ?? '';
    if (!parseWerkzeugHash(passwordHash)) {
      note(u, 'password_unusable', username, { scheme: describeHashScheme(u.passwordHash) });
      passwordHash = UNUSABLE_PASSWORD;
    }

    const secret = normalizeTotpSecret(u.totpSecret);
    let totpEnabled = u.twoFaEnabled === true && secret !== null;
    if (u.twoFaEnabled === true && secret === null) {
      note(u, 'totp_secret_invalid', username, { twoFactor: 'off' });
      totpEnabled = false;
    }
    plan.create.push({
      sourceId: u.id,
      username,
      passwordHash,
      role,
      areaId,
      active,
      totpSecret: secret,
      totpEnabled,
      createdAt: u.createdAt,
    });
  }
  return plan;
}
