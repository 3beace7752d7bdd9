/**
 * `npm run db:pglite-template`: runs the installed PGlite's `initdb` once and
 * commits its result, db/pglite-template.tar.br with its manifest, so that
 * new PGlite databases (the demo's first run, tests on PGlite) start from a
 * copy (ADR 020). Run it after upgrading @electric-sql/pglite; a test fails
 * until then, and PGlite runs `initdb` itself meanwhile.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { constants, brotliCompressSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { installedPgliteVersion, pgliteTemplatePaths, type PgliteTemplateManifest } from "#db/pglite-template";

const pglite = await PGlite.create("memory://");
const tar = Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
await pglite.close();

// A window as large as brotli allows (16 MB) finds the three databases' near-identical catalogs
// in one another: 40 MB of tar become about 1.3 MB, against 4.5 MB gzipped.
const archive = brotliCompressSync(tar, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
    [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
  },
});
const manifest: PgliteTemplateManifest = {
  pglite: installedPgliteVersion(),
  sha256: createHash("sha256").update(archive).digest("hex"),
};
writeFileSync(pgliteTemplatePaths.archive, archive);
writeFileSync(pgliteTemplatePaths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `Wrote ${pgliteTemplatePaths.archive}: PGlite ${manifest.pglite}, ${(tar.length / 1e6).toFixed(1)} MB of tar in ${(archive.length / 1e6).toFixed(2)} MB.`,
);
