/**
 * `npm run demo`: build if the sources changed, migrate, seed an empty
 * database, serve on http://localhost:3000. Nothing else to set up: PGlite
 * under ./data.
 *
 * Everything happens in this one process, so PGlite (whose start-up is most
 * of a restart) opens once: the seed and the server's build share its handle
 * through `singleton`. On a first run the build runs in a child process while
 * this one migrates and seeds, and the server starts listening only when both
 * are done, so the first page a visitor sees is complete.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// The server below serves the production build; the environment is parsed once, on first use.
process.env.NODE_ENV = "production";

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

/** Everything the build is made from. A checkout or an edit changes the hash; a touch does not. */
const BUILD_INPUTS = [
  "app",
  "db",
  "public",
  "patches",
  "vite.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
const HASH_FILE = "build/.source-hash";

function sourceHash(): string {
  const hash = createHash("sha256");
  const add = (file: string) => {
    hash.update(file);
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  };
  for (const input of BUILD_INPUTS) {
    if (!existsSync(input)) continue;
    if (!input.includes(".")) {
      const files = readdirSync(input, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name))
        .sort();
      files.forEach(add);
    } else add(input);
  }
  return hash.digest("hex");
}

function build(hash: string): Promise<void> {
  console.log("Building the app (first run, or the sources changed)…");
  return new Promise((resolve, reject) => {
    // Vite's progress goes to a buffer, shown only if the build fails: the seed's lines stay readable.
    const output: Buffer[] = [];
    const child = spawn(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) {
        writeFileSync(HASH_FILE, hash);
        console.log(`Built the app (${seconds()} s).`);
        resolve();
      } else {
        process.stderr.write(Buffer.concat(output));
        reject(new Error(`The build failed (exit code ${code}).`));
      }
    });
  });
}

async function prepareDatabase() {
  const { db, getDatabaseHandle } = await import("~/lib/db.server");
  const { users } = await import("#db/schema");
  await getDatabaseHandle().migrate();
  // A restart finds its accounts and skips loading the seed (and the whole domain with it) from source.
  if ((await db.select({ id: users.id }).from(users).limit(1)).length > 0) {
    const { ensureDemoShipping } = await import("#tests/factories/shipping");
    if (await ensureDemoShipping())
      console.log("Added the demo's shipping zones and tax rates (the database had none).");
    return;
  }
  const { seedDemo } = await import("#db/seed");
  await seedDemo();
  console.log(`Seeded the demo data (${seconds()} s).`);
}

const hash = sourceHash();
const current =
  existsSync("build/server/index.js") && existsSync(HASH_FILE) && readFileSync(HASH_FILE, "utf8") === hash;
// Settled, not raced: a failed build still lets the seed finish, so the next run does not find a half-seeded database.
const outcomes = await Promise.allSettled([current ? undefined : build(hash), prepareDatabase()]);
for (const outcome of outcomes) {
  if (outcome.status === "rejected") {
    console.error(outcome.reason instanceof Error ? outcome.reason.message : outcome.reason);
    process.exit(1);
  }
}

const { DEMO_ACCOUNTS, DEMO_PASSWORD } = await import("#db/demo-accounts");
console.log(`\nDemo logins (password "${DEMO_PASSWORD}"):`);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(28)} ${account.role}`);
console.log(`Open http://localhost:${process.env.PORT ?? 3000} once the server says it is listening.\n`);

// The server picks up the database handle opened above, and stops it on SIGINT/SIGTERM.
await import("../server");
