import path from "node:path";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { createDatabase, type DatabaseHandle } from "#db/client";
import { getEnv } from "./env.server";
import { forgetSingleton, singleton } from "./singleton.server";

import type { DbOrTx } from "#db/client";

export type { Database, DbOrTx, Transaction } from "#db/client";

function openDatabase(): DatabaseHandle {
  const env = getEnv();
  return createDatabase({
    url: env.DATABASE_URL,
    pgliteDataDir: env.PGLITE_DATA_DIR ?? path.join(env.DATA_DIR, "pglite"),
    poolSize: env.DATABASE_POOL_SIZE,
  });
}

export function getDatabaseHandle(): DatabaseHandle {
  return singleton("database", openDatabase);
}

/**
 * The one Drizzle handle. A Proxy so that importing this module opens nothing:
 * the connection is made on first use, after the environment was checked.
 */
export const db = new Proxy({} as DatabaseHandle["db"], {
  get(_target, property) {
    const real = getDatabaseHandle().db as unknown as Record<PropertyKey, unknown>;
    const value = real[property];
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(real) : value;
  },
});

export async function closeDatabase() {
  const store = globalThis as unknown as { __crowdthread?: Record<string, unknown> };
  const handle = store.__crowdthread?.database as DatabaseHandle | undefined;
  if (!handle) return;
  forgetSingleton("database");
  await handle.close();
}

/**
 * Rows of a raw SQL statement, whichever driver runs it (postgres.js answers
 * with an array, PGlite with `{ rows }`). For the few statements the query
 * builder cannot express in one round trip.
 */
export async function queryRows<T>(runner: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await runner.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const dialect = new PgDialect();
type Prepared = { execute(values?: Record<string, unknown>): Promise<unknown> };
const preparedByHandle = new WeakMap<object, Map<string, Prepared>>();

/**
 * A raw statement prepared once per database handle and run with
 * `sql.placeholder` values, for hot paths that need one round trip and no
 * query building. Rows come back the same whichever driver runs it.
 */
export function preparedStatement<T>(name: string, query: SQL): (values: Record<string, unknown>) => Promise<T[]> {
  return async (values) => {
    const real = getDatabaseHandle().db;
    let cache = preparedByHandle.get(real);
    if (!cache) preparedByHandle.set(real, (cache = new Map()));
    let prepared = cache.get(name);
    if (!prepared) {
      const built = dialect.sqlToQuery(query);
      prepared = real._.session.prepareQuery(built, undefined, name, false) as Prepared;
      cache.set(name, prepared);
    }
    const result = await prepared.execute(values);
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  };
}

/**
 * Values as one PostgreSQL array literal, to bind as a single parameter and cast (`::uuid[]`, `::float8[]`):
 * numbers, booleans and uuids, none of which need quoting, nulls as NULL; `{}` when there are none. A
 * number's shortest round-trip form is what float8 reads back exactly. Only values the app made or parsed
 * come here, never free text.
 */
export function arrayLiteral(values: readonly (number | boolean | string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : String(v))).join(",")}}`;
}
