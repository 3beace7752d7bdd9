import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { REMIX_FUTURE } from "./app/remix-future";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  ssr: { external: ["@electric-sql/pglite", "@node-rs/argon2", "sharp"] },
  optimizeDeps: { exclude: ["@electric-sql/pglite"] },
  build: {
    // Gzipping every chunk only to print its size was a second or two of each build (and of the demo's first start).
    reportCompressedSize: false,
    // The browsers Tailwind v4 supports: below them its CSS does not work anyway, so Lightning CSS
    // (rolldown-vite's CSS minifier, ADR 019) need not add lab()/hex fallbacks and prefixes for older ones.
    cssTarget: ["chrome111", "edge111", "firefox128", "safari16.4"],
  },
  plugins: [tailwindcss(), remix({ future: REMIX_FUTURE }), tsconfigPaths()],
});
