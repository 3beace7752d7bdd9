import type { LoaderFunctionArgs } from "@remix-run/node";
import { findRoundBySlug } from "~/domain/rounds.server";
import { newestInRound } from "~/domain/submissions.server";
import { atomFeed, atomResponse } from "~/lib/atom.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { parseParams, slugParam } from "~/lib/edge.server";

/** How many designs a feed carries: readers poll it, so it holds the newest, not the whole round. */
const FEED_ENTRIES = 50;

/** An Atom feed of a round's newest approved designs, newest first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  // A feed reader is never an admin: a draft's feed is a 404 like its page.
  const round = await findRoundBySlug(slug, null);
  if (!round) throw new Response("There is no round at this address.", { status: 404 });
  const origin = publicOrigin(request);
  const designs = await newestInRound(round.id, FEED_ENTRIES);
  return atomResponse(
    atomFeed({
      id: `${origin}/rounds/${round.slug}`,
      title: `${round.title} · Crowdthread`,
      url: `${origin}/rounds/${round.slug}`,
      selfUrl: `${origin}/rounds/${round.slug}/feed.xml`,
      updated: designs[0]?.createdAt ?? round.createdAt,
      entries: designs.map((d) => ({
        id: `${origin}/submissions/${d.id}`,
        title: d.title,
        url: `${origin}/submissions/${d.id}`,
        updated: d.createdAt,
        author: `@${d.designerUsername}`,
        // Absolute already when a CDN serves the images.
        imageUrl: new URL(d.images.thumb.webp, origin).href,
        summary: `A design by @${d.designerUsername} in ${round.title}.`,
      })),
    }),
  );
}
