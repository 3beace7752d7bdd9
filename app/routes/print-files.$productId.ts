import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { idParam, parseParams, parseSearchParams } from "~/lib/edge.server";
import { printFileResponse } from "~/lib/print-file-response.server";
import { printFileLinkHolds } from "~/lib/print-file-links.server";

/**
 * A product's print master for the print-on-demand provider, which has no
 * session: only through a link the fulfilment step signed, until it expires
 * (app/lib/print-file-links.server.ts). Admins use /admin/products/<id>/print-file.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { productId } = parseParams(params, { productId: idParam });
  const { expires, signature } = parseSearchParams(request, {
    expires: z.coerce.number().int().positive().max(1e11).optional().catch(undefined),
    signature: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .optional()
      .catch(undefined),
  });
  if (!expires || !signature || !printFileLinkHolds(productId, expires, signature))
    throw new Response("This print file link is not valid, or it has expired.", { status: 403 });
  return printFileResponse(productId);
}
