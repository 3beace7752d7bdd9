import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderMetrics, scrapeAccess } from "~/lib/metrics.server";

/**
 * Prometheus scrapes this with `Authorization: Bearer $METRICS_TOKEN`. Unset
 * token: the page does not exist. Wrong or missing token: 401, so an operator
 * sees a credentials problem rather than a wrong address (the path is no
 * secret; the token is).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  switch (scrapeAccess(request)) {
    case "disabled":
      throw new Response("Not found", { status: 404 });
    case "refused":
      throw new Response("A valid metrics bearer token is required.", {
        status: 401,
        headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
      });
    case "allowed": {
      const { contentType, body } = await renderMetrics();
      return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
    }
  }
}
