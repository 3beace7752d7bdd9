import { creditShareVisit, recordSharedBallot } from "~/domain/share-links.server";
import { readShareArrival, shareArrivalCookie } from "./share-cookie.server";

/**
 * The cookie side of share links, shared by the routes that need it (STYLE
 * rule 23): read the signed arrival cookie, hand it to the rules in
 * app/domain/share-links.server.ts, and write the cookie they ask for.
 */

/** The design and product pages: a visit through `?ref=`. Returns the Set-Cookie value, if any. */
export async function noteShareVisit(
  request: Request,
  designer: { id: string; shareCode: string },
  viewerId: string | null,
  now = new Date(),
): Promise<string | undefined> {
  const ref = new URL(request.url).searchParams.get("ref");
  if (!ref) return undefined;
  const earlier = await readShareArrival(request, now);
  const arrival = await creditShareVisit({ ref, designer, viewerId, earlier, now });
  return arrival ? shareArrivalCookie(request, arrival) : undefined;
}

/** After a ballot is taken: credited to the share link the voter arrived by, if any (no query otherwise). */
export async function noteSharedBallot(request: Request, voterId: string, submissionId: string, now = new Date()) {
  const arrival = await readShareArrival(request, now);
  if (arrival) await recordSharedBallot(arrival, { voterId, submissionId }, now);
}
