/**
 * `npm run db:pglite-template`: runs the installed PGlite's `initdb` once,
 * applies the committed migrations, and commits the result,
 * db/pglite-template.tar.br with its manifest, so that new PGlite databases
 * (the demo's first run, `npm run dev` on a new checkout, tests on PGlite)
 * start from a copy (ADR 020). Run it after adding a migration or upgrading
 * @electric-sql/pglite; a test fails until then. Meanwhile a new database
 * applies the migrations the copy lacks, and with another PGlite version
 * runs `initdb` itself.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { constants, brotliCompressSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsFolder } from "#db/client";
import { installedPgliteVersion, pgliteTemplatePaths, type PgliteTemplateManifest } from "#db/pglite-template";

// initdb here, never the previous template: each template is made from PGlite and the migrations alone.
const pglite = await PGlite.create("memory://", { extensions: { pg_trgm } });
await migrate(drizzle(pglite), { migrationsFolder });
const migrations = (await pglite.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations"))
  .rows[0]!.n;
// A checkpoint, so that the copy starts without WAL to replay.
await pglite.exec("checkpoint");
const tar = Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
await pglite.close();

// A window as large as brotli allows (16 MB) finds the three databases' near-identical catalogs
// in one another: about 40 MB of tar become under 1.5 MB, where gzip made 4.5 MB.
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
  `Wrote ${pgliteTemplatePaths.archive}: PGlite ${manifest.pglite}, ${migrations} migrations, ${(tar.length / 1e6).toFixed(1)} MB of tar in ${(archive.length / 1e6).toFixed(2)} MB.`,
);
