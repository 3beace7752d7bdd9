/**
 * `npm run db:pglite-template`: runs the installed PGlite's `initdb` once,
 * applies the committed migrations, and commits the result,
 * db/pglite-template.tar.br with its manifest, so that new PGlite databases
 * (the demo's first run, `npm run dev` on a new checkout, tests on PGlite)
 * start from a copy (ADR 020). `npm run db:generate` runs it after each new
 * migration; run it yourself after editing a migration or upgrading
 * @electric-sql/pglite (a test fails until then). Meanwhile a new database
 * applies the migrations the copy lacks, and runs `initdb` itself when a
 * migration in the copy has changed or PGlite is another version. A
 * template that is current is left as it is (its bytes differ at each
 * making: `initdb` draws a random system identifier); `--force` remakes it.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { constants, brotliCompressSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsFolder } from "#db/client";
import {
  installedPgliteVersion,
  migrationHashes,
  pgliteTemplate,
  pgliteTemplatePaths,
  readPgliteTemplateManifest,
  type PgliteTemplateManifest,
} from "#db/pglite-template";

// Current: usable as it is (this PGlite, its migrations unchanged, its bytes intact), and no migration committed since.
const existing = readPgliteTemplateManifest();
if (
  !process.argv.includes("--force") &&
  existing?.migrations.length === migrationHashes(migrationsFolder).length &&
  pgliteTemplate(migrationsFolder)
) {
  console.log(
    `${pgliteTemplatePaths.archive} is current (PGlite ${existing.pglite}, ${existing.migrations.length} migrations).`,
  );
  process.exit(0);
}

// initdb here, never the previous template: each template is made from PGlite and the migrations alone.
const pglite = await PGlite.create("memory://", { extensions: { pg_trgm } });
await migrate(drizzle(pglite), { migrationsFolder });
const migrations = (
  await pglite.query<{ hash: string }>("select hash from drizzle.__drizzle_migrations order by id")
).rows.map((row) => row.hash);
if (migrations.join() !== migrationHashes(migrationsFolder).join())
  throw new Error("The migrator did not apply every migration.");
// A checkpoint, so that the copy starts without WAL to replay.
await pglite.exec("checkpoint");
const tar = Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
await pglite.close();

// A window as large as brotli allows (16 MB) finds the three databases' near-identical catalogs
// in one another: about 43 MB of tar become about 1.7 MB, where gzip made 4.5 MB of the empty cluster alone.
const archive = brotliCompressSync(tar, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
    [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
  },
});
const manifest: PgliteTemplateManifest = {
  pglite: installedPgliteVersion(),
  migrations,
  sha256: createHash("sha256").update(archive).digest("hex"),
};
writeFileSync(pgliteTemplatePaths.archive, archive);
writeFileSync(pgliteTemplatePaths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `Wrote ${pgliteTemplatePaths.archive}: PGlite ${manifest.pglite}, ${migrations.length} migrations, ${(tar.length / 1e6).toFixed(1)} MB of tar in ${(archive.length / 1e6).toFixed(2)} MB.`,
);
