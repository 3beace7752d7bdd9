import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/lib/auth.server";
import { printFileResponse } from "~/lib/print-file-response.server";
import { idParam, parseParams } from "~/lib/edge.server";

/** Admins download a product's print master to send to the printer; nobody else can reach it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { productId } = parseParams(params, { productId: idParam });
  await requireAdmin(request);
  return printFileResponse(productId);
}
