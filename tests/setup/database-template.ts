import type { TestProject } from "vitest/node";
import { createDatabase } from "#db/client";
import { adminQuery, dropDatabase, testServerUrl, withDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseServerUrl: string | null;
    databaseTemplate: string | null;
  }
}

/**
 * With a PostgreSQL server: create one migrated template database for the run;
 * each worker then clones it. Without one: tests use in-memory PGlite.
 */
export default async function setup(project: TestProject) {
  const serverUrl = testServerUrl();
  if (!serverUrl) {
    console.log("[integration] no TEST_DATABASE_URL/DATABASE_URL: running on in-memory PGlite");
    project.provide("databaseServerUrl", null);
    project.provide("databaseTemplate", null);
    return;
  }
  const template = `crowdthread_test_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(serverUrl, (sql) => sql.unsafe(`create database "${template}"`));
  const handle = createDatabase({ url: withDatabase(serverUrl, template), poolSize: 1 });
  await handle.migrate();
  await handle.close();
  console.log(`[integration] running on PostgreSQL (${new URL(serverUrl).host}), template database ${template}`);
  project.provide("databaseServerUrl", serverUrl);
  project.provide("databaseTemplate", template);

  return async () => {
    const names = await adminQuery(
      serverUrl,
      (sql) => sql<{ datname: string }[]>`select datname from pg_database where datname like ${template + "%"}`,
    );
    // Clones first: a template cannot be dropped while copies are being made.
    for (const { datname } of names.filter((n) => n.datname !== template)) await dropDatabase(serverUrl, datname);
    await dropDatabase(serverUrl, template);
  };
}
