import type { Params } from "@remix-run/react";
import { z } from "zod";
import { USERNAME_RULE } from "~/domain/account-forms";
import { ROUND_SLUG } from "~/domain/round-forms";
import { hasControlCharacters } from "~/domain/safe-text";

/**
 * Guards at the edge (STYLE.md rule 21): every loader and action parses its
 * route params and search params here, first thing. A param that cannot name
 * anything (a malformed id, a slug with a NUL byte) is a 404; a search param
 * that breaks its schema is a 400. Domain functions then receive only values
 * of the right shape, so none of them re-checks ids with a regex.
 */

/** A round's web address, as the round form allows it. */
export const slugParam = z.string().max(ROUND_SLUG.max).regex(ROUND_SLUG.pattern);

/** A member's username (case-insensitive in URLs), as sign-up allows it. */
export const usernameParam = z
  .string()
  .max(USERNAME_RULE.max)
  .transform((value) => value.toLowerCase())
  .pipe(z.string().regex(USERNAME_RULE.pattern));

/** Any row id. */
export const idParam = z.uuid();

/** A search param's free text (a query, a filter value): bounded, no control characters. */
export const queryText = z
  .string()
  .max(200)
  .refine((value) => !hasControlCharacters(value));

/**
 * Routes pass their shapes as literals, so each call would build a new zod
 * object (costly in zod 4, which compiles one on first use). Shapes are
 * fixed in the code, so a key of field names and schema identities finds
 * the one built before.
 */
const schemaIds = new WeakMap<object, number>();
let lastSchemaId = 0;
const objects = new Map<string, z.ZodObject>();
function objectOf<S extends z.ZodRawShape>(shape: S): z.ZodObject<S> {
  const key = Object.entries(shape)
    .map(([name, schema]) => {
      let id = schemaIds.get(schema);
      if (id === undefined) schemaIds.set(schema, (id = ++lastSchemaId));
      return `${name}:${id}`;
    })
    .join(",");
  let object = objects.get(key);
  if (!object) objects.set(key, (object = z.object(shape)));
  return object as z.ZodObject<S>;
}

function notFound(): never {
  throw new Response("There is nothing at this address.", { status: 404 });
}

/** The route's params, parsed by `shape`; anything that does not fit is a 404. */
export function parseParams<S extends z.ZodRawShape>(params: Params, shape: S): z.output<z.ZodObject<S>> {
  const parsed = objectOf(shape).safeParse(params);
  if (!parsed.success) notFound();
  return parsed.data;
}

/**
 * The request's search params, parsed by `shape` (each value is the first of
 * its name, absent ones undefined). A value that does not fit is a 400 naming
 * the param; give a field `.catch(default)` to fall back instead.
 */
export function parseSearchParams<S extends z.ZodRawShape>(request: Request, shape: S): z.output<z.ZodObject<S>> {
  const search = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const value = search.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = objectOf(shape).safeParse(raw);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))].join(", ");
    throw new Response(`This address has a search value that cannot be read: ${names}.`, { status: 400 });
  }
  return parsed.data;
}

const FORM_MAX_BYTES = 1024 * 1024;
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The posted form. A body that is not a web form (JSON, plain text, no
 * content type) is a 415, one over 1 MiB a 413, and one that cannot be read
 * (a broken multipart body) a 400, instead of the error `request.formData()`
 * would throw.
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("Content-Type") ?? "")) {
    throw new Response("Send this as a web form (urlencoded or multipart).", { status: 415 });
  }
  // Forms without files are small; uploads go through readMultipartUpload with their own limit.
  if (Number(request.headers.get("Content-Length") ?? "0") > FORM_MAX_BYTES) {
    throw new Response("That form is too large.", { status: 413 });
  }
  try {
    return await request.formData();
  } catch {
    throw new Response("The form could not be read. Reload the page and try again.", { status: 400 });
  }
}
