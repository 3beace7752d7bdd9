/** Applies the committed migrations to the configured database (PGlite or PostgreSQL). */
import { closeDatabase, getDatabaseHandle } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";

try {
  getEnv();
  const handle = getDatabaseHandle();
  await handle.migrate();
  console.log(`Migrations applied (${handle.driver}).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
