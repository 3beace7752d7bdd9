import type { LoaderFunctionArgs } from "@remix-run/node";
import { ballotsCsv, findFinalizedRound } from "~/domain/results.server";
import { parseParams, slugParam } from "~/lib/edge.server";

/** The anonymised ballots of a finalized round, for anyone to recompute its ranking. */
export async function loader({ params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const round = await findFinalizedRound(slug);
  if (!round) throw new Response("This round has no published results yet.", { status: 404 });
  return new Response(await ballotsCsv(round), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${round.slug}-ballots.csv"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
