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
  // Gzipping every chunk only to print its size was a second or two of each build (and of the demo's first start).
  build: { reportCompressedSize: false },
  plugins: [tailwindcss(), remix({ future: REMIX_FUTURE }), tsconfigPaths()],
});
