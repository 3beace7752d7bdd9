import path from "node:path";
import { createDatabase, type DatabaseHandle } from "#db/client";
import { getEnv } from "./env.server";
import { forgetSingleton, singleton } from "./singleton.server";

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
