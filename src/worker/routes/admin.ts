// Operations for admins: rebuilding the QR registry from Postgres (disaster recovery, imports), and the
// sign-in throttles (list, clear).
import { Hono } from 'hono';
import { z } from 'zod';
import { registryFor } from '../../durable/stubs';
import type { RegistryEntry } from '../../durable/registry/qr-registry';
import { shardName } from '../../durable/registry/shard';
import { auditMeta, writeAudit } from '../audit/record';
import { requireRole } from '../auth/middleware';
import { listRegistryPage, MAX_REGISTRY_PAGE } from '../../db/registry';
import { withDb } from '../../db/with-db.workerd';
import { limitBody } from '../http/body-limit';
import { validate } from '../http/validate';
import { settings } from '../../config/settings';
import type { AppEnv } from '../types';
import { signInThrottleRoutes } from './sign-in-throttles';
import type { RegistryRebuildResponse } from '../../shared/api';

export const rebuildSchema = z.strictObject({
  cursor: z.string().max(64).nullable().optional(),
  limit: z.number().int().min(1).max(MAX_REGISTRY_PAGE).default(2000),
});

/**
 * Shards written at once. A page spreads over every shard (128 by default), so with 6 at a time a page was
 * ~22 sequential rounds of object calls. Calls beyond the runtime's per-request connection limit wait in its
 * queue rather than fail, so this only bounds how many are started together. Measured locally at 10,000-QR
 * pages (docs/BENCHMARKS.md "dr:drill"): 6 → 5.9 s, 32 → 5.5 s, 128 → 3.8 s a page (load 14–19, noisy).
 */
const PARALLEL_SHARDS = 128;

export const adminRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .route('/sign-in-throttles', signInThrottleRoutes)
  // One page per call so each request stays small; scripts/registry-rebuild.ts loops over the cursor.
  .post('/registry/rebuild', ...limitBody, validate('json', rebuildSchema), async (c) => {
    const { cursor, limit } = c.req.valid('json');
    const s = settings(c.env);
    // One audit row per page (which QRs are rewritten into the registry, by whom), written before the
    // registry changes: a failed page leaves a row too many, never a change without one.
    const rows = await withDb(s, async (db) => {
      const page = await listRegistryPage(db, cursor ?? null, limit);
      await writeAudit(db, auditMeta(c), {
        action: 'registry.rebuild',
        entityType: 'registry',
        after: { cursor: cursor ?? null, imported: page.length, firstQr: page[0]?.qr ?? null, lastQr: page[page.length - 1]?.qr ?? null },
      });
      return page;
    });
    const byShard = new Map<string, RegistryEntry[]>();
    for (const row of rows) {
      const name = shardName(row.qr, s.REGISTRY_SHARDS);
      const list = byShard.get(name) ?? [];
      list.push({ qr: row.qr, role: row.role, parentQr: row.parentQr });
      byShard.set(name, list);
    }
    const groups = [...byShard.values()];
    for (let i = 0; i < groups.length; i += PARALLEL_SHARDS) {
      await Promise.all(groups.slice(i, i + PARALLEL_SHARDS).map((entries) => registryFor(c.env, entries[0]!.qr).importEntries(entries)));
    }
    const lastRow = rows[rows.length - 1];
    return c.json({ imported: rows.length, nextCursor: rows.length === limit && lastRow ? lastRow.qr : null } satisfies RegistryRebuildResponse);
  });
