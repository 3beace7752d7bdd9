import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, migrationsFolder } from "#db/client";
import {
  installedPgliteVersion,
  pgliteTemplate,
  pgliteTemplatePaths,
  migrationHashes,
  readPgliteTemplateManifest,
} from "#db/pglite-template";

const scratch = mkdtempSync(path.join(tmpdir(), "crowdthread-pglite-template-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Query = (sql: string) => Promise<{ rows: unknown[] }>;
const systemIdentifier = async (query: Query) =>
  String(((await query("select system_identifier::text as id from pg_control_system()")).rows[0] as { id: string }).id);

/** The committed bytes themselves, whichever version the manifest names. */
const openCommitted = () =>
  PGlite.create("memory://", {
    extensions: { pg_trgm },
    loadDataDir: new Blob([brotliDecompressSync(readFileSync(pgliteTemplatePaths.archive))]),
  });

/** What a database's schema is made of, in an order that does not depend on how it was made. */
async function schemaOf(pglite: PGlite) {
  const rows = async (sql: string) => (await pglite.query(sql)).rows;
  return {
    columns: await rows(`select table_schema, table_name, column_name, data_type, is_nullable, column_default
      from information_schema.columns where table_schema in ('public', 'drizzle') order by 1, 2, 3`),
    indexes: await rows(`select schemaname, indexname, indexdef from pg_indexes
      where schemaname in ('public', 'drizzle') order by 1, 2`),
    constraints: await rows(`select conrelid::regclass::text as t, conname, pg_get_constraintdef(oid) as def
      from pg_constraint where connamespace in ('public'::regnamespace, 'drizzle'::regnamespace) order by 1, 2`),
    types: await rows(`select t.typname, array_agg(e.enumlabel order by e.enumsortorder) as labels
      from pg_type t join pg_enum e on e.enumtypid = t.oid group by 1 order by 1`),
    functions: await rows(`select proname, pg_get_function_identity_arguments(oid) as args from pg_proc
      where pronamespace = 'public'::regnamespace order by 1, 2`),
    triggers: await rows(
      `select tgrelid::regclass::text as t, tgname from pg_trigger where not tgisinternal order by 1, 2`,
    ),
    extensions: await rows("select extname from pg_extension order by 1"),
  };
}

describe("the committed PGlite template", () => {
  it("was made by the installed PGlite, with every committed migration, and its bytes are its manifest's", async () => {
    const remake = "run `npm run db:pglite-template` and commit the result";
    const manifest = readPgliteTemplateManifest();
    expect(manifest?.pglite, `PGlite was upgraded: ${remake}`).toBe(installedPgliteVersion());
    expect(manifest?.migrations, `the migrations changed since the template was made: ${remake}`).toEqual(
      migrationHashes(migrationsFolder),
    );
    expect(pgliteTemplate(migrationsFolder)).toBeInstanceOf(Blob);

    const pglite = await openCommitted();
    try {
      const applied = (
        await pglite.query<{ hash: string }>("select hash from drizzle.__drizzle_migrations order by created_at")
      ).rows.map((r) => r.hash);
      const committed = readMigrationFiles({ migrationsFolder }).map((m) => m.hash);
      expect(applied, `the migrations changed since the template was made: ${remake}`).toEqual(committed);
    } finally {
      await pglite.close();
    }
  });

  it("is what the migrations make on a new cluster: the same schema and rows, no other database or role", async () => {
    const fresh = await PGlite.create("memory://", { extensions: { pg_trgm } });
    const template = await openCommitted();
    try {
      await migrate(drizzle(fresh), { migrationsFolder });
      const schema = await schemaOf(template);
      expect(schema.columns.length).toBeGreaterThan(100);
      expect(schema.indexes.length).toBeGreaterThan(20);
      expect(schema).toEqual(await schemaOf(fresh));

      const rows = async <T>(sql: string) => (await template.query<T>(sql)).rows;
      expect(
        (await rows<{ datname: string }>("select datname from pg_database order by 1")).map((r) => r.datname),
      ).toEqual(["postgres", "template0", "template1"]);
      // 16384 is PostgreSQL's first object id for anything made after initdb.
      expect(await rows("select rolname from pg_roles where oid >= 16384")).toEqual([]);
      // Rows only where a migration inserts them (the site's settings): the same counts as the fresh one.
      const counts = async (pglite: PGlite) => {
        const tables = (
          await pglite.query<{ name: string }>(
            "select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = 'public' order by 1",
          )
        ).rows;
        const out: Record<string, number> = {};
        for (const { name } of tables)
          out[name] = (await pglite.query<{ n: number }>(`select count(*)::int as n from ${name}`)).rows[0]!.n;
        return out;
      };
      const inTemplate = await counts(template);
      expect(Object.keys(inTemplate).length).toBeGreaterThan(20);
      expect(inTemplate).toEqual(await counts(fresh));
    } finally {
      await Promise.all([fresh.close(), template.close()]);
    }
  }, 60_000);

  it("starts a new folder, which needs no migration and then opens as itself, without the template", async () => {
    const template = await openCommitted();
    const templateId = await systemIdentifier((sql) => template.query(sql));
    await template.close();

    const dataDir = path.join(scratch, "folder");
    const first = createDatabase({ pgliteDataDir: dataDir });
    const client: Query = (sql) => first.db.execute(sql) as unknown as Promise<{ rows: unknown[] }>;
    // initdb would have drawn a new random identifier; the copy keeps the template's.
    expect(await systemIdentifier(client)).toBe(templateId);
    const count = "select count(*)::int as n from drizzle.__drizzle_migrations";
    const before = (await client(count)).rows;
    await first.migrate();
    expect((await client(count)).rows).toEqual(before);
    await first.close();

    const again = createDatabase({ pgliteDataDir: dataDir });
    const reopened: Query = (sql) => again.db.execute(sql) as unknown as Promise<{ rows: unknown[] }>;
    await again.migrate();
    expect((await reopened(count)).rows).toEqual(before);
    expect(await systemIdentifier(reopened)).toBe(templateId);
    await again.close();
  });

  it("leaves a migration added after it to Drizzle, which applies that one alone", async () => {
    const folder = migrationsWith((journal, dir) => {
      const last = journal.entries.at(-1)!;
      journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: "9999_after_the_template" });
      writeFileSync(path.join(dir, "9999_after_the_template.sql"), "create table after_the_template (id int);");
    });
    const template = pgliteTemplate(folder);
    expect(template).toBeInstanceOf(Blob);

    const pglite = await PGlite.create("memory://", { extensions: { pg_trgm }, loadDataDir: template });
    try {
      await migrate(drizzle(pglite), { migrationsFolder: folder });
      const count = await pglite.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
      expect(count.rows[0]!.n).toBe(migrationHashes(folder).length);
      expect((await pglite.query("select * from after_the_template")).rows).toEqual([]);
    } finally {
      await pglite.close();
    }
  });

  it("is not used when another PGlite made it, a migration in it changed, its bytes or manifest are wrong, or it is missing", () => {
    expect(pgliteTemplate(migrationsFolder, { installed: "0.0.1" })).toBeUndefined();

    const edited = migrationsWith((journal, dir) => {
      const file = path.join(dir, `${journal.entries.at(-1)!.tag}.sql`);
      writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited after the template was made\n`);
    });
    expect(pgliteTemplate(edited)).toBeUndefined();

    const altered = { archive: path.join(scratch, "altered.tar.br"), manifest: path.join(scratch, "altered.json") };
    copyFileSync(pgliteTemplatePaths.manifest, altered.manifest);
    writeFileSync(altered.archive, "not the template");
    expect(pgliteTemplate(migrationsFolder, { paths: altered })).toBeUndefined();

    const unreadable = { archive: pgliteTemplatePaths.archive, manifest: path.join(scratch, "unreadable.json") };
    for (const text of [
      "{ not json",
      JSON.stringify({ pglite: installedPgliteVersion(), migrations: 28, sha256: "" }),
    ]) {
      writeFileSync(unreadable.manifest, text);
      expect(pgliteTemplate(migrationsFolder, { paths: unreadable })).toBeUndefined();
    }

    const missing = { archive: path.join(scratch, "none.tar.br"), manifest: path.join(scratch, "none.json") };
    expect(pgliteTemplate(migrationsFolder, { paths: missing })).toBeUndefined();
  });
});

type Journal = { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] };

/** A copy of the committed migrations, changed by `change`, in a folder of its own. */
function migrationsWith(change: (journal: Journal, folder: string) => void): string {
  const folder = mkdtempSync(path.join(scratch, "migrations-"));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalFile = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as Journal;
  change(journal, folder);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}
