/**
 * Compiles the demo's server entry (scripts/demo-server.ts, with server.ts and
 * the app modules it imports) to plain JavaScript, build/demo/demo-server.js and its chunks,
 * so that `npm run demo` restarts without tsx: tsx's loader sees every import,
 * node_modules included, and cost a restart about three seconds. Packages stay
 * external; the Remix build is imported from beside it. Run by `npm run build`
 * after `remix vite:build`, with the esbuild that Vite ships.
 */
import { build } from "esbuild";

await build({
  entryPoints: ["scripts/demo-server.ts"],
  // Split at dynamic imports, so that a restart does not load the seed, the factories and
  // the packages only they use (they run when the database is empty).
  outdir: "build/demo",
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  plugins: [
    {
      name: "remix-build-beside",
      setup(esbuild) {
        // server.ts and the entry import ./build/server/index.js from the project root; the output lives in build/demo/.
        esbuild.onResolve({ filter: /build\/server\/index\.js$/ }, () => ({
          path: "../server/index.js",
          external: true,
        }));
      },
    },
  ],
});
