/**
 * Compiles the demo's server entry (scripts/demo-server.ts, with server.ts and
 * the app modules it imports) to one plain-JavaScript file, build/demo-server.js,
 * so that `npm run demo` restarts without tsx: tsx's loader sees every import,
 * node_modules included, and cost a restart about three seconds. Packages stay
 * external; the Remix build is imported from beside it. Run by `npm run build`
 * after `remix vite:build`, with the esbuild that Vite ships.
 */
import { build } from "esbuild";

await build({
  entryPoints: ["scripts/demo-server.ts"],
  outfile: "build/demo-server.js",
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
        // server.ts and the entry import ./build/server/index.js from the project root; the output lives in build/.
        esbuild.onResolve({ filter: /build\/server\/index\.js$/ }, () => ({
          path: "./server/index.js",
          external: true,
        }));
      },
    },
  ],
});
