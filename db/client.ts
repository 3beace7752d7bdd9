import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

/**
 * The typed handle every domain module uses. Both drivers speak the same
 * dialect through Drizzle; the type is postgres.js's because its result shape
 * is the one the domain relies on, and PGlite's handle is the same at run time
 * for everything the query builder does.
 */
export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Transaction;

export type DatabaseHandle = {
  db: Database;
  driver: "postgres" | "pglite";
  /** Applies the committed SQL migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** A trivial round trip, for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

// Beside this file when run from source; from the project root when bundled.
const besideSource = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
export const migrationsFolder = existsSync(besideSource) ? besideSource : path.resolve("db/migrations");

export type DatabaseOptions = {
  /** postgres:// URL; when absent PGlite is used. */
  url?: string;
  /** PGlite's folder, or `memory://` for a throwaway database. */
  pgliteDataDir?: string;
  poolSize?: number;
};

export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connection: { application_name: "crowdthread" },
    });
    const db = drizzlePostgres(client, { schema });
    return {
      db,
      driver: "postgres",
      migrate: () => migratePostgres(db, { migrationsFolder }),
      ping: async () => {
        await client`select 1`;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.pgliteDataDir ?? "./data/pglite";
  if (!dataDir.includes("://")) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const pgliteDb = drizzlePglite(client, { schema });
  return {
    db: pgliteDb as unknown as Database,
    driver: "pglite",
    migrate: () => migratePglite(pgliteDb, { migrationsFolder }),
    ping: async () => {
      await client.query("select 1");
    },
    close: () => client.close(),
  };
}
