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
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/)
  .refine(isTimestampText);

const TIMESTAMP_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[+-](\d{2})(?::?(\d{2}))?|Z)?$/;

/**
 * Whether PostgreSQL reads the text as a timestamp: a well-shaped key with
 * month 13 or an offset of +99 would otherwise reach `::timestamptz` and fail
 * there (a 500, not the 400 a bad cursor is).
 */
function isTimestampText(value: string): boolean {
  const parts = TIMESTAMP_PARTS.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = parts
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return (
    year >= 1 &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59
  );
}

/** A non-negative `integer` column's value in a cursor, within PostgreSQL's range (a larger one would fail the cast). */
export const intKeyShape = z.number().int().min(0).max(2_147_483_647);

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
