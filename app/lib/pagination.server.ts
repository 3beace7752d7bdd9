import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { z } from "zod";
import type { Page } from "~/domain/page";

/**
 * Keyset pagination (STYLE.md "Sizes to design for"): a page is the rows
 * after the last one the reader saw, in a fixed order, found through an index
 * whatever the list's length. The position travels in the URL as an opaque
 * cursor: the last row's sort key, JSON in base64url. A cursor that does not
 * decode, or whose key has the wrong shape for the list, is a 400 at the edge.
 */

/** A sort key: the values of the order's columns for one row, in order. */
export type CursorKey = readonly (string | number)[];

const CURSOR_MAX_LENGTH = 512;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeCursor(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * A search param holding a cursor whose key `shape` describes, e.g.
 * `z.tuple([timestampKey, z.uuid()])`. Use in parseSearchParams:
 * `parseSearchParams(request, { after: cursorParam(shape).optional() })`.
 */
export function cursorParam<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .max(CURSOR_MAX_LENGTH)
    .regex(/^[A-Za-z0-9_-]+$/)
    .transform(decodeCursor)
    .pipe(shape);
}

/**
 * A timestamp inside a cursor: PostgreSQL's own text for it (microseconds
 * kept, which a JavaScript Date would drop), read back with `::timestamptz`.
 * Select it with `timestampKey(column)`.
 */
export const timestampKeyShape = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/);

/** The column as PostgreSQL's text, for a cursor (see timestampKeyShape). */
export function timestampKey(column: SQLWrapper): SQL<string> {
  return sql<string>`${column}::text`;
}

/**
 * The rows a query read with `limit: size + 1` as one page: the first `size`,
 * and a cursor to the next page when there was one more.
 */
export function pageOf<T, K extends CursorKey>(rows: T[], size: number, keyOf: (row: T) => K): Page<T> {
  const items = rows.slice(0, size);
  const last = items.at(-1);
  return { items, next: rows.length > size && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/**
 * "After this key" in an order whose columns all run the same way, as one
 * row comparison, so PostgreSQL walks a matching index from that point:
 * `(a, b) > (x, y)` ascending, `<` descending. Cast each value in `key` to
 * its column's type with `casts` (e.g. "timestamptz", "uuid").
 */
export function afterKey(
  columns: readonly SQLWrapper[],
  key: CursorKey | undefined,
  direction: "asc" | "desc",
  casts: readonly string[],
): SQL | undefined {
  if (!key) return undefined;
  const left = sql.join(
    columns.map((c) => sql`${c}`),
    sql`, `,
  );
  const right = sql.join(
    key.map((value, i) => sql`${value}::${sql.raw(casts[i] ?? "text")}`),
    sql`, `,
  );
  return direction === "asc" ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
}

export const PAGE_SIZE = 24;

/**
 * `pageOf`, and each row's place in the list: the cursor of the page that
 * starts at that row (the row before it; the page's own `after` for its
 * first row, null at the list's start). A form on a row posts its place, so
 * the redirect after an admin's change returns to the page the row was on,
 * not to the start of a long list.
 */
export function pageWithPlaces<T, K extends CursorKey>(
  rows: T[],
  size: number,
  keyOf: (row: T) => K,
  after: K | undefined,
): Page<T & { place: string | null }> {
  const page = pageOf(rows, size, keyOf);
  let place = after ? encodeCursor(after) : null;
  const items = page.items.map((row) => {
    const item = { ...row, place };
    place = encodeCursor(keyOf(row));
    return item;
  });
  return { items, next: page.next };
}
