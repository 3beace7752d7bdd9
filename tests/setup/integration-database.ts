import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getTableName, isTable } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import * as schema from "#db/schema";
import { adminQuery, withDatabase } from "./test-database";

const serverUrl = inject("databaseServerUrl");
const template = inject("databaseTemplate");

if (serverUrl && template) {
  // One database per worker process, cloned from the migrated template. The
  // pid keeps it unique even when several pools run at once (all projects).
  const name = `${template}_w${process.env.VITEST_POOL_ID ?? "0"}_${process.pid}`;
  await adminQuery(serverUrl, async (sql) => {
    const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!exists) await sql.unsafe(`create database "${name}" template "${template}"`);
  });
  process.env.DATABASE_URL = withDatabase(serverUrl, name);
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DATA_DIR = "memory://";
}
process.env.LOG_REQUESTS = "false";
// Stored images go to a folder of this worker's own, emptied before each test.
const dataDir = mkdtempSync(path.join(tmpdir(), "crowdthread-test-"));
process.env.DATA_DIR = dataDir;

const { db, getDatabaseHandle } = await import("~/lib/db.server");
const { resetEnvCache } = await import("~/lib/env.server");
resetEnvCache();

const tables = Object.values(schema)
  .filter((value) => isTable(value))
  .map((table) => `"${getTableName(table)}"`);

beforeAll(async () => {
  await getDatabaseHandle().migrate();
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  rmSync(path.join(dataDir, "storage"), { recursive: true, force: true });
  const { sql } = await import("drizzle-orm");
  await db.execute(sql.raw(`truncate ${tables.join(", ")} restart identity cascade`));
});
