import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { orders, productVariants, shareEvents, signupNetworks, users } from "#db/schema";
import {
  createLoggedInUser,
  createManySubmissions,
  createRound,
  createUser,
  createWinningDesign,
  shipFreelyTo,
} from "#tests/factories/index";
import { context, cookiesFrom, formRequest, getRequest, settle } from "#tests/support/requests";
import { ballotSources } from "~/domain/integrity.server";
import { shareStats, signupNetworkHash } from "~/domain/share-links.server";
import { db } from "~/lib/db.server";
import { loader as sharesLoader } from "~/routes/account_.shares";
import { action as checkoutAction } from "~/routes/checkout";
import { action as payAction } from "~/routes/orders.$id_.pay";
import { action as addAction, loader as productLoader } from "~/routes/shop.$productId";
import { action as signupAction } from "~/routes/signup";
import { loader as submissionLoader } from "~/routes/submissions.$id";
import { action as voteAction } from "~/routes/vote.$slug";

beforeEach(async () => {
  await shipFreelyTo("GB");
});

const shipping = {
  name: "Ada Lovelace",
  line1: "12 Analytical Way",
  line2: "",
  city: "London",
  region: "",
  postalCode: "N1 9GU",
  country: "GB",
};

/** A designer with a tee in the shop and a design in a round that is open for voting. */
async function designerWithWork() {
  const designer = await createLoggedInUser({ username: "sharer" });
  const { tee } = await createWinningDesign({ title: "Owl Night", seed: 700, designerId: designer.user.id });
  const voting = await createRound({ phase: "voting" });
  const [designId] = await createManySubmissions({ roundId: voting.id, designerIds: [designer.user.id], count: 1 });
  const someoneElse = await createUser();
  const [othersDesignId] = await createManySubmissions({ roundId: voting.id, designerIds: [someoneElse.id], count: 1 });
  const [medium] = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id)).limit(1);
  return {
    designer,
    code: designer.user.shareCode,
    tee,
    medium: medium!,
    voting,
    designId: designId!,
    othersDesignId: othersDesignId!,
  };
}

const visit = (path: string, id: string, cookie?: string) =>
  settle(() => submissionLoader({ request: getRequest(path, { cookie }), params: { id }, context: context() }));

const events = () => db.select().from(shareEvents);

describe("share links", () => {
  it("credit a visit, then the sign-up, ballot and sale of the visitor who arrived through one", async () => {
    const { designer, code, tee, medium, voting, designId, othersDesignId } = await designerWithWork();
    expect(code).toMatch(/^[0-9a-f]{10}$/);

    // The page offers the link with the designer's code; its canonical address has none.
    const page = await visit(`/submissions/${designId}`, designId);
    expect(page.data.share.link).toBe(`http://localhost:3000/submissions/${designId}?ref=${code}`);
    expect(page.data.share.url).toBe(`http://localhost:3000/submissions/${designId}`);

    // A visit through the link: counted, and the browser remembers where it came from.
    const arrived = await visit(`/submissions/${designId}?ref=${code}`, designId);
    expect(arrived.status).toBe(200);
    const raw = await submissionLoader({
      request: getRequest(`/submissions/${designId}?ref=${code}`),
      params: { id: designId },
      context: context(),
    });
    const setCookie = (raw as { init: ResponseInit | null }).init?.headers as Record<string, string>;
    const ref = setCookie["Set-Cookie"]!.split(";")[0]!;
    expect(ref).toMatch(/^ct_ref=/);
    // The same visitor again the same day, through the product page: still one visit from them.
    await visit(`/submissions/${designId}?ref=${code}`, designId, ref);
    await settle(() =>
      productLoader({
        request: getRequest(`/shop/${tee.id}?ref=${code}`, { cookie: ref }),
        params: { productId: tee.id },
        context: context(),
      }),
    );
    // Two fresh visitors came (the two cookie-less loads); the returning one counted once.
    expect((await events()).filter((e) => e.kind === "visit")).toHaveLength(2);

    // Sign-up from that browser: credited, and the network kept only as a keyed hash.
    const signedUp = await settle(() =>
      signupAction({
        request: formRequest(
          "/signup",
          { email: "newfan@example.test", username: "newfan", password: "correct horse battery" },
          { cookie: ref },
        ),
        params: {},
        context: context("198.51.100.23"),
      }),
    );
    expect(signedUp.status).toBe(302);
    const [fan] = await db.select().from(users).where(eq(users.username, "newfan"));
    const [network] = await db.select().from(signupNetworks).where(eq(signupNetworks.userId, fan!.id));
    expect(network!.networkHash).toMatch(/^[0-9a-f]{64}$/);
    for (const part of ["198.51.100.23", "198.51.100", "198", "c633"]) expect(network!.networkHash).not.toContain(part);
    expect(network!.networkHash).toBe(signupNetworkHash("198.51.100.99"));
    expect(network!.networkHash).not.toBe(signupNetworkHash("198.51.101.23"));
    expect(signupNetworkHash("2001:db8:1:2::5")).toBe(signupNetworkHash("2001:0db8:0001:ffff::1"));

    // Old enough to vote (the age rule is not what this test is about), the fan scores the design.
    await db
      .update(users)
      .set({ createdAt: new Date(Date.now() - 30 * 86_400_000) })
      .where(eq(users.id, fan!.id));
    const fanCookie = `${cookiesFrom(signedUp.response!)}; ${ref}`;
    const voted = await settle(() =>
      voteAction({
        request: formRequest(`/vote/${voting.slug}`, { submissionId: designId, score: "4" }, { cookie: fanCookie }),
        params: { slug: voting.slug },
        context: context(),
      }),
    );
    expect(voted.status).toBe(303);
    const [ballotEvent] = (await events()).filter((e) => e.kind === "ballot");
    // Arrived minutes ago: marked for the integrity view, and still counted.
    expect(ballotEvent).toMatchObject({ designerId: designer.user.id, roundId: voting.id, recentArrival: true });
    expect(await ballotSources(voting.id)).toMatchObject({ total: 1, viaRecentShareLink: 1 });
    // The fan also scores another designer's entry: a ballot like any other, but the link was not for it.
    const elsewhere = await settle(() =>
      voteAction({
        request: formRequest(
          `/vote/${voting.slug}`,
          { submissionId: othersDesignId, score: "5" },
          { cookie: fanCookie },
        ),
        params: { slug: voting.slug },
        context: context(),
      }),
    );
    expect(elsewhere.status).toBe(303);
    expect((await events()).filter((e) => e.kind === "ballot").map((e) => e.submissionId)).toEqual([designId]);
    expect(await ballotSources(voting.id)).toMatchObject({ total: 2, viaRecentShareLink: 1 });

    // The fan buys the tee and pays: the designer's sale.
    await settle(() =>
      addAction({
        request: formRequest(
          `/shop/${tee.id}`,
          { intent: "add-to-cart", variantId: medium.id, quantity: "1" },
          { cookie: fanCookie },
        ),
        params: { productId: tee.id },
        context: context(),
      }),
    );
    await settle(() =>
      checkoutAction({
        request: formRequest("/checkout", shipping, { cookie: fanCookie }),
        params: {},
        context: context(),
      }),
    );
    const [order] = await db.select().from(orders);
    expect(order!.shareDesignerId).toBe(designer.user.id);
    expect((await events()).some((e) => e.kind === "sale")).toBe(false);
    await settle(() =>
      payAction({
        request: formRequest(`/orders/${order!.id}/pay`, {}, { cookie: fanCookie }),
        params: { id: order!.id },
        context: context(),
      }),
    );
    expect((await db.select().from(orders))[0]!.status).toBe("paid");

    expect((await shareStats(designer.user.id)).totals).toEqual({ visits: 2, signups: 1, ballots: 1, sales: 1 });
    const today = new Date().toISOString().slice(0, 10);
    const dashboard = await settle(() =>
      sharesLoader({
        request: getRequest("/account/shares", { cookie: designer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(dashboard.data.days.at(-1)).toEqual({ day: today, visits: 2, signups: 1, ballots: 1, sales: 1 });
    // Counts only: nothing on the dashboard says who signed up, voted or bought.
    const shown = JSON.stringify(dashboard.data);
    for (const secret of ["newfan", fan!.id, order!.id, "Ada", "London"]) expect(shown).not.toContain(secret);
  });

  it("ignores another designer's code, a forged cookie and the designer's own visits", async () => {
    const { designer, code, designId } = await designerWithWork();
    const other = await createLoggedInUser();
    const page = (path: string, cookie?: string) =>
      submissionLoader({ request: getRequest(path, { cookie }), params: { id: designId }, context: context() });
    for (const path of [
      `/submissions/${designId}?ref=${other.user.shareCode}`,
      `/submissions/${designId}?ref=${code.slice(0, 9)}`,
      `/submissions/${designId}?ref=%00${code}`,
    ]) {
      const result = (await page(path)) as { init: ResponseInit | null };
      expect(result.init).toBeFalsy();
    }
    await page(`/submissions/${designId}?ref=${code}`, designer.cookie);
    expect(await events()).toEqual([]);

    // A cookie naming the designer but not signed by the server credits nothing.
    const forged = `ct_ref=${encodeURIComponent(btoa(JSON.stringify({ d: designer.user.id, v: crypto.randomUUID(), t: Date.now() })))}`;
    const fan = await createLoggedInUser({ createdAt: new Date(Date.now() - 30 * 86_400_000) });
    const voting = await createRound({ phase: "voting" });
    const [id] = await createManySubmissions({ roundId: voting.id, designerIds: [designer.user.id], count: 1 });
    const voted = await settle(() =>
      voteAction({
        request: formRequest(
          `/vote/${voting.slug}`,
          { submissionId: id!, score: "5" },
          { cookie: `${fan.cookie}; ${forged}` },
        ),
        params: { slug: voting.slug },
        context: context(),
      }),
    );
    expect(voted.status).toBe(303);
    expect(await events()).toEqual([]);
  });
});
