/**
 * Compiles the demo's server entry (scripts/demo-server.ts, with server.ts and
 * the app modules it imports) to plain JavaScript, build/demo/demo-server.js and its chunks,
 * so that `npm run demo` restarts without tsx: tsx's loader sees every import,
 * node_modules included, and cost a restart about three seconds. Packages stay
 * external; the Remix build is imported from build/server. Run by `npm run build`
 * after `remix vite:build`, with the esbuild that Vite ships.
 *
 * A first run compiles the same code to .cache/demo before anything else (under a second),
 * and seeds from there while the build runs: `remix vite:build` empties build/ when it starts.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export async function compileDemoServer(outdir) {
  const remixBuild = path.relative(outdir, "build/server/index.js").split(path.sep).join("/");
  await build({
    entryPoints: ["scripts/demo-server.ts", "scripts/demo-database.ts"],
    // Split at dynamic imports, so that a restart does not load the seed, the factories and
    // the packages only they use (they run when the database is empty).
    outdir,
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    plugins: [
      {
        name: "remix-build",
        setup(esbuild) {
          // server.ts and the entry import ./build/server/index.js from the project root.
          esbuild.onResolve({ filter: /build\/server\/index\.js$/ }, () => ({ path: remixBuild, external: true }));
        },
      },
    ],
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await compileDemoServer("build/demo");
