import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { pgliteTemplate } from "./pglite-template";
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
  /** Connections busy right now, for /metrics; see countInFlight. */
  pool(): PoolUsage;
};

export type PoolUsage = {
  /** Connections the pool may open (1 for PGlite, which has a single one). */
  size: number;
  /** Connections running a query or holding a transaction. */
  inUse: number;
  /** Queries and transactions beyond the pool's size, queued or pipelined behind a busy connection. */
  waiting: number;
};

/**
 * Neither driver tells how many of its connections are busy (postgres.js keeps
 * its queues private; PGlite has one connection), so the client handed to
 * Drizzle counts the statements and transactions it has started and not yet
 * finished. Only the top-level calls Drizzle makes are counted: statements
 * inside a transaction run on the transaction's own client, which holds one
 * connection for its whole length.
 */
function countInFlight<T extends object>(client: T, methods: string[], size: number) {
  let inFlight = 0;
  const done = () => void inFlight--;
  const counted = new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof property !== "string" || !methods.includes(property) || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        inFlight++;
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          inFlight--;
          throw error;
        }
        // Both drivers answer with a promise (postgres.js's lazy query starts at its first then,
        // a tick before it is sent, so Drizzle's .values() right after still applies).
        void Promise.resolve(result).then(done, done);
        return result;
      };
    },
  });
  const usage = (): PoolUsage => {
    const inUse = Math.min(inFlight, size);
    return { size, inUse, waiting: inFlight - inUse };
  };
  return { counted, usage };
}

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

/**
 * A Unix socket, named as libpq does (`postgres://user@localhost/db?host=/var/run/postgresql`):
 * postgres.js would send an unknown `host` parameter to the server as a setting, so the
 * directory is taken out of the URL and given as its `host` option. On one machine a socket
 * skips the TCP stack on each round trip, which is most of a short query's CPU (ADR 011).
 */
export function postgresConnection(url: string): { url: string; host?: string } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get("host");
  if (!host?.startsWith("/")) return { url };
  parsed.searchParams.delete("host");
  return { url: parsed.toString(), host };
}

export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) {
    const size = options.poolSize ?? 4;
    const { url, host } = postgresConnection(options.url);
    const client = postgres(url, {
      ...(host ? { host } : {}),
      max: size,
      onnotice: () => {},
      connection: { application_name: "crowdthread" },
    });
    const pool = countInFlight(client, ["unsafe", "begin"], size);
    const db = drizzlePostgres(pool.counted, { schema });
    return {
      db,
      driver: "postgres",
      migrate: () => migratePostgres(db, { migrationsFolder }),
      ping: async () => {
        await client`select 1`;
      },
      close: () => client.end({ timeout: 5 }),
      pool: pool.usage,
    };
  }
  const dataDir = options.pgliteDataDir ?? "./data/pglite";
  if (!dataDir.includes("://")) mkdirSync(dataDir, { recursive: true });
  // A new database (memory://, or a folder without one) starts from the committed copy of a migrated,
  // empty cluster instead of running initdb and the migrations (ADR 020).
  const isNew = dataDir.includes("://") || !existsSync(path.join(dataDir, "PG_VERSION"));
  const template = isNew ? pgliteTemplate(migrationsFolder) : undefined;
  // pg_trgm for search (migration 0020 creates the extension); PGlite ships it as a contrib build.
  // 16 MB of shared buffers instead of initdb's 128 MB: PGlite sets the pool up in WebAssembly on
  // every open, which was 0.6 CPU-seconds of each demo start (ADR 017); one connection's working
  // set fits, and a miss is a read from the data folder, which the OS caches.
  const client = new PGlite(dataDir, {
    ...(template ? { loadDataDir: template } : {}),
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"],
  });
  const pool = countInFlight(client, ["query", "exec", "transaction"], 1);
  const pgliteDb = drizzlePglite(pool.counted, { schema });
  return {
    db: pgliteDb as unknown as Database,
    driver: "pglite",
    migrate: () => migratePglite(pgliteDb, { migrationsFolder }),
    ping: async () => {
      await client.query("select 1");
    },
    close: () => client.close(),
    pool: pool.usage,
  };
}
