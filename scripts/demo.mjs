/**
 * `npm run demo`: build if the sources changed, migrate, seed an empty
 * database, serve on http://localhost:3000. Nothing else to set up: PGlite
 * under ./data.
 *
 * Plain JavaScript, so that a restart (build current) loads no TypeScript at
 * all: it imports build/demo/demo-server.js, the demo's server bundled by
 * `npm run build`. A first run, or one after a change, builds in a child
 * process while this one compiles the seed with esbuild (.cache/demo),
 * migrates and seeds, and the server, from .cache/demo too, starts listening
 * when both are done, so the first page a visitor sees is complete (ADR 017).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

// The server serves the production build; the environment is parsed once, on first use.
process.env.NODE_ENV = "production";

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

// Keeps the event loop alive until the server listens. Between two awaits of the start-up (a module
// import, a PGlite query) nothing else may hold the loop open; Node then waits for every V8 background
// task, mostly the optimising compile of PGlite's WebAssembly, before it goes on: a restart stood still
// for 0.2-0.3 s there (ADR 017, seventh pass).
const keepAlive = setInterval(() => {}, 2 ** 30);

/** Everything the build (the Remix build and build/demo/) is made from. */
const BUILD_INPUTS = [
  "app",
  "db",
  "public",
  "patches",
  "server.ts",
  "scripts/demo-server.ts",
  "scripts/demo-database.ts",
  "scripts/build-demo-server.mjs",
  "tests/factories",
  "vite.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
/** SHA-256 of the inputs' contents, written after a successful build. */
const HASH_FILE = "build/.source-hash";
/** The inputs' names, sizes and modification times when HASH_FILE was last confirmed: a restart reads no file. */
const STAT_FILE = "build/.source-stat";
const SERVER = "build/demo/demo-server.js";
/** Where a first run compiles the seed and the server, packages external, while the build runs. */
const FIRST_RUN = ".cache/demo";

function inputFiles() {
  const files = [];
  for (const input of BUILD_INPUTS) {
    if (!existsSync(input)) continue;
    if (statSync(input).isDirectory()) {
      files.push(
        ...readdirSync(input, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name)),
      );
    } else files.push(input);
  }
  return files.sort();
}

function statFingerprint(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest("hex");
}

function contentHash(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file);
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const read = (file) => (existsSync(file) ? readFileSync(file, "utf8") : undefined);

/** Whether the build is current: by file times first, by content when they moved (a checkout that changed nothing). */
function checkBuild() {
  const files = inputFiles();
  const stat = statFingerprint(files);
  const built = existsSync("build/server/index.js") && existsSync(SERVER);
  if (built && read(STAT_FILE) === stat) return { current: true };
  const hash = contentHash(files);
  if (built && read(HASH_FILE) === hash) {
    writeFileSync(STAT_FILE, stat);
    return { current: true };
  }
  return { current: false, hash, stat };
}

function build({ hash, stat }) {
  console.log("Building the app (first run, or the sources changed)…");
  return new Promise((resolve, reject) => {
    // The build's progress goes to a buffer, shown only if it fails: the seed's lines stay readable.
    const output = [];
    const child = spawn(
      "sh",
      [
        "-c",
        `"${process.execPath}" node_modules/@remix-run/dev/dist/cli.js vite:build && "${process.execPath}" scripts/build-demo-server.mjs`,
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
    );
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) {
        writeFileSync(HASH_FILE, hash);
        writeFileSync(STAT_FILE, stat);
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
  // The seed runs compiled too (under a second with esbuild), not through tsx's loader.
  const { compileDemoServer } = await import("./build-demo-server.mjs");
  await compileDemoServer(FIRST_RUN);
  const dataDir = process.env.PGLITE_DATA_DIR ?? path.join(process.env.DATA_DIR ?? "data", "pglite");
  const empty = !process.env.DATABASE_URL && !existsSync(path.join(dataDir, "PG_VERSION"));
  const { prepareDemoDatabase, loadDemoSeed } = await import(`../${FIRST_RUN}/demo-database.js`);
  const preparing = prepareDemoDatabase();
  // No database yet: PGlite has started its initdb; the seed and the domain load beside it.
  if (empty) await loadDemoSeed();
  const { seeded } = await preparing;
  if (seeded) console.log(`Seeded the demo data (${seconds()} s).`);
}

const outdated = checkBuild();
// A first run serves from .cache/demo, the copy its seed ran from (scripts/build-demo-server.mjs).
const server = outdated.current ? SERVER : `${FIRST_RUN}/demo-server.js`;
if (!outdated.current) {
  // Settled, not raced: a failed build still lets the seed finish, so the next run does not find a half-seeded database.
  const outcomes = await Promise.allSettled([build(outdated), prepareDatabase()]);
  for (const outcome of outcomes) {
    if (outcome.status === "rejected") {
      console.error(outcome.reason instanceof Error ? outcome.reason.message : outcome.reason);
      process.exit(1);
    }
  }
}

// Migrates (and seeds an empty database), prints the logins, serves; it reuses a database handle opened above.
await import(`../${server}`);
clearInterval(keepAlive);
