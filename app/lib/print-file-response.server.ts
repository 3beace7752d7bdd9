import { printFileForAdmin } from "~/domain/submissions.server";
import { getStorage } from "./storage.server";

/**
 * A product's print master as a download, for the two routes that may hand
 * it out (an admin's download, a signed link for the print provider), once
 * each has checked who is asking. Never cached, never indexed.
 */
export async function printFileResponse(productId: string): Promise<Response> {
  const file = await printFileForAdmin(productId);
  if (!file) throw new Response("There is no product with that id.", { status: 404 });
  const object = await getStorage().get(file.key);
  if (!object) throw new Response("The print file is missing from storage.", { status: 404 });
  return new Response(object.body as unknown as BodyInit, {
    headers: {
      "Content-Type": object.contentType,
      "Content-Length": String(object.body.length),
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Robots-Tag": "noindex",
    },
  });
}
