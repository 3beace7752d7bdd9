/**
 * The pieces of the route fuzz test (tests/integration/route-fuzz.test.ts):
 * reading `app/routes` into route modules and their params, harvesting the
 * names a module reads from its own source, building garbage requests, and
 * settling a loader or action into a status, body included.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { TEST_ORIGIN } from "./requests";

export const ROUTES_DIR = path.resolve("app/routes");

/** One segment of a flat route file name, as Remix v2 reads it. */
type Segment = { kind: "static"; text: string } | { kind: "param"; name: string } | { kind: "pathless" };

export type RouteFile = {
  file: string;
  /** Params in URL order; `*` for a splat. */
  params: string[];
  /** The static segment just before each param (`orders` for `orders.$id`), to pick real values by. */
  paramContext: Record<string, string>;
  /** Builds the URL path for given params. */
  pathFor: (params: Record<string, string>) => string;
  source: string;
};

/** Splits a file name on the dots that separate segments; `[.]` and any `[…]` are literal text. */
function splitSegments(name: string): string[] {
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const char of name) {
    if (char === "[") escaped = true;
    else if (char === "]") escaped = false;
    else if (char === "." && !escaped) {
      segments.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  segments.push(current);
  return segments;
}

function readSegment(raw: string): Segment {
  // A trailing underscore opts out of the parent's layout; the segment still shows in the URL.
  const text = raw.endsWith("_") && raw !== "_" ? raw.slice(0, -1) : raw;
  if (text === "$") return { kind: "param", name: "*" };
  if (text.startsWith("$")) return { kind: "param", name: text.slice(1) };
  // `_index` and `_layout` prefixes add nothing to the URL.
  if (text.startsWith("_")) return { kind: "pathless" };
  return { kind: "static", text: text.replace(/\[([^\]]*)\]/g, "$1") };
}

export function parseRouteFile(file: string): Omit<RouteFile, "source"> {
  const segments = splitSegments(file.replace(/\.(tsx?|jsx?)$/, "")).map(readSegment);
  const params: string[] = [];
  const paramContext: Record<string, string> = {};
  let lastStatic = "";
  for (const segment of segments) {
    if (segment.kind === "static") lastStatic = lastStatic ? `${lastStatic}.${segment.text}` : segment.text;
    if (segment.kind === "param") {
      params.push(segment.name);
      paramContext[segment.name] = lastStatic;
    }
  }
  return {
    file,
    params,
    paramContext,
    pathFor: (values) =>
      "/" +
      segments
        .flatMap((segment) => {
          if (segment.kind === "pathless") return [];
          if (segment.kind === "static") return [segment.text];
          const value = values[segment.name] ?? "";
          // The splat keeps its slashes; other params are one URL segment.
          return [
            segment.name === "*" ? value.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(value),
          ];
        })
        .join("/"),
  };
}

/** Every route module file, read now, so a new route is fuzzed without editing the test. */
export function routeFiles(): RouteFile[] {
  return readdirSync(ROUTES_DIR)
    .filter((name) => /\.(tsx?|jsx?)$/.test(name) && !name.includes(".test."))
    .sort()
    .map((file) => ({ ...parseRouteFile(file), source: readFileSync(path.join(ROUTES_DIR, file), "utf8") }));
}

function collect(source: string, pattern: RegExp, into: Set<string>) {
  for (const match of source.matchAll(pattern)) if (match[1]) into.add(match[1]);
}

/**
 * The app modules a route imports (`~/…`), read one level deep: forms,
 * intents and field names often live in a shared component or helper.
 */
function importedSources(source: string): string[] {
  const sources: string[] = [];
  for (const match of source.matchAll(/from\s+["']~\/([^"']+)["']/g)) {
    const base = path.resolve("app", match[1]!);
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
      try {
        sources.push(readFileSync(candidate, "utf8"));
        break;
      } catch {
        // Not this extension; try the next.
      }
    }
  }
  return sources;
}

function harvest(
  source: string,
  own: boolean,
  names: { search: Set<string>; fields: Set<string>; intents: Set<string> },
) {
  const { search, fields, intents } = names;
  collect(source, /searchParams\.get(?:All)?\(\s*["'`]([\w-]+)["'`]/g, search);
  // Keys of a parseSearchParams(request, { key: … }) shape written inline.
  for (const call of source.matchAll(/parseSearchParams\(\s*\w+\s*,\s*\{([\s\S]*?)\}\s*\)/g))
    collect(call[1] ?? "", /(?:^|[\s,{])(\w+)\s*:/g, search);
  // …or passed by name: parseSearchParams(request, shopSearch) with `const shopSearch = { key: … }` in the module.
  for (const call of source.matchAll(/parseSearchParams\(\s*\w+\s*,\s*(\w+)\s*\)/g)) {
    const shape = new RegExp(`(?:const|let)\\s+${call[1]}\\s*=\\s*(?:z\\.object\\(\\s*)?\\{([\\s\\S]*?)\\n\\}`).exec(
      source,
    );
    if (shape) collect(shape[1] ?? "", /(?:^|[\s,{])(\w+)\s*:/g, search);
  }

  collect(source, /formData\.get(?:All)?\(\s*["'`]([\w-]+)["'`]/g, fields);
  collect(source, /\bname=["{]["'`]?([\w-]+)["'`]?/g, fields);
  collect(source, /\bfields\.(\w+)/g, fields);
  if (own) collect(source, /(\w+)\s*:\s*(?:z\.|safeText\b|queryText\b|idParam\b|slugParam\b|usernameParam\b)/g, fields);

  collect(source, /intent["']?\s*:\s*z\.literal\(\s*["'`]([\w-]+)["'`]/g, intents);
  collect(source, /name=["{]["'`]?intent["'`]?}?\s+value=["{]["'`]?([\w-]+)["'`]?/g, intents);
  collect(source, /value=["{]["'`]?([\w-]+)["'`]?}?\s+name=["{]["'`]?intent["'`]?/g, intents);
  collect(source, /name:\s*["'`]intent["'`]\s*,\s*value:\s*["'`]([\w-]+)["'`]/g, intents);
  collect(source, /intent\s*===?\s*["'`]([\w-]+)["'`]/g, intents);
  // `case "x":` is an intent only in the route's own dispatch; in a domain module it is anything.
  if (own) collect(source, /case\s+["'`]([\w-]+)["'`]\s*:/g, intents);
  for (const list of source.matchAll(/intent\w*\s*=\s*z\s*\.enum\(\s*\[([^\]]*)\]/gi))
    collect(list[1] ?? "", /["'`]([\w-]+)["'`]/g, intents);
  for (const list of source.matchAll(/[A-Z_]*INTENTS\s*=\s*\[([^\]]*)\]/g))
    collect(list[1] ?? "", /["'`]([\w-]+)["'`]/g, intents);
}

/**
 * Names of search params, form fields and intents a module reads, found in
 * its source first, then in the app modules it imports.
 */
export function namesReadBy(source: string): { search: string[]; fields: string[]; intents: string[] } {
  const names = { search: new Set<string>(), fields: new Set<string>(), intents: new Set<string>() };
  harvest(source, true, names);
  for (const imported of importedSources(source)) harvest(imported, false, names);
  names.fields.delete("intent");
  return { search: [...names.search], fields: [...names.fields], intents: [...names.intents] };
}

/** Param values that name nothing, each a way a URL goes wrong. */
export const GARBAGE_PARAMS: Record<string, string> = {
  nul: "\u0000",
  "nul inside": "abc\u0000def",
  quotes: `'"; drop table users; --`,
  "300 characters": "a".repeat(300),
  emoji: "🦉🎨✨",
  "not a uuid": "not-a-uuid",
  negative: "-1",
  traversal: "../../etc/passwd",
  "nil uuid": "00000000-0000-0000-0000-000000000000",
  "control characters": "\u0001\u0007\u001b[31m",
};

/** Search param names many routes might read, besides the ones a module reads itself. */
export const GENERIC_SEARCH_NAMES = [
  "sort",
  "type",
  "designer",
  "round",
  "status",
  "page",
  "checkout",
  "cursor",
  "after",
  "before",
  "q",
  "tag",
  "kind",
  "filter",
  "limit",
  "redirectTo",
  "intent",
];

export const HUGE = "x".repeat(100_000);

/** Search values to send, keyed by what they try. */
export const GARBAGE_SEARCH_VALUES: Record<string, string> = {
  nul: "\u0000",
  script: `<script>alert(1)</script>'"`,
  "negative and long": "-1" + "9".repeat(298),
  traversal: "../../%00/🦉",
};

export type Body =
  | { kind: "urlencoded"; entries: [string, string][] }
  | { kind: "multipart"; entries: [string, string][]; file?: boolean }
  | { kind: "raw"; contentType: string | null; text: string };

export function buildRequest(options: {
  method: "GET" | "POST";
  path: string;
  search?: [string, string][];
  body?: Body;
  cookie?: string;
  headers?: Record<string, string>;
}): Request {
  const url = new URL(TEST_ORIGIN + options.path);
  for (const [name, value] of options.search ?? []) url.searchParams.append(name, value);
  const headers = new Headers();
  if (options.cookie) headers.set("Cookie", options.cookie);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  if (options.method === "GET") return new Request(url, { headers });
  headers.set("Origin", TEST_ORIGIN);
  const body = options.body ?? { kind: "raw", contentType: null, text: "" };
  if (body.kind === "urlencoded") {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    return new Request(url, { method: "POST", headers, body: new URLSearchParams(body.entries).toString() });
  }
  if (body.kind === "multipart") {
    const form = new FormData();
    for (const [name, value] of body.entries) form.append(name, value);
    if (body.file) {
      // Not an image: an upload field must refuse it quickly.
      const junk = new File([new TextEncoder().encode("GIF89a\u0000<?php garbage ?>")], "x\u0000.png", {
        type: "image/png",
      });
      form.append("artwork", junk);
      form.append("avatar", junk);
      form.append("file", junk);
    }
    return new Request(url, { method: "POST", headers, body: form });
  }
  if (body.contentType) headers.set("Content-Type", body.contentType);
  return new Request(url, { method: "POST", headers, body: body.text });
}

/** A short, printable account of a body for failure messages. */
export function describeBody(body: Body | undefined): string {
  if (!body) return "";
  const show = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value);
  if (body.kind === "raw") return `${body.contentType ?? "no content-type"} ${show(body.text)}`;
  const entries = body.entries.map(([k, v]) => `${k}=${show(v)}`);
  const shown = entries.length > 6 ? [...entries.slice(0, 6), `…+${entries.length - 6}`] : entries;
  return `${body.kind}${body.kind === "multipart" && body.file ? "+file" : ""} {${shown.join(", ")}}`;
}

export function describeValue(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value);
}

export function describeParams(params: Record<string, string>): string {
  return `{${Object.entries(params)
    .map(([name, value]) => `${name}: ${describeValue(value)}`)
    .join(", ")}}`;
}

type DataResult = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

function isDataResult(value: unknown): value is DataResult {
  return Boolean(value && typeof value === "object" && (value as DataResult).type === "DataWithResponseInit");
}

/**
 * What a loader or action answered, as the server would send it: a thrown
 * non-Response error is a 500, and so is an error while reading a returned
 * body (a streamed CSV fails there) or a deferred promise that rejects.
 */
export async function answer(run: () => Promise<unknown>): Promise<{ status: number; error?: string }> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    if (isDataResult(thrown)) return { status: thrown.init?.status ?? 500 };
    return { status: 500, error: errorText(thrown) };
  }
  if (value instanceof Response) {
    try {
      await value.arrayBuffer();
    } catch (error) {
      return { status: 500, error: `while reading the body: ${errorText(error)}` };
    }
    return { status: value.status };
  }
  let status = 200;
  let payload = value;
  if (isDataResult(value)) {
    status = value.init?.status ?? 200;
    payload = value.data;
  }
  if (payload && typeof payload === "object") {
    for (const [key, item] of Object.entries(payload)) {
      if (item instanceof Promise) {
        try {
          await item;
        } catch (error) {
          return { status: 500, error: `deferred ${key}: ${errorText(error)}` };
        }
      }
    }
  }
  return { status };
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
    const cause = (error as { cause?: unknown }).cause;
    const causeMessage = cause instanceof Error && cause.message !== error.message ? cause.message : "";
    const causeText = causeMessage
      ? ` (cause: ${causeMessage.length > 120 ? `${causeMessage.slice(0, 100)}…` : causeMessage})`
      : "";
    // A failed query's message repeats the whole SQL; its start names the table, the cause says why.
    const first = error.message.split("\n")[0]!;
    const message = first.length > 120 ? `${first.slice(0, 100)}…` : first;
    return `${error.name}: ${message}${causeText}${code ? ` [${String(code)}]` : ""}`;
  }
  return String(error);
}
