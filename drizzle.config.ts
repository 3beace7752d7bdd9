import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema and committed; both drivers
// (PGlite and postgres.js) apply the same SQL files.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
