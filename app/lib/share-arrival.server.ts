import { randomUUID } from "node:crypto";
import { recordSharedBallot, recordShareVisit, SHARE_CODE } from "~/domain/share-links.server";
import { readShareArrival, shareArrivalCookie } from "./share-cookie.server";

/**
 * The design and product pages both call this (STYLE rule 23): a visit that
 * carries the page designer's own code (`?ref=`) is counted for them, and a
 * browser with no earlier arrival is given one (first touch). A code that is
 * not this page's designer's, a malformed one, or the designer looking at
 * their own page changes nothing. Returns the Set-Cookie value, if any.
 */
export async function noteShareVisit(
  request: Request,
  designer: { id: string; shareCode: string },
  viewerId: string | null,
  now = new Date(),
): Promise<string | undefined> {
  const ref = new URL(request.url).searchParams.get("ref");
  if (!ref || !SHARE_CODE.test(ref) || ref !== designer.shareCode || viewerId === designer.id) return undefined;
  const existing = await readShareArrival(request, now);
  const visitorId = existing?.visitorId ?? randomUUID();
  await recordShareVisit(designer.id, visitorId, now);
  if (existing) return undefined;
  return shareArrivalCookie(request, { designerId: designer.id, visitorId, arrivedAt: now });
}

/** After a ballot is taken: credited to the share link the voter arrived by, if any (no query otherwise). */
export async function noteSharedBallot(request: Request, voterId: string, submissionId: string, now = new Date()) {
  const arrival = await readShareArrival(request, now);
  if (arrival) await recordSharedBallot(arrival, { voterId, submissionId }, now);
}
