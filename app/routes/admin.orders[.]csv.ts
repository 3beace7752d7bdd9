import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { fulfilmentCsv } from "~/domain/order-admin.server";
import { ORDER_LIST_FILTERS } from "~/domain/order-filters";
import { requireAdmin } from "~/lib/auth.server";
import { parseSearchParams } from "~/lib/edge.server";
import { publicOrigin } from "~/lib/public-origin.server";

/**
 * The print shop's sheet, one row per item: "to ship" by default, or any tab
 * of the orders list. Streamed a page of rows at a time. Admins only: it
 * holds buyers' addresses, and its print file links need an admin session.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { status } = parseSearchParams(request, {
    status: z.enum([...ORDER_LIST_FILTERS, "all"]).default("to_ship"),
  });
  await requireAdmin(request);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(fulfilmentCsv(status === "all" ? undefined : status, publicOrigin(request)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="crowdthread-orders-${status.replace("_", "-")}-${day}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
