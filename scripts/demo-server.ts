/**
 * The demo's server, bundled to plain JavaScript by `npm run build`
 * (build/demo/, scripts/build-demo-server.mjs) so that a restart
 * loads no TypeScript through tsx's loader. scripts/demo.mjs imports it once
 * the build is current; a first run imports the copy it compiled to .cache/demo.
 *
 * PGlite starts opening first: its WebAssembly compiles on V8's background
 * threads while this thread loads the server's build.
 */
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "#db/demo-accounts";
import { getDatabaseHandle } from "~/lib/db.server";
import { prepareDemoDatabase } from "./demo-database";

process.env.NODE_ENV = "production";

try {
  getDatabaseHandle();
  // The same module server.ts imports next: loading it now overlaps PGlite's start.
  // @ts-expect-error the production build exists only after `npm run build`
  const loading = import("../build/server/index.js");
  const { seeded } = await prepareDemoDatabase();
  if (seeded) console.log("Seeded the demo data.");
  await loading;
} catch (error) {
  console.error("The demo could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
}

console.log(`\nDemo logins (password "${DEMO_PASSWORD}"):`);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(28)} ${account.role}`);
console.log(`Open http://localhost:${process.env.PORT ?? 3000} once the server says it is listening.\n`);

// The server picks up the database handle opened above, and stops it on SIGINT/SIGTERM.
await import("../server");
