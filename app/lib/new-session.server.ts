import { redirect } from "@remix-run/node";
import { adoptGuestCart } from "./cart-session.server";
import { clearedSessionCookie, createSession, sessionCookie } from "./session.server";
import { toastHeader, type Toast } from "./toast.server";

/**
 * The one way a person becomes signed in (log in, sign up, a password reset):
 * a new session and its cookie, the guest cart moved into the member's, a
 * flash toast and a redirect. One helper so the three flows cannot drift (the
 * reset flow once forgot the cart).
 */
export async function startSessionAndRedirect(
  request: Request,
  userId: string,
  { redirectTo, toast }: { redirectTo: string; toast: Toast },
): Promise<Response> {
  const token = await createSession(userId, request.headers.get("User-Agent"));
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(request, token));
  const clearedGuestCart = await adoptGuestCart(request, userId);
  if (clearedGuestCart) headers.append("Set-Cookie", clearedGuestCart);
  headers.append("Set-Cookie", await toastHeader(request, toast));
  return redirect(redirectTo, { headers });
}

/**
 * The way out (log out, log out everywhere, a deleted account): the session
 * cookie cleared, a flash toast and a redirect. Revoking the session rows is
 * the caller's domain step, done before.
 */
export async function endSessionAndRedirect(
  request: Request,
  { redirectTo, toast }: { redirectTo: string; toast: Toast },
): Promise<Response> {
  const headers = new Headers();
  headers.append("Set-Cookie", clearedSessionCookie(request));
  headers.append("Set-Cookie", await toastHeader(request, toast));
  return redirect(redirectTo, { headers });
}
