/**
 * The demo's database: migrate, then seed it if it has no accounts yet. Used
 * by the first run from source (beside the build, scripts/demo.mjs) and by
 * the compiled demo server on every start (scripts/demo-server.ts), where
 * it costs a migration check and one query.
 */
import { db, getDatabaseHandle } from "~/lib/db.server";
import { users } from "#db/schema";

/** The seed and the domain it loads; a first run starts loading them while PGlite runs initdb. */
export const loadDemoSeed = () => import("#db/seed");

export async function prepareDemoDatabase(log: (line: string) => void = console.log) {
  await getDatabaseHandle().migrate();
  // A restart finds its accounts and skips loading the seed.
  if ((await db.select({ id: users.id }).from(users).limit(1)).length > 0) {
    const { ensureDemoShipping } = await import("#tests/factories/shipping");
    if (await ensureDemoShipping()) log("Added the demo's shipping zones and tax rates (the database had none).");
    return { seeded: false };
  }
  const { seedDemo } = await loadDemoSeed();
  await seedDemo();
  return { seeded: true };
}
