import { redirect } from "@remix-run/node";
import { hasControlCharacters } from "~/domain/safe-text";
import { getSession, type SessionUser } from "./session.server";

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null;
}

/** Where to come back to after logging in; only paths on this site. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // A control character cannot go into a Location header (and no page of ours has one in its path).
  if (to.length > 2000 || hasControlCharacters(to)) return fallback;
  return to;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export async function requireAnonymous(request: Request) {
  if (await getOptionalUser(request)) throw redirect("/");
}

/** Admin loaders and actions call this first; a member gets 403 and nothing else. */
export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "admin") {
    throw new Response("Only administrators can open this page.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}
