import type { LoaderFunctionArgs } from "@remix-run/node";
import { ballotsCsvStream, findFinalizedRound } from "~/domain/results.server";
import { parseParams, slugParam } from "~/lib/edge.server";

/**
 * The anonymised ballots of a finalized round, for anyone to recompute its
 * ranking. Streamed: a round of 500,000 ballots is ~45 MB of CSV, read from
 * the database a batch at a time as the client takes it.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const round = await findFinalizedRound(slug);
  if (!round) throw new Response("This round has no published results yet.", { status: 404 });
  return new Response(ballotsCsvStream(round), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${round.slug}-ballots.csv"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
