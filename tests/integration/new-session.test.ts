import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { carts, outgoingMail, products, productVariants } from "#db/schema";
import { createRound, createSubmission, createUser, DEFAULT_PASSWORD } from "#tests/factories/index";
import { context, formRequest, getRequest, sessionTokenFrom, settle, toastFrom } from "#tests/support/requests";
import { addToCart, cartContents, findCartOfUser } from "~/domain/cart.server";
import { cartForWriting } from "~/lib/cart-session.server";
import { db } from "~/lib/db.server";
import { validateSessionToken } from "~/lib/session.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as loginAction } from "~/routes/login";
import { action as resetAction } from "~/routes/reset-password.$token";
import { action as signupAction } from "~/routes/signup";

/** A guest who put two posters in a cart: the guest cart's cookie and the variant. */
async function guestWithCart() {
  const designer = await createUser();
  const round = await createRound({ phase: "submissions" });
  const submissionId = await createSubmission({ round, designerId: designer.id, seed: 31 });
  const [product] = await db
    .insert(products)
    .values({
      roundId: round.id,
      submissionId,
      designerId: designer.id,
      type: "poster",
      title: "Moth Lantern poster",
      mockupKey: "public/mockup.png",
      basePriceCents: 1800,
      currency: "usd",
      royaltyBps: 1000,
    })
    .returning();
  const [variant] = await db
    .insert(productVariants)
    .values({ productId: product!.id, size: "A3", priceCents: 1800, sortOrder: 0 })
    .returning();
  const { cartId, setCookie } = await cartForWriting(getRequest("/shop"));
  expect(await addToCart(cartId, variant!.id, 2)).toMatchObject({ ok: true });
  return { cookie: setCookie!.split(";")[0]!, variantId: variant!.id };
}

/** What the member's own cart holds now, as "variant×quantity". */
async function memberCart(userId: string) {
  const cartId = await findCartOfUser(userId);
  if (!cartId) return [];
  return (await cartContents(cartId)).lines.map((l) => `${l.variantId}×${l.quantity}`);
}

/** The response signs the member in, clears the guest cart's cookie and leaves no guest cart behind. */
async function expectSignedInWithCart(response: Response, userId: string, variantId: string) {
  expect((await validateSessionToken(sessionTokenFrom(response)!))?.user.id).toBe(userId);
  expect(response.headers.getSetCookie().some((c) => c.startsWith("ct_cart=;"))).toBe(true);
  expect(await memberCart(userId)).toEqual([`${variantId}×2`]);
  expect(await db.select().from(carts)).toHaveLength(1);
}

describe("a new session takes the guest cart along", () => {
  it("at log-in", async () => {
    const guest = await guestWithCart();
    const member = await createUser({ email: "shopper@crowdthread.test" });
    const result = await settle(() =>
      loginAction({
        request: formRequest(
          "/login",
          { email: "shopper@crowdthread.test", password: DEFAULT_PASSWORD, redirectTo: "/cart" },
          { cookie: guest.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe("/cart");
    expect((await toastFrom(result.response!))?.title).toBe("Welcome back");
    await expectSignedInWithCart(result.response!, member.id, guest.variantId);
  });

  it("at sign-up", async () => {
    const guest = await guestWithCart();
    const result = await settle(() =>
      signupAction({
        request: formRequest(
          "/signup",
          { email: "newcomer@crowdthread.test", username: "newcomer", password: "analytical engine 1843" },
          { cookie: guest.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(result.status).toBe(302);
    expect((await toastFrom(result.response!))?.title).toBe("Welcome to Crowdthread");
    const userId = (await validateSessionToken(sessionTokenFrom(result.response!)!))!.user.id;
    await expectSignedInWithCart(result.response!, userId, guest.variantId);
  });

  it("at the log-in that follows a password reset", async () => {
    const guest = await guestWithCart();
    const member = await createUser({ email: "forgot.cart@crowdthread.test" });
    await settle(() =>
      forgotAction({
        request: formRequest("/forgot-password", { email: "forgot.cart@crowdthread.test" }),
        params: {},
        context: context(),
      }),
    );
    const [mail] = await db
      .select()
      .from(outgoingMail)
      .where(eq(outgoingMail.subject, "Reset your Crowdthread password"));
    const token = mail!.textBody.match(/\/reset-password\/([a-z0-9]+\.[a-z0-9]+)/)![1]!;
    const result = await settle(() =>
      resetAction({
        request: formRequest(
          `/reset-password/${token}`,
          { newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" },
          { cookie: guest.cookie },
        ),
        params: { token },
        context: context(),
      }),
    );
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe("/");
    expect((await toastFrom(result.response!))?.title).toBe("Password changed");
    await expectSignedInWithCart(result.response!, member.id, guest.variantId);
  });
});
