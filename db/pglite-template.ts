import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync } from "node:zlib";
import { readMigrationFiles } from "drizzle-orm/migrator";

/**
 * A PGlite cluster as its `initdb` leaves it, with the committed migrations
 * applied and no rows, committed so that a new PGlite database starts from a
 * copy instead of running `initdb` and every migration (about 5 CPU-seconds
 * of WebAssembly; about 1.4 to unpack this). Like loading a schema dump
 * instead of replaying migrations: Drizzle still applies any migration added
 * since, from the records the copy carries. Made by `npm run
 * db:pglite-template` (which `npm run db:generate` runs) for the PGlite
 * version its manifest names; with any other version, or when a migration it
 * applied has changed since, PGlite runs its own `initdb` (ADR 020).
 */
export type PgliteTemplateManifest = {
  /** The @electric-sql/pglite version whose `initdb` made the archive. */
  pglite: string;
  /** The migrations it has applied, in order, by Drizzle's SHA-256 of each file. */
  migrations: string[];
  /** SHA-256 of the archive as committed (brotli-compressed tar). */
  sha256: string;
};

// Beside this file when run from source; from the project root when bundled (as the migrations are).
const besideSource = path.dirname(fileURLToPath(import.meta.url));
const folder = existsSync(path.join(besideSource, "pglite-template.json")) ? besideSource : path.resolve("db");

export const pgliteTemplatePaths = {
  archive: path.join(folder, "pglite-template.tar.br"),
  manifest: path.join(folder, "pglite-template.json"),
};

/** The installed PGlite's version, from its package.json (which its exports do not expose). */
export function installedPgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** The manifest, or undefined when it is missing or not one (then no template is used). */
export function readPgliteTemplateManifest(
  manifest = pgliteTemplatePaths.manifest,
): PgliteTemplateManifest | undefined {
  if (!existsSync(manifest)) return undefined;
  try {
    const read = JSON.parse(readFileSync(manifest, "utf8")) as Partial<PgliteTemplateManifest>;
    const { pglite, migrations, sha256 } = read;
    if (typeof pglite !== "string" || typeof sha256 !== "string") return undefined;
    if (!Array.isArray(migrations) || !migrations.every((hash) => typeof hash === "string")) return undefined;
    return { pglite, migrations, sha256 };
  } catch {
    return undefined;
  }
}

/** The committed migrations, in order, by Drizzle's SHA-256 of each file (as its migrator records them). */
export function migrationHashes(migrationsFolder: string): string[] {
  return readMigrationFiles({ migrationsFolder }).map((migration) => migration.hash);
}

/**
 * The template as a tar for PGlite's `loadDataDir`, or undefined when there is
 * none, it was made by another PGlite version, a migration it applied is not
 * the committed one any more (edited or removed; migrations added since are
 * fine, Drizzle applies them), or its bytes are not the ones its manifest
 * names. Then PGlite runs its own `initdb`, as without a template.
 */
export function pgliteTemplate(
  migrationsFolder: string,
  { paths = pgliteTemplatePaths, installed = installedPgliteVersion() } = {},
): Blob | undefined {
  const manifest = readPgliteTemplateManifest(paths.manifest);
  if (!manifest || manifest.pglite !== installed || !existsSync(paths.archive)) return undefined;
  const committed = migrationHashes(migrationsFolder);
  if (!manifest.migrations.every((hash, i) => hash === committed[i])) return undefined;
  const archive = readFileSync(paths.archive);
  if (createHash("sha256").update(archive).digest("hex") !== manifest.sha256) return undefined;
  return new Blob([brotliDecompressSync(archive)]);
}
