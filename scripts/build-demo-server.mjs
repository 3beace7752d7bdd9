/**
 * Compiles the demo's server entry (scripts/demo-server.ts, with server.ts and
 * the app modules it imports) to plain JavaScript, build/demo/demo-server.js and its chunks,
 * so that `npm run demo` restarts without tsx: tsx's loader sees every import,
 * node_modules included, and cost a restart about three seconds. Run by `npm run build`
 * after `remix vite:build`, with the esbuild that Vite ships.
 *
 * build/demo holds one bundle: the Remix build and the packages are in it, but for those
 * NOT_BUNDLED names (a package named there takes its subpaths with it).
 * Node 20 reads and links each ES module file on its own; a restart loaded about 600 of
 * them, and bundled it answers its first page about 0.3 s sooner (ADR 017, seventh pass).
 *
 * A first run compiles the same code to .cache/demo before anything else, with the packages
 * and the Remix build left external (under a tenth of a second), seeds from there while the
 * build runs (`remix vite:build` empties build/ when it starts), and serves from there too:
 * the seed's database handle and the server then use the same copy of Drizzle.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * Left to node_modules: packages that read files beside their own modules (PGlite's
 * WebAssembly and extensions) or load native addons; the dev server; the clients that only a
 * configured payment, storage or mail service loads, after the server has started; and large
 * packages of one or a few files (React DOM's server renderer, undici, data tables), which
 * load as fast from node_modules and would only lengthen a first run's build.
 */
const NOT_BUNDLED = [
  "@electric-sql/pglite",
  "sharp",
  "@node-rs/argon2",
  "vite",
  "stripe",
  "@aws-sdk/*",
  "@smithy/*",
  "nodemailer",
  "react",
  "react-dom",
  "undici",
  "mime-db",
  "iconv-lite",
  "web-streams-polyfill",
  "country-region-data",
];

/** CommonJS packages inside an ES module bundle still call require() for Node's own modules. */
const REQUIRE_SHIM = `import { createRequire as __demoCreateRequire } from "node:module";
const require = __demoCreateRequire(import.meta.url);`;

export async function compileDemoServer(outdir, { bundlePackages = false } = {}) {
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
    logLevel: "warning",
    ...(bundlePackages
      ? { external: NOT_BUNDLED, banner: { js: REQUIRE_SHIM } }
      : {
          packages: "external",
          plugins: [
            {
              name: "remix-build",
              setup(esbuild) {
                // server.ts and the entry import ./build/server/index.js from the project root.
                const remixBuild = path.relative(outdir, "build/server/index.js").split(path.sep).join("/");
                esbuild.onResolve({ filter: /build\/server\/index\.js$/ }, () => ({
                  path: remixBuild,
                  external: true,
                }));
              },
            },
          ],
        }),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await compileDemoServer("build/demo", { bundlePackages: true });
}
