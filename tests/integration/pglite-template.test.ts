import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "#db/client";
import {
  installedPgliteVersion,
  pgliteTemplate,
  pgliteTemplatePaths,
  readPgliteTemplateManifest,
} from "#db/pglite-template";

const scratch = mkdtempSync(path.join(tmpdir(), "crowdthread-pglite-template-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const systemIdentifier = async (query: (sql: string) => Promise<{ rows: unknown[] }>) =>
  String(((await query("select system_identifier::text as id from pg_control_system()")).rows[0] as { id: string }).id);

describe("the committed PGlite template", () => {
  it("was made by the installed PGlite, and its bytes are the ones its manifest names", () => {
    const manifest = readPgliteTemplateManifest();
    expect(manifest?.pglite, "PGlite was upgraded: run `npm run db:pglite-template` and commit the result").toBe(
      installedPgliteVersion(),
    );
    expect(pgliteTemplate()).toBeInstanceOf(Blob);
  });

  it("is an empty cluster: the three standard databases, the bootstrap role, nobody's objects", async () => {
    // The committed bytes themselves, whichever version the manifest names.
    const archive = new Blob([brotliDecompressSync(readFileSync(pgliteTemplatePaths.archive))]);
    const pglite = await PGlite.create("memory://", { loadDataDir: archive });
    try {
      const rows = async <T>(sql: string) => (await pglite.query<T>(sql)).rows;
      expect(
        (await rows<{ datname: string }>("select datname from pg_database order by 1")).map((r) => r.datname),
      ).toEqual(["postgres", "template0", "template1"]);
      // 16384 is PostgreSQL's first object id for anything made after initdb.
      expect(await rows("select oid from pg_class where oid >= 16384")).toEqual([]);
      expect(await rows("select rolname from pg_roles where oid >= 16384")).toEqual([]);
      expect((await rows<{ extname: string }>("select extname from pg_extension")).map((r) => r.extname)).toEqual([
        "plpgsql",
      ]);
    } finally {
      await pglite.close();
    }
  });

  it("starts a new folder, which migrates and then opens as itself, without the template", async () => {
    const template = await PGlite.create("memory://", { loadDataDir: pgliteTemplate() });
    const templateId = await systemIdentifier((sql) => template.query(sql));
    await template.close();

    const dataDir = path.join(scratch, "folder");
    const first = createDatabase({ pgliteDataDir: dataDir });
    await first.migrate();
    const client = (sql: string) => first.db.execute(sql) as unknown as Promise<{ rows: unknown[] }>;
    // initdb would have drawn a new random identifier; the copy keeps the template's.
    expect(await systemIdentifier(client)).toBe(templateId);
    const migrated = (await client("select count(*)::int as n from drizzle.__drizzle_migrations")).rows;
    await first.close();

    const again = createDatabase({ pgliteDataDir: dataDir });
    const reopened = (sql: string) => again.db.execute(sql) as unknown as Promise<{ rows: unknown[] }>;
    await again.migrate();
    expect((await reopened("select count(*)::int as n from drizzle.__drizzle_migrations")).rows).toEqual(migrated);
    expect(await systemIdentifier(reopened)).toBe(templateId);
    await again.close();
  });

  it("is not used when another PGlite made it, its bytes changed, or it is missing", () => {
    expect(pgliteTemplate(pgliteTemplatePaths, "0.0.1")).toBeUndefined();

    const altered = { archive: path.join(scratch, "altered.tar.br"), manifest: path.join(scratch, "altered.json") };
    copyFileSync(pgliteTemplatePaths.manifest, altered.manifest);
    writeFileSync(altered.archive, "not the template");
    expect(pgliteTemplate(altered)).toBeUndefined();

    const missing = { archive: path.join(scratch, "none.tar.br"), manifest: path.join(scratch, "none.json") };
    expect(pgliteTemplate(missing)).toBeUndefined();
  });
});
