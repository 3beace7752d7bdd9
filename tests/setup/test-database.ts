/**
 * Where integration and end-to-end tests find PostgreSQL: TEST_DATABASE_URL,
 * else DATABASE_URL. Each run creates its own databases on that server and
 * drops them afterwards; the named database itself is never written to.
 */
import postgres from "postgres";

export function testServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery<T>(url: string, run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(url: string, name: string) {
  await adminQuery(url, (sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
}
