import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { parseParams } from "~/lib/edge.server";
import { getStorage, isValidKey } from "~/lib/storage.server";

/**
 * Serves public images by their content-hash key. A key never changes
 * content, so browsers and CDNs may keep it for a year; the hash is the ETag.
 * Print masters (`private/…`) cannot be reached from here.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const { "*": path } = parseParams(params, { "*": z.string().max(200) });
  const key = `public/${path}`;
  if (!isValidKey(key)) throw new Response("Not found", { status: 404 });
  const etag = `"${key.split("/").pop()!.split(".")[0]}"`;
  const cacheControl = "public, max-age=31536000, immutable";
  if (request.headers.get("If-None-Match") === etag) {
    return new Response(null, { status: 304, headers: { ETag: etag, "Cache-Control": cacheControl } });
  }
  const object = await getStorage().get(key);
  if (!object) throw new Response("Not found", { status: 404 });
  return new Response(object.body as unknown as BodyInit, {
    headers: {
      "Content-Type": object.contentType,
      "Content-Length": String(object.body.length),
      "Cache-Control": cacheControl,
      ETag: etag,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
