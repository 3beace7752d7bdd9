import type { LoaderFunctionArgs } from "@remix-run/node";
import { findFinalizedRound, publishedResultsStream } from "~/domain/results.server";
import { parseParams, slugParam } from "~/lib/edge.server";

/**
 * A finalized round's published ranking with its frozen rule and parameters:
 * with the ballots CSV, all `npm run results:verify` needs to recompute it.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const round = await findFinalizedRound(slug);
  if (!round) throw new Response("This round has no published results yet.", { status: 404 });
  return new Response(publishedResultsStream(round), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${round.slug}-results.json"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
