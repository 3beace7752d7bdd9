/**
 * `npm run test:e2e`: finds Chromium, builds the production bundle, gives the
 * run a fresh database (a new one on the PostgreSQL server named by
 * TEST_DATABASE_URL or DATABASE_URL, else in-memory PGlite served over the
 * Postgres protocol), runs Playwright, and cleans up.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase } from "#db/client";
import { findChromium } from "#tests/e2e/chromium";
import { PRINTFUL_DOUBLE, startPrintfulDouble } from "#tests/support/printful-double";
import { adminQuery, dropDatabase, testServerUrl, withDatabase } from "#tests/setup/test-database";

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync(command, args, { stdio: "inherit", env }).status ?? 1;
}

/** Without blocking: the PGlite socket server lives in this process and must keep answering. */
function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

let chromium = await findChromium();
if (!chromium) {
  console.log(
    "No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, Playwright's own); trying `npx playwright install chromium` once…",
  );
  run("npx", ["playwright", "install", "chromium"]);
  chromium = await findChromium();
}
if (!chromium) {
  console.error(
    [
      "The browser tests need Chromium and none could be found or downloaded.",
      "Install one of these, then run the tests again:",
      "  Debian/Ubuntu: sudo apt-get install -y chromium",
      "  any machine with internet: npx playwright install chromium",
      "  or point CHROMIUM_PATH at an existing Chromium or Chrome binary.",
    ].join("\n"),
  );
  process.exit(1);
}
console.log(`[e2e] browser: ${chromium}`);

if (run("npx", ["remix", "vite:build"]) !== 0) process.exit(1);

const dataDir = mkdtempSync(path.join(tmpdir(), "crowdthread-e2e-"));
const serverUrl = testServerUrl();
let databaseUrl: string;
let poolSize = "10";
let cleanup: () => Promise<void>;

if (serverUrl) {
  const name = `crowdthread_e2e_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(serverUrl, (sql) => sql.unsafe(`create database "${name}"`));
  databaseUrl = withDatabase(serverUrl, name);
  console.log(`[e2e] database: PostgreSQL ${new URL(serverUrl).host}/${name}`);
  cleanup = () => dropDatabase(serverUrl, name);
} else {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { pgliteTemplate } = await import("#db/pglite-template");
  const { migrationsFolder } = await import("#db/client");
  // pg_trgm for search, and the committed, migrated cluster instead of initdb, as db/client.ts opens PGlite.
  const template = pgliteTemplate(migrationsFolder);
  const pglite = await PGlite.create("memory://", {
    extensions: { pg_trgm },
    ...(template ? { loadDataDir: template } : {}),
  });
  const socket = new PGLiteSocketServer({ db: pglite, port: 0, host: "127.0.0.1", maxConnections: 20 });
  await socket.start();
  const address = socket.getServerConn();
  databaseUrl = `postgres://postgres@${address}/postgres`;
  poolSize = "1";
  console.log(`[e2e] database: in-memory PGlite served on ${address} (no PostgreSQL configured)`);
  cleanup = async () => {
    await socket.stop();
    await pglite.close();
  };
}

// The app sends orders to a stand-in for Printful's API, which posts its
// shipped webhook back to the app as Printful would (playwright.config.ts
// gives the server the matching PRINTFUL_* variables).
const appPort = Number(process.env.E2E_PORT ?? 3100);
const printful = await startPrintfulDouble({
  webhookUrl: `http://localhost:${appPort}/webhooks/printful?token=${PRINTFUL_DOUBLE.webhookSecret}`,
});
console.log(`[e2e] Printful double: ${printful.url}`);

let status: number;
try {
  const migrator = createDatabase({ url: databaseUrl, poolSize: 1 });
  await migrator.migrate();
  await migrator.close();
  status = await runAsync("npx", ["playwright", "test", ...process.argv.slice(2)], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    CHROMIUM_PATH: chromium,
    E2E_DATA_DIR: dataDir,
    // The tests' factories store artwork where the server reads it, so a design made in a test shows its image.
    DATA_DIR: dataDir,
    E2E_DATABASE_POOL_SIZE: poolSize,
    DATABASE_POOL_SIZE: poolSize,
    E2E_PRINTFUL_URL: printful.url,
  });
} finally {
  await printful.close();
  await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(status);
