/** `npm run dev`: seeds an empty database, then serves with Vite's dev middleware. */
import { spawnSync } from "node:child_process";

const seed = spawnSync("npx", ["tsx", "scripts/seed.ts"], { stdio: "inherit" });
if (seed.status !== 0) process.exit(seed.status ?? 1);
await import("../server");
