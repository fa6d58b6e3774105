// Runs a database test suite against every Postgres target and both drivers: postgres.js directly, and
// neon-http through the local Neon-protocol endpoint over the same database.
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { Db, DbDriver } from '../../src/db/client';
import { startNeonHttpEndpoint, type NeonHttpEndpoint } from './neon-http-endpoint';
import { closeDb, dbFor, startTarget, targetNames, truncateAll, type PgTarget } from './postgres';

export const DRIVERS: readonly DbDriver[] = ['postgres-js', 'neon-http'];

export interface MatrixContext {
  db: Db;
  driver: DbDriver;
  target: PgTarget;
  endpoint: NeonHttpEndpoint;
}

/** `body` registers tests reading `ctx()`; every test starts on empty tables. */
export function describeMatrix(title: string, body: (ctx: () => MatrixContext) => void): void {
  describe.each(targetNames())(`${title} [%s]`, (targetName) => {
    let target: PgTarget;
    let endpoint: NeonHttpEndpoint;
    beforeAll(async () => {
      target = await startTarget(targetName);
      endpoint = await startNeonHttpEndpoint();
    });
    afterAll(async () => {
      await endpoint?.stop();
      await target?.stop();
    });
    describe.each(DRIVERS)('%s', (driver) => {
      let db: Db;
      beforeAll(() => {
        db = dbFor(target, driver, endpoint.url);
      });
      beforeEach(async () => {
        await truncateAll(db);
      });
      afterAll(async () => {
        if (db) await closeDb(db);
      });
      body(() => ({ db, driver, target, endpoint }));
    });
  });
}
