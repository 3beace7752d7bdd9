import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { follows, notifications } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, createUser, shipFreelyTo } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { feedFor } from "~/domain/follows.server";
import { approveSubmission } from "~/domain/moderation.server";
import { db } from "~/lib/db.server";
import { action as designerAction, loader as designerLoader } from "~/routes/designers.$username";

describe("follows and the home feed", () => {
  it("follows a designer, hears of their next approved design, and sees it in the feed", async () => {
    const fan = await createLoggedInUser();
    const designer = await createUser({ username: "muralist" });
    const admin = await createUser({ role: "admin" });
    const act = (intent: string) =>
      settle(() =>
        designerAction({
          request: formRequest("/designers/muralist", { intent }, { cookie: fan.cookie }),
          params: { username: "muralist" },
          context: context(),
        }),
      );
    await act("follow");
    await act("follow");
    expect(await db.select().from(follows)).toHaveLength(1);
    const profile = await settle(() =>
      designerLoader({
        request: getRequest("/designers/muralist", { cookie: fan.cookie }),
        params: { username: "muralist" },
        context: context(),
      }),
    );
    expect(profile.data).toMatchObject({ followers: 1, following: true });

    const round = await createRound({ phase: "submissions" });
    const id = await createSubmission({ round, designerId: designer.id, title: "Wall of Birds", seed: 970 });
    expect(await feedFor(fan.user.id)).toHaveLength(0);
    await approveSubmission(id, admin.id);
    expect(await db.select().from(notifications).where(eq(notifications.userId, fan.user.id))).toMatchObject([
      { kind: "new_design", title: '@muralist has a new design: "Wall of Birds"', url: `/submissions/${id}` },
    ]);
    expect(await feedFor(fan.user.id)).toMatchObject([{ kind: "design", id, designer: "muralist" }]);

    await act("unfollow");
    expect(await feedFor(fan.user.id)).toHaveLength(0);
  });

  it("shows new designs in rounds one has entered, not one's own", async () => {
    const me = await createUser();
    const other = await createUser();
    const admin = await createUser({ role: "admin" });
    const round = await createRound({ phase: "submissions" });
    await createSubmission({
      round,
      designerId: me.id,
      seed: 971,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    const theirs = await createSubmission({
      round,
      designerId: other.id,
      seed: 972,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    expect((await feedFor(me.id)).map((i) => i.id)).toEqual([theirs]);
  });

  it("shows wins and products from rounds one entered and from designers one follows", async () => {
    const { finalizeRound } = await import("~/domain/finalize.server");
    const { createBallot } = await import("#tests/factories/index");
    const { rounds } = await import("#db/schema");
    const me = await createUser();
    const rival = await createUser({ username: "rival" });
    const admin = await createUser({ role: "admin" });
    const round = await createRound({
      phase: "submissions",
      minVotes: 1,
      voterMinScored: 1,
      winnersCount: 1,
      title: "Shared Round",
    });
    const mine = await createSubmission({
      round,
      designerId: me.id,
      seed: 976,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    const theirs = await createSubmission({
      round,
      designerId: rival.id,
      title: "Rival Art",
      seed: 977,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await createBallot({ roundId: round.id, submissionId: theirs, voterId: admin.id, score: 5 });
    await createBallot({ roundId: round.id, submissionId: mine, voterId: admin.id, score: 1 });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    await finalizeRound(round.id);
    const feed = await feedFor(me.id);
    expect(feed.filter((i) => i.kind === "win")).toMatchObject([
      { id: theirs, title: "Rival Art (#1)", designer: "rival", url: `/rounds/${round.slug}/results` },
    ]);
    expect(
      feed
        .filter((i) => i.kind === "product")
        .map((i) => i.title)
        .sort(),
    ).toEqual(["Rival Art (Poster)", "Rival Art (T-shirt)"]);
    // A stranger who neither entered nor follows sees none of it; a follower does.
    const stranger = await createUser();
    expect(await feedFor(stranger.id)).toEqual([]);
    const { follow } = await import("~/domain/follows.server");
    await follow(stranger.id, rival.id);
    expect((await feedFor(stranger.id)).map((i) => i.kind).sort()).toEqual(["design", "product", "product", "win"]);
  });

  it("cannot follow oneself", async () => {
    const me = await createLoggedInUser({ username: "narcissus" });
    await settle(() =>
      designerAction({
        request: formRequest("/designers/narcissus", { intent: "follow" }, { cookie: me.cookie }),
        params: { username: "narcissus" },
        context: context(),
      }),
    );
    expect(await db.select().from(follows)).toHaveLength(0);
  });
});

describe("notifications for what happens to one's work", () => {
  it("tells the designer of approval, rejection with the reason, a win, the results, and a sale", async () => {
    const { createBallot } = await import("#tests/factories/index");
    const { rejectSubmission } = await import("~/domain/moderation.server");
    const { finalizeRound } = await import("~/domain/finalize.server");
    const { rounds } = await import("#db/schema");
    const designer = await createUser({ username: "notified" });
    const other = await createUser();
    const admin = await createUser({ role: "admin" });
    const round = await createRound({
      phase: "submissions",
      minVotes: 1,
      voterMinScored: 1,
      winnersCount: 1,
      title: "Night Owls",
    });
    const good = await createSubmission({ round, designerId: designer.id, title: "Owl", seed: 973 });
    const bad = await createSubmission({ round, designerId: designer.id, title: "Blurry", seed: 974 });
    const theirs = await createSubmission({
      round,
      designerId: other.id,
      title: "Moth",
      seed: 975,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await approveSubmission(good, admin.id);
    await rejectSubmission(bad, admin.id, "The file is too blurry to print");
    await createBallot({ roundId: round.id, submissionId: good, voterId: admin.id, score: 5 });
    await createBallot({ roundId: round.id, submissionId: theirs, voterId: admin.id, score: 2 });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    await finalizeRound(round.id);
    const titles = async (userId: string) =>
      (await db.select().from(notifications).where(eq(notifications.userId, userId)))
        .map((n) => `${n.kind}: ${n.title}`)
        .sort();
    expect(await titles(designer.id)).toEqual([
      'design_won: "Owl" won Night Owls! It is now in the shop.',
      'submission_approved: "Owl" was approved and is in its round',
      'submission_rejected: "Blurry" was not accepted: The file is too blurry to print',
    ]);
    expect(await titles(other.id)).toEqual([
      "results_published: The results of Night Owls are out",
      'submission_approved: "Moth" was approved and is in its round',
    ]);

    const { addToCart, cartOfUser } = await import("~/domain/cart.server");
    const { markOrderPaid, placeOrder } = await import("~/domain/orders.server");
    const { productVariants } = await import("#db/schema");
    const [variant] = await db.select().from(productVariants).limit(1);
    const buyer = await createUser();
    await addToCart(await cartOfUser(buyer.id), variant!.id, 2);
    await shipFreelyTo("US");
    const placed = await placeOrder(buyer.id, await cartOfUser(buyer.id), {
      name: "B",
      line1: "1 St",
      line2: "",
      city: "C",
      region: "",
      postalCode: "1",
      country: "US",
    });
    await markOrderPaid(placed.ok ? placed.value.orderId : "", { reference: "t" });
    await markOrderPaid(placed.ok ? placed.value.orderId : "", { reference: "again" });
    const sales = (await titles(designer.id)).filter((t) => t.startsWith("royalty_credited"));
    expect(sales).toHaveLength(1);
    expect(sales[0]).toMatch(/^royalty_credited: A sale earned you \$\d+\.\d{2} in royalties$/);
  });
});
