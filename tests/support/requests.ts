/** Builders for the Request objects that route loaders and actions receive. */
export const TEST_ORIGIN = "http://localhost:3000";

export function formRequest(
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; userAgent?: string } = {},
) {
  const headers = new Headers({ Origin: TEST_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" });
  if (options.cookie) headers.set("Cookie", options.cookie);
  if (options.userAgent) headers.set("User-Agent", options.userAgent);
  return new Request(TEST_ORIGIN + path, { method: "POST", headers, body: new URLSearchParams(fields).toString() });
}

export function getRequest(path: string, options: { cookie?: string } = {}) {
  const headers = new Headers();
  if (options.cookie) headers.set("Cookie", options.cookie);
  return new Request(TEST_ORIGIN + path, { headers });
}

export function context(clientIp = "203.0.113.7") {
  return { clientIp };
}

/** Cookie header value made of every cookie a response sets. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export function sessionTokenFrom(response: Response): string | undefined {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("ct_session="));
  return cookie ? decodeURIComponent(cookie.split(";")[0]!.slice("ct_session=".length)) : undefined;
}

type DataResult = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

/** What a loader or action produced: a thrown or returned Response, or data() with its init. */
export async function settle(
  run: () => Promise<unknown>,
): Promise<{ status: number; response?: Response; data?: any }> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, response: thrown };
    throw thrown;
  }
  if (value instanceof Response) return { status: value.status, response: value };
  if (value && typeof value === "object" && (value as DataResult).type === "DataWithResponseInit") {
    const d = value as DataResult;
    return { status: d.init?.status ?? 200, data: d.data };
  }
  return { status: 200, data: value };
}

/** A multipart form post with one file, as the upload form sends it. */
export function uploadRequest(
  path: string,
  fields: Record<string, string>,
  file: { bytes: Buffer; name?: string; type?: string; field?: string } | null,
  options: { cookie?: string } = {},
) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file)
    body.set(
      file.field ?? "artwork",
      new File([new Uint8Array(file.bytes)], file.name ?? "artwork.png", { type: file.type ?? "image/png" }),
    );
  const headers = new Headers({ Origin: TEST_ORIGIN });
  if (options.cookie) headers.set("Cookie", options.cookie);
  return new Request(TEST_ORIGIN + path, { method: "POST", headers, body });
}

/** The flash toast a response set, read back the way the next page would. */
export async function toastFrom(response: Response) {
  const { popToast } = await import("~/lib/toast.server");
  const cookie = response.headers
    .getSetCookie()
    .filter((c) => c.startsWith("ct_toast="))
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!cookie) return null;
  return (await popToast(new Request(TEST_ORIGIN, { headers: { Cookie: cookie } }))).toast;
}
