import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  cartItems,
  favourites,
  notifications,
  outgoingMail,
  products,
  productVariants,
  rounds,
  submissions,
  users,
} from "#db/schema";
import {
  createBallot,
  createLoggedInUser,
  createRound,
  createShippingZone,
  createSubmission,
  createUser,
  createWinningDesign,
} from "#tests/factories/index";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { saveAddress } from "~/domain/addresses.server";
import { favouritesOf } from "~/domain/favourites.server";
import { finalizeRound } from "~/domain/finalize.server";
import { estimateShipping } from "~/domain/shipping.server";
import { db } from "~/lib/db.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as savedLoader } from "~/routes/account_.favourites";
import { action as favouriteAction } from "~/routes/favourites";
import { loader as resultsLoader } from "~/routes/rounds.$slug_.results";
import { action as productAction, loader as productLoader } from "~/routes/shop.$productId";
import { loader as designLoader } from "~/routes/submissions.$id";

function postFavourite(fields: Record<string, string>, cookie?: string) {
  return settle(() =>
    favouriteAction({ request: formRequest("/favourites", fields, { cookie }), params: {}, context: context() }),
  );
}

async function savedRows(userId: string) {
  return db.select().from(favourites).where(eq(favourites.userId, userId));
}

/** A round in its voting window with one approved design by a fresh designer. */
async function votingDesign(title: string, seed: number) {
  const admin = await createUser({ role: "admin" });
  const designer = await createUser();
  const round = await createRound({ phase: "submissions", minVotes: 1, voterMinScored: 1, winnersCount: 1 });
  const submissionId = await createSubmission({
    round,
    designerId: designer.id,
    title,
    seed,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 3600_000), votingClosesAt: new Date(Date.now() + 3600_000) })
    .where(eq(rounds.id, round.id));
  return { admin, designer, round, submissionId };
}

describe("favourites", () => {
  it("saves a design once however often the heart is pressed, lists it, and removes it", async () => {
    const fan = await createLoggedInUser();
    const { submissionId } = await votingDesign("Paper Cranes", 801);
    const fields = { intent: "save", submissionId, redirectTo: `/submissions/${submissionId}` };
    const first = await postFavourite(fields, fan.cookie);
    expect(first.status).toBe(302);
    expect(first.response!.headers.get("Location")).toBe(`/submissions/${submissionId}`);
    expect(await toastFrom(first.response!)).toMatchObject({ title: "Saved to your favourites" });
    const again = await postFavourite({ ...fields, reply: "data" }, fan.cookie);
    expect(again).toMatchObject({ status: 200, data: { saved: true } });
    expect(await savedRows(fan.user.id)).toHaveLength(1);

    const page = await settle(() =>
      savedLoader({
        request: getRequest("/account/favourites", { cookie: fan.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(page.data.items.items).toMatchObject([{ id: submissionId, title: "Paper Cranes", products: [] }]);
    const design = await settle(() =>
      designLoader({
        request: getRequest(`/submissions/${submissionId}`, { cookie: fan.cookie }),
        params: { id: submissionId },
        context: context(),
      }),
    );
    expect(design.data).toMatchObject({ saved: true, canSave: true });

    await postFavourite({ ...fields, intent: "remove" }, fan.cookie);
    await postFavourite({ ...fields, intent: "remove" }, fan.cookie);
    expect(await savedRows(fan.user.id)).toHaveLength(0);
  });

  it("refuses a forged, unknown or private design id and writes nothing", async () => {
    const fan = await createLoggedInUser();
    const admin = await createUser({ role: "admin" });
    const designer = await createUser();
    const round = await createRound({ phase: "submissions" });
    const pending = await createSubmission({ round, designerId: designer.id, seed: 802 });
    const rejected = await createSubmission({
      round,
      designerId: designer.id,
      seed: 803,
      moderate: { adminId: admin.id, decision: "rejected" },
    });

    const unknown = await postFavourite({ intent: "save", submissionId: randomUUID() }, fan.cookie);
    expect(unknown.status).toBe(404);
    for (const submissionId of [pending, rejected]) {
      const refused = await postFavourite({ intent: "save", submissionId, reply: "data" }, fan.cookie);
      expect(refused).toMatchObject({
        status: 404,
        data: { failure: { message: "There is no design to save at this address." } },
      });
    }
    expect((await postFavourite({ intent: "save", submissionId: "not-an-id" }, fan.cookie)).status).toBe(400);
    expect((await postFavourite({ intent: "steal", submissionId: pending }, fan.cookie)).status).toBe(400);
    expect(await savedRows(fan.user.id)).toHaveLength(0);
  });

  it("sends guests to log in and back to the page, and keeps them off the saved list", async () => {
    const { submissionId } = await votingDesign("Night Ferry", 804);
    const guest = await postFavourite({ intent: "save", submissionId, redirectTo: `/submissions/${submissionId}` });
    expect(guest.status).toBe(302);
    expect(guest.response!.headers.get("Location")).toBe(
      `/login?redirectTo=${encodeURIComponent(`/submissions/${submissionId}`)}`,
    );
    // A redirect to another site is not followed back.
    const offsite = await postFavourite({ intent: "save", submissionId, redirectTo: "//evil.example/" });
    expect(offsite.response!.headers.get("Location")).toBe(
      `/login?redirectTo=${encodeURIComponent(`/submissions/${submissionId}`)}`,
    );
    expect(await db.select().from(favourites)).toHaveLength(0);
    const list = await settle(() =>
      savedLoader({ request: getRequest("/account/favourites"), params: {}, context: context() }),
    );
    expect(list.status).toBe(302);
    expect(list.response!.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("tells those who saved a design, once, when finalize makes it a product, by email when they asked", async () => {
    const { admin, designer, round, submissionId } = await votingDesign("Lighthouse Keeper", 805);
    const quiet = await createUser();
    const mailed = await createUser();
    await db
      .update(users)
      .set({ notificationPrefs: { favourite_in_shop: { inApp: true, email: true } } })
      .where(eq(users.id, mailed.id));
    const muted = await createUser();
    await db
      .update(users)
      .set({ notificationPrefs: { favourite_in_shop: { inApp: false, email: false } } })
      .where(eq(users.id, muted.id));
    await db.insert(favourites).values([quiet, mailed, muted, designer].map((u) => ({ userId: u.id, submissionId })));
    await createBallot({ roundId: round.id, submissionId, voterId: admin.id, score: 5 });
    await db
      .update(rounds)
      .set({ votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));

    expect((await finalizeRound(round.id)).ok).toBe(true);
    expect(await finalizeRound(round.id)).toMatchObject({ ok: false, code: "conflict" });

    const [tee] = await db
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.submissionId, submissionId), eq(products.type, "tee")));
    const notices = await db.select().from(notifications).where(eq(notifications.kind, "favourite_in_shop"));
    expect(notices.map((n) => n.userId).sort()).toEqual([quiet.id, mailed.id].sort());
    expect(notices[0]).toMatchObject({
      title: '"Lighthouse Keeper", a design you saved, is now in the shop',
      url: `/shop/${tee!.id}`,
    });
    const mail = await db.select().from(outgoingMail).where(eq(outgoingMail.category, "favourite_in_shop"));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ userId: mailed.id });
    expect(mail[0]!.textBody).toContain(`/shop/${tee!.id}`);

    // The saved list now leads to the products.
    const [saved] = (await favouritesOf(quiet.id)).items;
    expect(saved!.products.map((p) => p.type).sort()).toEqual(["poster", "tee"]);
  });

  it("pages the saved list by keyset, newest first, and drops designs taken down", async () => {
    const fan = await createUser();
    const admin = await createUser({ role: "admin" });
    const designer = await createUser();
    const round = await createRound({ phase: "submissions", maxSubmissionsPerDesigner: 5 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const id = await createSubmission({
        round,
        designerId: designer.id,
        seed: 810 + i,
        moderate: { adminId: admin.id, decision: "approved" },
      });
      ids.push(id);
      await db.insert(favourites).values({ userId: fan.id, submissionId: id, createdAt: new Date(Date.now() + i) });
    }
    const walk = async () => {
      const seen: string[] = [];
      let after: any;
      do {
        const page = await favouritesOf(fan.id, { size: 2, after });
        seen.push(...page.items.map((s) => s.id));
        after = page.next ? JSON.parse(Buffer.from(page.next, "base64url").toString()) : undefined;
      } while (after);
      return seen;
    };
    expect(await walk()).toEqual([...ids].reverse());
    await db.update(submissions).set({ status: "withdrawn" }).where(eq(submissions.id, ids[1]!));
    expect(await walk()).toEqual([ids[3], ids[2], ids[0]]);
  });
});

describe("the product page", () => {
  it("has no size chosen: adding without one says so next to the sizes and adds nothing", async () => {
    const { tee } = await createWinningDesign({ title: "Fox Den", seed: 820 });
    const other = await createWinningDesign({ title: "Hare Run", seed: 821 });
    const buyer = await createLoggedInUser();
    const post = (fields: Record<string, string>) =>
      settle(() =>
        productAction({
          request: formRequest(`/shop/${tee.id}`, { intent: "add-to-cart", ...fields }, { cookie: buyer.cookie }),
          params: { productId: tee.id },
          context: context(),
        }),
      );
    const missing = await post({ quantity: "1" });
    expect(missing).toMatchObject({ status: 400, data: { errors: { variantId: "Choose a size" } } });
    const blank = await post({ variantId: "", quantity: "1" });
    expect(blank).toMatchObject({ status: 400, data: { errors: { variantId: "Choose a size" } } });
    const tooMany = await post({ variantId: randomUUID(), quantity: "50" });
    expect(tooMany).toMatchObject({ status: 400, data: { errors: { quantity: "Choose a quantity from 1 to 20" } } });
    // Another product's size, forged into this page's form.
    const [foreign] = await db.select().from(productVariants).where(eq(productVariants.productId, other.tee.id));
    const forged = await post({ variantId: foreign!.id, quantity: "1" });
    expect(forged).toMatchObject({
      status: 400,
      data: { errors: { variantId: "Choose one of this product's sizes" } },
    });
    expect(await db.select().from(cartItems)).toHaveLength(0);

    const page = await settle(() =>
      productLoader({ request: getRequest(`/shop/${tee.id}`), params: { productId: tee.id }, context: context() }),
    );
    expect(page.data.sizeGuide.rows.map((r: { size: string }) => r.size)).toEqual(["S", "M", "L", "XL", "2XL"]);
    expect(page.data.details.care.length).toBeGreaterThan(0);

    const [medium] = await db
      .select()
      .from(productVariants)
      .where(and(eq(productVariants.productId, tee.id), eq(productVariants.size, "M")));
    const added = await post({ variantId: medium!.id, quantity: "2" });
    expect(added.status).toBe(302);
    expect(await db.select({ quantity: cartItems.quantity }).from(cartItems)).toEqual([{ quantity: 2 }]);
  });

  it("estimates shipping from the shop's zones: the buyer's country, the one asked for, or the shop's first", async () => {
    await createShippingZone({
      name: "United States",
      countries: ["US"],
      tee: [500, 200],
      poster: [800, 400],
      freeShippingOverCents: 7500,
    });
    await createShippingZone({ name: "Canada", countries: ["CA"], tee: [900, 300], poster: [1200, 500] });
    const { tee } = await createWinningDesign({ title: "Moose Crossing", seed: 822 });
    const load = (query = "", cookie?: string) =>
      settle(() =>
        productLoader({
          request: getRequest(`/shop/${tee.id}${query}`, { cookie }),
          params: { productId: tee.id },
          context: context(),
        }),
      );

    const guest = await load();
    expect(guest.data.shipping.choices).toEqual([
      { code: "CA", name: "Canada" },
      { code: "US", name: "United States" },
    ]);
    expect(guest.data.shipping.estimate).toMatchObject({
      ships: true,
      country: "US",
      zoneName: "United States",
      firstItemCents: 500,
      additionalItemCents: 200,
      freeShippingOverCents: 7500,
      freeForThisItem: false,
    });
    expect((await load("?country=CA")).data.shipping.estimate).toMatchObject({ country: "CA", firstItemCents: 900 });
    expect((await load("?country=FR")).data.shipping.estimate).toEqual({
      ships: false,
      country: "FR",
      countryName: "France",
      message: "Sorry, we don't ship to France yet.",
    });
    expect((await load("?country=france")).status).toBe(400);
    expect((await load("?country=ZZ")).data.shipping.estimate.country).toBe("US");

    const buyer = await createLoggedInUser();
    await saveAddress(buyer.user.id, {
      name: "Ann Shirley",
      line1: "1 Green Gables",
      line2: "",
      city: "Avonlea",
      region: "PE",
      postalCode: "C0A 1N0",
      country: "CA",
    });
    expect((await load("", buyer.cookie)).data.shipping.estimate).toMatchObject({ country: "CA", firstItemCents: 900 });

    // An item that alone reaches the free-shipping threshold ships free.
    expect(await estimateShipping("tee", 8000, "US")).toMatchObject({ ships: true, freeForThisItem: true });
  });

  it("says nothing about shipping before the shop has a zone", async () => {
    const { tee } = await createWinningDesign({ title: "Quiet Pond", seed: 823 });
    const page = await settle(() =>
      productLoader({ request: getRequest(`/shop/${tee.id}`), params: { productId: tee.id }, context: context() }),
    );
    expect(page.data.shipping).toBeNull();
  });
});

describe("the home page and the paths to buy", () => {
  it("leads with the live vote, the new winners and their designers, and links results to products", async () => {
    const live = await votingDesign("Tidal Wave", 830);
    const { tee, round, submissionId, designerId } = await createWinningDesign({ title: "Comet Tail", seed: 831 });
    const open = await createRound({ phase: "submissions", title: "Robots at Rest" });

    const home = await settle(() => homeLoader({ request: getRequest("/"), params: {}, context: context() }));
    expect(home.data.voting).toMatchObject([{ slug: live.round.slug, designs: [{ id: live.submissionId }] }]);
    // A round still voting shows no scores or ballot counts.
    const strip = home.data.voting[0].designs[0];
    expect(Object.keys(strip).sort()).toEqual(["designerUsername", "id", "images", "title"]);
    expect(home.data.winners).toMatchObject([{ submissionId, title: "Comet Tail" }]);
    expect(home.data.winners[0].products.map((p: { id: string }) => p.id)).toContain(tee.id);
    expect(home.data.designers).toMatchObject([{ wins: 1, followers: 0 }]);
    const [designer] = await db.select({ username: users.username }).from(users).where(eq(users.id, designerId));
    expect(home.data.designers[0].username).toBe(designer!.username);
    expect(home.data.submissions.map((r: { slug: string }) => r.slug)).toEqual([open.slug]);
    expect(home.data.sellers).toEqual([]);

    const results = await settle(() =>
      resultsLoader({
        request: getRequest(`/rounds/${round.slug}/results`),
        params: { slug: round.slug },
        context: context(),
      }),
    );
    const [row] = results.data.rows.items;
    expect(row.products.map((p: { id: string }) => p.id)).toContain(tee.id);
    expect(results.data.winners[0].products).toHaveLength(2);

    const design = await settle(() =>
      designLoader({
        request: getRequest(`/submissions/${submissionId}`),
        params: { id: submissionId },
        context: context(),
      }),
    );
    expect(design.data.products.map((p: { id: string }) => p.id)).toContain(tee.id);
  });
});
