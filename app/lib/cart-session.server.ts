import { createCookie } from "@remix-run/node";
import { cartOfUser, createGuestCart, findCartOfUser, guestCartExists, mergeGuestCart } from "~/domain/cart.server";
import { getOptionalUser } from "./auth.server";
import { cookieSecret, isSecureRequest } from "./cookies.server";
import { idParam } from "./edge.server";

/** A guest's cart id, in a signed cookie; members' carts live with their account. */
function guestCookie(request: Request) {
  return createCookie("ct_cart", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isSecureRequest(request),
    secrets: [cookieSecret()],
    maxAge: 60 * 60 * 24 * 60,
  });
}

async function guestCartId(request: Request): Promise<string | null> {
  // Signed by us, but checked all the same: only an id may reach SQL.
  const value = idParam.safeParse(await guestCookie(request).parse(request.headers.get("Cookie")));
  return value.success && (await guestCartExists(value.data)) ? value.data : null;
}

/** The cart this request is looking at, if there is one yet (page views create none). */
export async function currentCartId(request: Request): Promise<string | null> {
  const user = await getOptionalUser(request);
  if (user) return findCartOfUser(user.id);
  return guestCartId(request);
}

/** The cart to put something in, creating a guest cart (and its cookie) when needed. */
export async function cartForWriting(request: Request): Promise<{ cartId: string; setCookie?: string }> {
  const user = await getOptionalUser(request);
  if (user) return { cartId: await cartOfUser(user.id) };
  const existing = await guestCartId(request);
  if (existing) return { cartId: existing };
  const cartId = await createGuestCart();
  return { cartId, setCookie: await guestCookie(request).serialize(cartId) };
}

/** Called right after log-in or sign-up: moves the guest cart into the member's and clears the cookie. */
export async function adoptGuestCart(request: Request, userId: string): Promise<string | null> {
  const guest = await guestCartId(request);
  if (!guest) return null;
  await mergeGuestCart(guest, userId);
  return guestCookie(request).serialize("", { maxAge: 0 });
}
