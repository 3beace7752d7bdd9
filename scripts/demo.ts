/**
 * `npm run demo`: build if needed, migrate, seed an empty database, serve on
 * http://localhost:3000. Nothing else to set up: PGlite under ./data.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "#db/seed";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const buildMarker = "build/server/index.js";
const sourcesChanged =
  !existsSync(buildMarker) ||
  Math.max(newestMtime("app"), newestMtime("public"), statSync("vite.config.ts").mtimeMs) >
    statSync(buildMarker).mtimeMs;
if (sourcesChanged) {
  console.log("Building the app (first run, or the sources changed)…");
  run("npx", ["remix", "vite:build"]);
}

run("npx", ["tsx", "scripts/seed.ts"]);

console.log(`\nDemo logins (password "${DEMO_PASSWORD}"):`);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(28)} ${account.role}`);
console.log("Open http://localhost:3000 once the server says it is listening.\n");

const child = spawn("npx", ["tsx", "server.ts"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
