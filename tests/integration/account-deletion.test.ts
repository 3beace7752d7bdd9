import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { ledgerEntries, orders, products, productVariants, rounds, sessions, submissions, users } from "#db/schema";
import { artworkPng } from "#tests/factories/artwork";
import {
  createBallot,
  createLoggedInUser,
  createRound,
  createSubmission,
  createUser,
  DEFAULT_PASSWORD,
  shipFreelyTo,
} from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { storedFiles } from "#tests/support/storage";
import { checkCredentials } from "~/domain/accounts.server";
import { saveAddress } from "~/domain/addresses.server";
import { cartOfUser, addToCart } from "~/domain/cart.server";
import { addComment } from "~/domain/comments.server";
import { finalizeRound } from "~/domain/finalize.server";
import { follow } from "~/domain/follows.server";
import { markOrderPaid, placeOrder, setFulfilment } from "~/domain/orders.server";
import { requestPasswordReset } from "~/domain/password-reset.server";
import { setAvatar, updateProfile } from "~/domain/profiles.server";
import { fileReport } from "~/domain/reports.server";
import { db, queryRows } from "~/lib/db.server";
import { loader as profileLoader } from "~/routes/designers.$username";
import { action as deleteAction } from "~/routes/settings_.delete";

const ADDRESS = {
  name: "Vera Victim",
  line1: "12 Secret Lane",
  line2: "Flat 3b",
  city: "Hiddenville",
  region: "",
  postalCode: "ZX-9981",
  country: "NL",
};
const MARKERS = [
  "TRACK-VERA",
  "victim.pii@crowdthread.test",
  "victimpii",
  "Vera Victim",
  "Bio of Vera",
  "vera.example",
  "12 Secret Lane",
  "Flat 3b",
  "Hiddenville",
  "ZX-9981",
  "Comment by Vera",
  "Report note by Vera",
  "acct_vera",
];

/** Every row of every table in the app's schema, as JSON text. */
async function everyRowAsText() {
  const tables = await queryRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const dump: string[] = [];
  for (const { table_name } of tables) {
    const rows = await queryRows<{ j: string }>(
      db,
      sql`select row_to_json(t)::text as j from ${sql.identifier(table_name)} t`,
    );
    dump.push(...rows.map((r) => `${table_name}: ${r.j}`));
  }
  return dump;
}

beforeEach(async () => {
  await shipFreelyTo("NL", "US");
});

const OTHER_ADDRESS = {
  name: "Nick Neighbour",
  line1: "1 Open Road",
  line2: "",
  city: "Elsewhere",
  region: "",
  postalCode: "1000",
  country: "US",
};

async function buy(
  buyerId: string,
  variantId: string,
  adminId: string,
  fulfilment: "shipped" | null,
  address = ADDRESS,
  tracking = "TRACK-VERA",
) {
  const cart = await cartOfUser(buyerId);
  await addToCart(cart, variantId, 1);
  const placed = await placeOrder(buyerId, cart, address);
  if (!placed.ok) throw new Error("order not placed");
  await markOrderPaid(placed.value.orderId, { reference: "test" });
  if (fulfilment) await setFulfilment(placed.value.orderId, fulfilment, tracking, adminId);
  return placed.value.orderId;
}

const remove = (cookie: string, fields: Record<string, string>) =>
  settle(() =>
    deleteAction({ request: formRequest("/settings/delete", fields, { cookie }), params: {}, context: context() }),
  );

async function victimWithHistory() {
  const admin = await createUser({ role: "admin" });
  const other = await createLoggedInUser({ username: "neighbour" });
  const victim = await createLoggedInUser({ email: "victim.pii@crowdthread.test", username: "victimpii" });
  // She kept her address for next time: it goes with the account.
  await saveAddress(victim.user.id, ADDRESS);
  await updateProfile(victim.user.id, {
    displayName: "Vera Victim",
    bio: "Bio of Vera",
    links: ["https://vera.example/portfolio"],
  });
  await db.update(users).set({ stripeAccountId: "acct_vera" }).where(eq(users.id, victim.user.id));
  expect(await setAvatar(victim.user.id, await artworkPng({ seed: 44, width: 300, height: 300 }))).toEqual({
    ok: true,
  });

  // A won round: her design is in the shop, someone bought it (her royalty), she bought it too (her order, shipped).
  const won = await createRound({
    phase: "submissions",
    minVotes: 1,
    voterMinScored: 1,
    winnersCount: 1,
    title: "Won Round",
  });
  const winner = await createSubmission({
    round: won,
    designerId: victim.user.id,
    title: "Victim's Win",
    seed: 45,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await createBallot({ roundId: won.id, submissionId: winner, voterId: admin.id, score: 5 });
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
    .where(eq(rounds.id, won.id));
  await finalizeRound(won.id);
  const [variant] = await db
    .select({ id: productVariants.id })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(eq(products.submissionId, winner))
    .limit(1);
  await buy(other.user.id, variant!.id, admin.id, "shipped", OTHER_ADDRESS, "TRACK-NICK");
  const herOrder = await buy(victim.user.id, variant!.id, admin.id, "shipped");

  // An open round: her pending entry, her ballot and comment on someone else's design, a report, follows.
  const open = await createRound({ phase: "voting" });
  const theirs = await createSubmission({
    round: open,
    designerId: other.user.id,
    seed: 46,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  const pending = await createSubmission({
    round: open,
    designerId: victim.user.id,
    seed: 47,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await createBallot({ roundId: open.id, submissionId: theirs, voterId: victim.user.id, score: 3 });
  await addComment({ subject: { kind: "submission", id: theirs }, authorId: victim.user.id, body: "Comment by Vera" });
  await fileReport({
    reporterId: victim.user.id,
    subjectType: "submission",
    subjectId: theirs,
    reason: "spam",
    note: "Report note by Vera",
  });
  await follow(victim.user.id, other.user.id);
  await follow(other.user.id, victim.user.id);
  await cartOfUser(victim.user.id);
  await requestPasswordReset("victim.pii@crowdthread.test", "192.0.2.9");
  return { admin, other, victim, winner, pending, herOrder };
}

describe("account deletion", () => {
  it("removes every piece of personal data and keeps anonymised orders and ledger rows", async () => {
    const { victim, winner, pending, herOrder } = await victimWithHistory();
    const [before] = await db.select({ avatar: users.avatar }).from(users).where(eq(users.id, victim.user.id));
    expect(storedFiles().has(before!.avatar!.large)).toBe(true);
    const dumpBefore = (await everyRowAsText()).join("\n");
    for (const marker of MARKERS) expect(dumpBefore, marker).toContain(marker);
    const ledgerBefore = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, victim.user.id));
    expect(ledgerBefore.length).toBeGreaterThan(0);

    const wrong = await remove(victim.cookie, { password: "not my password", confirm: "on" });
    expect(wrong.status).toBe(400);
    expect((await remove(victim.cookie, { password: DEFAULT_PASSWORD })).status).toBe(400);
    expect((await db.select().from(users).where(eq(users.id, victim.user.id)))[0]!.deletedAt).toBeNull();

    const done = await remove(victim.cookie, { password: DEFAULT_PASSWORD, confirm: "on" });
    expect(done.status).toBe(302);
    expect(done.response!.headers.get("Location")).toBe("/");
    expect(done.response!.headers.get("Set-Cookie")).toMatch(/ct_session=;/);

    const leftovers = (await everyRowAsText()).filter((row) =>
      MARKERS.some((m) => row.toLowerCase().includes(m.toLowerCase())),
    );
    expect(leftovers).toEqual([]);
    expect(storedFiles().has(before!.avatar!.large)).toBe(false);
    expect(await db.select().from(sessions).where(eq(sessions.userId, victim.user.id))).toHaveLength(0);
    expect(await checkCredentials("victim.pii@crowdthread.test", DEFAULT_PASSWORD)).toBeNull();

    // What the law needs stays: the order with its amounts and country, the ledger rows.
    const [order] = await db.select().from(orders).where(eq(orders.id, herOrder));
    expect(order).toMatchObject({
      buyerId: victim.user.id,
      status: "paid",
      shippingName: "Deleted member",
      shippingLine1: "",
      shippingCountry: "NL",
    });
    expect(order!.subtotalCents).toBeGreaterThan(0);
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, victim.user.id))).toHaveLength(
      ledgerBefore.length,
    );

    // Her open entry is withdrawn, her won design stays in the results, her products leave the shop.
    const statuses = Object.fromEntries(
      (
        await db
          .select({ id: submissions.id, status: submissions.status })
          .from(submissions)
          .where(eq(submissions.designerId, victim.user.id))
      ).map((s) => [s.id, s.status]),
    );
    expect(statuses).toEqual({ [winner]: "approved", [pending]: "withdrawn" });
    expect(
      await db
        .select()
        .from(products)
        .where(and(eq(products.designerId, victim.user.id), eq(products.active, true))),
    ).toHaveLength(0);
    const [row] = await db.select().from(users).where(eq(users.id, victim.user.id));
    expect(
      (
        await settle(() =>
          profileLoader({
            request: getRequest(`/designers/${row!.username}`),
            params: { username: row!.username },
            context: context(),
          }),
        )
      ).status,
    ).toBe(404);
    // The address is free to sign up again.
    const { signUp } = await import("~/domain/accounts.server");
    expect(
      await signUp({ email: "victim.pii@crowdthread.test", username: "victimpii", password: "a whole new start" }),
    ).toMatchObject({ ok: true });
  });

  it("waits while an order is being made or a payout is waiting, changing nothing", async () => {
    const admin = await createUser({ role: "admin" });
    const designer = await createUser();
    const buyer = await createLoggedInUser({ email: "waiting@crowdthread.test" });
    const round = await createRound({ phase: "submissions", minVotes: 1, voterMinScored: 1, winnersCount: 1 });
    const design = await createSubmission({
      round,
      designerId: designer.id,
      seed: 48,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await createBallot({ roundId: round.id, submissionId: design, voterId: admin.id, score: 5 });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    await finalizeRound(round.id);
    const [variant] = await db.select({ id: productVariants.id }).from(productVariants).limit(1);
    const orderId = await buy(buyer.user.id, variant!.id, admin.id, null);

    const refused = await remove(buyer.cookie, { password: DEFAULT_PASSWORD, confirm: "on" });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.data.result.error)).toMatch(/still being made/);
    const [row] = await db.select().from(users).where(eq(users.id, buyer.user.id));
    expect(row).toMatchObject({ email: "waiting@crowdthread.test", deletedAt: null });
    expect((await db.select().from(orders).where(eq(orders.id, orderId)))[0]!.shippingLine1).toBe("12 Secret Lane");

    await setFulfilment(orderId, "shipped", "TRACK-2", admin.id);
    expect((await remove(buyer.cookie, { password: DEFAULT_PASSWORD, confirm: "on" })).status).toBe(302);
  });
});
