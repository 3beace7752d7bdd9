import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { cookieSecret, isSecureRequest } from "./cookies.server";

/** How long the first share link a visitor followed keeps the credit for what they do next. */
export const SHARE_WINDOW_DAYS = 30;

/**
 * The first share link this browser followed: whose it was, a random id for
 * the visitor (visits are counted once a day per id) and when. Signed, so
 * the designer and time cannot be forged; first touch, so a later link does
 * not take the credit.
 */
export type ShareArrival = { designerId: string; visitorId: string; arrivedAt: Date };

const stored = z.object({ d: z.uuid(), v: z.uuid(), t: z.number().int().positive() });

function shareCookie(request: Request) {
  return createCookie("ct_ref", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isSecureRequest(request),
    secrets: [cookieSecret()],
    maxAge: SHARE_WINDOW_DAYS * 86_400,
  });
}

/** The arrival this request carries, if it is ours and still inside the window. */
export async function readShareArrival(request: Request, now = new Date()): Promise<ShareArrival | null> {
  const header = request.headers.get("Cookie");
  if (!header?.includes("ct_ref=")) return null;
  const parsed = stored.safeParse(await shareCookie(request).parse(header));
  if (!parsed.success) return null;
  const { d, v, t } = parsed.data;
  if (t > now.getTime() || now.getTime() - t > SHARE_WINDOW_DAYS * 86_400_000) return null;
  return { designerId: d, visitorId: v, arrivedAt: new Date(t) };
}

export async function shareArrivalCookie(request: Request, arrival: ShareArrival): Promise<string> {
  return shareCookie(request).serialize({
    d: arrival.designerId,
    v: arrival.visitorId,
    t: arrival.arrivedAt.getTime(),
  });
}
