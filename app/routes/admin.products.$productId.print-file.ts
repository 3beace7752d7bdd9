import type { LoaderFunctionArgs } from "@remix-run/node";
import { printFileForAdmin } from "~/domain/submissions.server";
import { requireAdmin } from "~/lib/auth.server";
import { idParam, parseParams } from "~/lib/edge.server";
import { getStorage } from "~/lib/storage.server";

/** Admins download a product's print master to send to the printer; nobody else can reach it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { productId } = parseParams(params, { productId: idParam });
  await requireAdmin(request);
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
    },
  });
}
