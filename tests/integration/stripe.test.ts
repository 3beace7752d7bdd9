import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ledgerEntries, orders, payoutRequests, productVariants, stripeEvents, users } from "#db/schema";
import { createLoggedInUser, createUser, createWinningDesign, shipFreelyTo } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { startStripeDouble } from "#tests/support/stripe-double";
import { refundAsAdmin } from "#tests/support/admin-orders";
import { addToCart, cartOfUser } from "~/domain/cart.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { forgetSingleton } from "~/lib/singleton.server";

const WEBHOOK_SECRET = "whsec_test_crowdthread";
let double: Awaited<ReturnType<typeof startStripeDouble>>;

beforeAll(async () => {
  double = await startStripeDouble();
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: "sk_test_crowdthread",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_HOST: "127.0.0.1",
    STRIPE_API_PORT: String(double.port),
    STRIPE_API_PROTOCOL: "http",
  });
  resetEnvCache();
  forgetSingleton("stripe");
});

// Shipping and tax with Stripe are tested in checkout-money.test.ts: here shipping is free and untaxed.
beforeEach(async () => {
  await shipFreelyTo("US");
});

afterAll(async () => {
  for (const key of [
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_HOST",
    "STRIPE_API_PORT",
    "STRIPE_API_PROTOCOL",
  ])
    delete process.env[key];
  resetEnvCache();
  forgetSingleton("stripe");
  await double.close();
});

const shipping = {
  name: "Grace Hopper",
  line1: "1 Compiler Row",
  line2: "",
  city: "Arlington",
  region: "VA",
  postalCode: "22201",
  country: "US",
};

async function buyerWithCart(options: { credit?: number } = {}) {
  const designer = await createUser();
  const { tee } = await createWinningDesign({
    title: "Bug Hunt",
    seed: 900,
    designerId: designer.id,
    round: { prizeCents: 0, royaltyBps: 1000 },
  });
  const [m] = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id)).limit(1);
  const buyer = await createLoggedInUser();
  if (options.credit)
    await db.insert(ledgerEntries).values({
      userId: buyer.user.id,
      kind: "prize",
      amountCents: options.credit,
      currency: "usd",
      causeKey: `test:${buyer.user.id}`,
    });
  await addToCart(await cartOfUser(buyer.user.id), m!.id, 3);
  return { buyer, designer };
}

async function checkout(cookie: string, extra: Record<string, string> = {}) {
  const { action } = await import("~/routes/checkout");
  return settle(() =>
    action({
      request: formRequest("/checkout", { ...shipping, ...extra }, { cookie }),
      params: {},
      context: context(),
    }),
  );
}

const stripe = new Stripe("sk_test_crowdthread");

async function deliver(
  event: { id: string; type: string; data: { object: Record<string, unknown> } },
  options: { secret?: string; tamper?: boolean } = {},
) {
  const payload = JSON.stringify({
    object: "event",
    api_version: "2024-06-20",
    created: Math.floor(Date.now() / 1000),
    ...event,
  });
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET });
  const body = options.tamper ? payload.replace('"paid"', '"PAID"') : payload;
  const { action } = await import("~/routes/webhooks.stripe");
  const request = new Request("http://localhost:3000/webhooks/stripe", {
    method: "POST",
    headers: { "Stripe-Signature": header, "Content-Type": "application/json" },
    body,
  });
  return (await action({ request, params: {}, context: context() })) as Response;
}

const completed = (orderId: string, n = 1) => ({
  id: `evt_completed_${orderId}_${n}`,
  type: "checkout.session.completed",
  data: {
    object: {
      id: `cs_${orderId}`,
      object: "checkout.session",
      payment_status: "paid",
      payment_intent: `pi_${orderId}`,
      metadata: { orderId },
      client_reference_id: orderId,
    },
  },
});
const refunded = (orderId: string) => ({
  id: `evt_refunded_${orderId}`,
  type: "charge.refunded",
  data: {
    object: {
      id: `ch_${orderId}`,
      object: "charge",
      amount: 7500,
      amount_refunded: 7500,
      payment_intent: `pi_${orderId}`,
      metadata: { orderId },
    },
  },
});
/** Stripe's charge.refunded after part of the card payment came back: `refunded` in all, under its own event id. */
const partlyRefunded = (orderId: string, refunded: number, charged = 7500) => ({
  id: `evt_refunded_${orderId}_${refunded}`,
  type: "charge.refunded",
  data: {
    object: {
      id: `ch_${orderId}`,
      object: "charge",
      amount: charged,
      amount_refunded: refunded,
      payment_intent: `pi_${orderId}`,
      metadata: { orderId },
    },
  },
});
const expired = (orderId: string) => ({
  id: `evt_expired_${orderId}`,
  type: "checkout.session.expired",
  data: {
    object: { id: `cs_${orderId}`, object: "checkout.session", payment_status: "unpaid", metadata: { orderId } },
  },
});

describe("Stripe Checkout through the real SDK", () => {
  it("opens a Checkout Session with the order's lines, its id in metadata, and an idempotency key", async () => {
    const { buyer } = await buyerWithCart();
    double.received.length = 0;
    const result = await checkout(buyer.cookie);
    const [order] = await db.select().from(orders);
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_\d+$/);
    expect(order).toMatchObject({ provider: "stripe", status: "pending_payment", amountDueCents: 7500 });
    expect(order!.providerReference).toMatch(/^cs_test_/);

    const [call] = double.received.filter((r) => r.path === "/v1/checkout/sessions");
    expect(call!.headers["idempotency-key"]).toBe(`checkout:${order!.id}`);
    expect(call!.headers.authorization).toBe("Bearer sk_test_crowdthread");
    const f = call!.form;
    expect(f.get("mode")).toBe("payment");
    expect(f.get("metadata[orderId]")).toBe(order!.id);
    expect(f.get("payment_intent_data[metadata][orderId]")).toBe(order!.id);
    expect(f.get("client_reference_id")).toBe(order!.id);
    expect(f.get("line_items[0][quantity]")).toBe("3");
    expect(f.get("line_items[0][price_data][currency]")).toBe("usd");
    expect(f.get("line_items[0][price_data][unit_amount]")).toBe("2500");
    expect(f.get("line_items[0][price_data][product_data][name]")).toBe("Bug Hunt T-shirt (S)");
    expect(f.get("success_url")).toBe(`http://localhost:3000/orders/${order!.id}?checkout=success`);
    expect(double.received.filter((r) => r.path === "/v1/coupons")).toHaveLength(0);
  });

  it("sends the buyer back to APP_ORIGIN when it is set, not to the address the request came to", async () => {
    const { buyer } = await buyerWithCart();
    double.received.length = 0;
    process.env.APP_ORIGIN = "https://shop.crowdthread.example";
    resetEnvCache();
    try {
      await checkout(buyer.cookie);
    } finally {
      delete process.env.APP_ORIGIN;
      resetEnvCache();
    }
    const [order] = await db.select().from(orders);
    const [call] = double.received.filter((r) => r.path === "/v1/checkout/sessions");
    expect(call!.form.get("success_url")).toBe(`https://shop.crowdthread.example/orders/${order!.id}?checkout=success`);
    expect(call!.form.get("cancel_url")).toBe(
      `https://shop.crowdthread.example/orders/${order!.id}?checkout=cancelled`,
    );
  });

  it("charges only the rest when store credit pays part, with a one-off coupon", async () => {
    const { buyer } = await buyerWithCart({ credit: 2000 });
    double.received.length = 0;
    await checkout(buyer.cookie, { useCredit: "on" });
    const [order] = await db.select().from(orders);
    expect(order).toMatchObject({ creditCents: 2000, amountDueCents: 5500 });
    const [coupon] = double.received.filter((r) => r.path === "/v1/coupons");
    expect(coupon!.form.get("amount_off")).toBe("2000");
    expect(coupon!.headers["idempotency-key"]).toBe(`credit-coupon:${order!.id}`);
    const [session] = double.received.filter((r) => r.path === "/v1/checkout/sessions");
    expect(session!.form.get("discounts[0][coupon]")).toMatch(/^coupon_/);
  });
});

describe("the Stripe webhook", () => {
  async function pendingOrder(options: { credit?: number } = {}) {
    const ctx = await buyerWithCart(options);
    await checkout(ctx.buyer.cookie, options.credit ? { useCredit: "on" } : {});
    const [order] = await db.select().from(orders).where(eq(orders.buyerId, ctx.buyer.user.id));
    return { ...ctx, orderId: order!.id };
  }
  const royaltiesOf = (userId: string) => db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));

  it("refuses a bad signature or a tampered body and changes nothing", async () => {
    const { orderId } = await pendingOrder();
    expect((await deliver(completed(orderId), { secret: "whsec_someone_else" })).status).toBe(400);
    expect((await deliver(completed(orderId), { tamper: true })).status).toBe(400);
    expect((await db.select().from(orders))[0]!.status).toBe("pending_payment");
    expect(await db.select().from(stripeEvents)).toHaveLength(0);
  });

  it("marks the order paid once, however often the event is delivered", async () => {
    const { orderId, designer } = await pendingOrder();
    const first = await deliver(completed(orderId));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, outcome: "paid" });
    expect(await (await deliver(completed(orderId))).json()).toEqual({ received: true, outcome: "duplicate" });
    // A different event id for the same payment (Stripe retries can differ) is still harmless.
    expect(await (await deliver(completed(orderId, 2))).json()).toEqual({ received: true, outcome: "already-paid" });
    expect((await db.select().from(orders))[0]).toMatchObject({ status: "paid", providerReference: `pi_${orderId}` });
    expect((await royaltiesOf(designer.id)).map((e) => e.amountCents)).toEqual([750]);
  });

  it("handles a refund that arrives before the payment confirmation", async () => {
    const { orderId, designer } = await pendingOrder();
    expect(await (await deliver(refunded(orderId))).json()).toEqual({ received: true, outcome: "refunded" });
    expect(await (await deliver(completed(orderId))).json()).toEqual({ received: true, outcome: "not-payable" });
    expect((await db.select().from(orders))[0]!.status).toBe("refunded");
    expect(await royaltiesOf(designer.id)).toHaveLength(0);
  });

  it("reverses royalties on a refund after they cleared", async () => {
    const { orderId, designer } = await pendingOrder();
    await deliver(completed(orderId));
    await db
      .update(ledgerEntries)
      .set({ clearsAt: new Date(Date.now() - 1000) })
      .where(eq(ledgerEntries.userId, designer.id));
    expect(await (await deliver(refunded(orderId))).json()).toEqual({ received: true, outcome: "refunded" });
    expect((await royaltiesOf(designer.id)).map((e) => `${e.kind}:${e.amountCents}`).sort()).toEqual([
      "royalty:750",
      "royalty_reversal:-750",
    ]);
  });

  it("refunds through Stripe when an admin refunds a Stripe order", async () => {
    const { orderId, designer } = await pendingOrder();
    await deliver(completed(orderId));
    const admin = await createLoggedInUser({ role: "admin" });
    double.received.length = 0;
    const result = await refundAsAdmin(orderId, admin.cookie);
    expect(result.status).toBe(302);
    const [refund] = double.received.filter((r) => r.path === "/v1/refunds");
    expect(refund!.form.get("payment_intent")).toBe(`pi_${orderId}`);
    expect(refund!.form.get("amount")).toBe("7500");
    expect(refund!.headers["idempotency-key"]).toBe(`refund:${orderId}:7500`);
    expect((await db.select().from(orders).where(eq(orders.id, orderId)))[0]!.status).toBe("refunded");
    // Stripe's own charge.refunded arrives afterwards and changes nothing.
    expect(await (await deliver(refunded(orderId))).json()).toEqual({ received: true, outcome: "already-refunded" });
    expect((await royaltiesOf(designer.id)).map((e) => e.amountCents).sort()).toEqual([-750, 750]);
  });

  const adminRefund = refundAsAdmin;
  const creditReleases = (userId: string) =>
    db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.userId, userId))
      .then((rows) => rows.filter((e) => e.kind === "credit_released"));

  it("an admin refund, its replay and Stripe's events for it reverse royalties and return credit once", async () => {
    const { orderId, designer, buyer } = await pendingOrder({ credit: 2000 });
    await deliver(completed(orderId));
    const { availableCredit } = await import("~/domain/ledger.server");
    expect(await availableCredit(db, buyer.user.id, new Date())).toBe(0);
    const admin = await createLoggedInUser({ role: "admin" });
    double.received.length = 0;
    expect((await adminRefund(orderId, admin.cookie)).status).toBe(302);
    const replay = await adminRefund(orderId, admin.cookie);
    expect(replay.status).toBe(302);
    expect((await toastFrom(replay.response!))?.title).toBe("This order was already refunded");
    // One refund asked of Stripe, for the card part only: the replay finds the order refunded.
    const refunds = double.received.filter((r) => r.path === "/v1/refunds");
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.form.get("payment_intent")).toBe(`pi_${orderId}`);
    // Stripe's event for that refund, delivered twice and once more under another id.
    expect(await (await deliver(refunded(orderId))).json()).toEqual({ received: true, outcome: "already-refunded" });
    expect(await (await deliver(refunded(orderId))).json()).toEqual({ received: true, outcome: "duplicate" });
    const again = { ...refunded(orderId), id: `evt_refunded_again_${orderId}` };
    expect(await (await deliver(again)).json()).toEqual({ received: true, outcome: "already-refunded" });

    expect((await royaltiesOf(designer.id)).map((e) => `${e.kind}:${e.amountCents}`).sort()).toEqual([
      "royalty:750",
      "royalty_reversal:-750",
    ]);
    expect((await creditReleases(buyer.user.id)).map((e) => e.amountCents)).toEqual([2000]);
    expect(await availableCredit(db, buyer.user.id, new Date())).toBe(2000);
  });

  it("a refund made in Stripe first leaves nothing for a later admin refund to do", async () => {
    const { orderId, designer, buyer } = await pendingOrder({ credit: 2000 });
    await deliver(completed(orderId));
    expect(await (await deliver(refunded(orderId))).json()).toEqual({ received: true, outcome: "refunded" });
    const admin = await createLoggedInUser({ role: "admin" });
    double.received.length = 0;
    const result = await adminRefund(orderId, admin.cookie);
    expect(result.status).toBe(302);
    expect(double.received.filter((r) => r.path === "/v1/refunds")).toHaveLength(0);
    expect((await royaltiesOf(designer.id)).map((e) => e.amountCents).sort()).toEqual([-750, 750]);
    expect((await creditReleases(buyer.user.id)).map((e) => e.amountCents)).toEqual([2000]);
  });

  it("applies a part refund made in Stripe: the royalty's share reversed, then the rest, in any order, once", async () => {
    const { orderId, designer } = await pendingOrder();
    await deliver(completed(orderId));
    expect(await (await deliver(partlyRefunded(orderId, 2500))).json()).toEqual({
      received: true,
      outcome: "partly-refunded",
    });
    expect((await db.select().from(orders))[0]).toMatchObject({ status: "paid", refundedCardCents: 2500 });
    // A third of a 750 royalty.
    expect((await royaltiesOf(designer.id)).map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([-250, 750]);
    // The designer's page adds up: the royalty and its reversal both wait out the refund window.
    const { createSession } = await import("~/lib/session.server");
    const { loader: royaltiesLoader } = await import("~/routes/account_.royalties");
    const cookie = `ct_session=${encodeURIComponent(await createSession(designer.id, "test-agent"))}`;
    const page = await settle(() =>
      royaltiesLoader({ request: getRequest("/account/royalties", { cookie }), params: {}, context: context() }),
    );
    expect(page.data.summary).toMatchObject({ pendingCents: 500, availableCents: 0, clearedEarningsCents: 0 });
    expect(await (await deliver(partlyRefunded(orderId, 7500))).json()).toEqual({
      received: true,
      outcome: "refunded",
    });
    // The first event again, late and under another id: it reports less than is refunded, so nothing moves.
    const late = { ...partlyRefunded(orderId, 2500), id: `evt_late_${orderId}` };
    expect(await (await deliver(late)).json()).toEqual({ received: true, outcome: "already-refunded" });
    expect((await db.select().from(orders))[0]).toMatchObject({ status: "refunded", refundedCardCents: 7500 });
    expect((await royaltiesOf(designer.id)).map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([-500, -250, 750]);
  });

  it("an admin's part refund splits card and credit as the order was paid; Stripe's event for it adds nothing", async () => {
    const { orderId, designer, buyer } = await pendingOrder({ credit: 2000 });
    await deliver(completed(orderId));
    const { refundOrder } = await import("~/domain/orders.server");
    double.received.length = 0;
    // $75.00 paid: $55.00 by card and $20.00 with credit. Refund $15.00: $11.00 to the card, $4.00 as credit.
    expect(await refundOrder(orderId, { actorId: null, amountCents: 1500 })).toEqual({
      ok: true,
      value: "partly-refunded",
    });
    const [refund] = double.received.filter((r) => r.path === "/v1/refunds");
    expect(refund!.form.get("amount")).toBe("1100");
    expect(refund!.headers["idempotency-key"]).toBe(`refund:${orderId}:1100`);
    expect((await db.select().from(orders))[0]).toMatchObject({
      status: "paid",
      refundedCardCents: 1100,
      refundedCreditCents: 400,
    });
    expect((await creditReleases(buyer.user.id)).map((e) => e.amountCents)).toEqual([400]);
    expect((await royaltiesOf(designer.id)).map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([-150, 750]);
    expect(await (await deliver(partlyRefunded(orderId, 1100, 5500))).json()).toEqual({
      received: true,
      outcome: "already-refunded",
    });
    // More than is left is refused and changes nothing.
    expect(await refundOrder(orderId, { actorId: null, amountCents: 6001 })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "amount",
    });
    // The rest, with no amount: everything left of each part.
    expect(await refundOrder(orderId, { actorId: null })).toEqual({ ok: true, value: "refunded" });
    expect((await db.select().from(orders))[0]).toMatchObject({
      status: "refunded",
      refundedCardCents: 5500,
      refundedCreditCents: 2000,
    });
    expect((await creditReleases(buyer.user.id)).map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([400, 1600]);
    expect((await royaltiesOf(designer.id)).map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([-600, -150, 750]);
  });

  it("cancels an expired session and gives back the reserved credit", async () => {
    const { orderId, buyer } = await pendingOrder({ credit: 2000 });
    const { availableCredit } = await import("~/domain/ledger.server");
    expect(await availableCredit(db, buyer.user.id, new Date())).toBe(0);
    expect(await (await deliver(expired(orderId))).json()).toEqual({ received: true, outcome: "cancelled" });
    expect((await db.select().from(orders).where(eq(orders.id, orderId)))[0]!.status).toBe("cancelled");
    expect(await availableCredit(db, buyer.user.id, new Date())).toBe(2000);
    // Expiry after payment does nothing.
    const paid = await pendingOrder();
    await deliver(completed(paid.orderId));
    expect(await (await deliver(expired(paid.orderId))).json()).toEqual({ received: true, outcome: "not-cancellable" });
  });
});

describe("payouts through Stripe Connect", () => {
  it("connects an Express account, then transfers the cleared balance once", async () => {
    const designer = await createLoggedInUser();
    await db.insert(ledgerEntries).values({
      userId: designer.user.id,
      kind: "prize",
      amountCents: 4200,
      currency: "usd",
      causeKey: `test:payout:${designer.user.id}`,
    });
    const { action } = await import("~/routes/account_.payouts");
    const send = (intent: string) =>
      settle(() =>
        action({
          request: formRequest("/account/payouts", { intent }, { cookie: designer.cookie }),
          params: {},
          context: context(),
        }),
      );
    double.received.length = 0;

    const notYet = await send("request");
    expect(notYet.status).toBe(302);
    expect(await db.select().from(payoutRequests)).toHaveLength(0);

    const connect = await send("connect");
    expect(connect.response!.headers.get("Location")).toMatch(
      /^https:\/\/connect\.stripe\.test\/setup\/acct_test_\d+$/,
    );
    const [account] = double.received.filter((r) => r.path === "/v1/accounts");
    expect(account!.form.get("type")).toBe("express");
    expect(account!.form.get("metadata[userId]")).toBe(designer.user.id);
    const [link] = double.received.filter((r) => r.path === "/v1/account_links");
    expect(link!.form.get("type")).toBe("account_onboarding");
    expect(link!.form.get("return_url")).toBe("http://localhost:3000/account/payouts?connect=done");

    await send("request");
    const [payout] = await db.select().from(payoutRequests);
    expect(payout).toMatchObject({ status: "paid", amountCents: 4200, provider: "stripe" });
    const [transfer] = double.received.filter((r) => r.path === "/v1/transfers");
    expect(transfer!.form.get("amount")).toBe("4200");
    expect(transfer!.form.get("destination")).toMatch(/^acct_test_/);
    expect(transfer!.headers["idempotency-key"]).toBe(`payout:${payout!.id}`);
    const { availableCredit } = await import("~/domain/ledger.server");
    expect(await availableCredit(db, designer.user.id, new Date())).toBe(0);
    // Nothing left to pay out: a second request is refused.
    await send("request");
    expect(await db.select().from(payoutRequests)).toHaveLength(1);
  });

  it("returns the money to the balance when the transfer fails", async () => {
    const designer = await createUser();
    await db.update(users).set({ stripeAccountId: "acct_broken" }).where(eq(users.id, designer.id));
    await db.insert(ledgerEntries).values({
      userId: designer.id,
      kind: "prize",
      amountCents: 3000,
      currency: "usd",
      causeKey: `test:broken:${designer.id}`,
    });
    const { requestPayout } = await import("~/domain/payouts.server");
    const { stripeTransfer } = await import("~/lib/payments.server");
    const result = await requestPayout(designer.id, { transfer: stripeTransfer });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Stripe could not send the payout/) });
    const [payout] = await db.select().from(payoutRequests);
    expect(payout!.status).toBe("failed");
    const { availableCredit } = await import("~/domain/ledger.server");
    expect(await availableCredit(db, designer.id, new Date())).toBe(3000);
  });
});
