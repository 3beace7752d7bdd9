import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { cartItems, carts, ledgerEntries, orderItems, orders, products, productVariants } from "#db/schema";
import {
  createLoggedInUser,
  createUser,
  createWinningDesign,
  DEFAULT_PASSWORD,
  shipFreelyTo,
} from "#tests/factories/index";
import { refundAsAdmin } from "#tests/support/admin-orders";
import { context, cookiesFrom, formRequest, getRequest, settle } from "#tests/support/requests";
import { cancelOrder, markOrderPaid, placeOrder, refundOrder } from "~/domain/orders.server";
import { listProducts } from "~/domain/shop.server";
import { db } from "~/lib/db.server";
import { action as checkoutAction } from "~/routes/checkout";
import { action as loginAction } from "~/routes/login";
import { action as payAction } from "~/routes/orders.$id_.pay";
import { loader as cartLoader } from "~/routes/cart";
import { action as addAction } from "~/routes/shop.$productId";

// Shipping and tax have their own tests (checkout-money.test.ts): here the shop ships to the UK for free.
beforeEach(async () => {
  await shipFreelyTo("GB");
});

/** A finalized round whose single winner is in the shop as a tee and a poster. */
async function shopWithWinner() {
  const designer = await createLoggedInUser();
  const { tee } = await createWinningDesign({
    title: "Owl Night",
    seed: 700,
    designerId: designer.user.id,
    round: { prizeCents: 0, royaltyBps: 1500 },
  });
  const variants = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id));
  const medium = variants.find((v) => v.size === "M")!;
  const xxl = variants.find((v) => v.size === "2XL")!;
  return { designer, tee, medium, xxl };
}

const shipping = {
  name: "Ada Lovelace",
  line1: "12 Analytical Way",
  line2: "",
  city: "London",
  region: "",
  postalCode: "N1 9GU",
  country: "GB",
};

/** Posts the product page's "Add to cart" form, as a visitor (no cookie) or a member. */
function postAddToCart(productId: string, cookie: string | undefined, variantId: string, quantity: string) {
  return settle(() =>
    addAction({
      request: formRequest(`/shop/${productId}`, { intent: "add-to-cart", variantId, quantity }, { cookie }),
      params: { productId },
      context: context(),
    }),
  );
}

describe("cart and checkout", () => {
  it("keeps a guest's cart in a cookie and merges it at log-in", async () => {
    const { tee, medium, xxl } = await shopWithWinner();
    const add = (cookie: string | undefined, variantId: string, quantity: string) =>
      postAddToCart(tee.id, cookie, variantId, quantity);

    const first = await add(undefined, medium.id, "2");
    expect(first.status).toBe(302);
    const guestCookie = cookiesFrom(first.response!)
      .split("; ")
      .find((c) => c.startsWith("ct_cart="))!;
    expect(guestCookie).toBeTruthy();
    await add(guestCookie, xxl.id, "1");
    const guestView = await settle(() =>
      cartLoader({ request: getRequest("/cart", { cookie: guestCookie }), params: {}, context: context() }),
    );
    expect(guestView.data.itemCount).toBe(3);
    expect(guestView.data.subtotalCents).toBe(2 * 2500 + 2800);

    // The member already has one M in their own cart.
    const buyer = await createLoggedInUser({ email: "buyer@example.test", username: "buyer" });
    await add(buyer.cookie, medium.id, "1");
    const login = await settle(() =>
      loginAction({
        request: formRequest(
          "/login",
          { email: "buyer@example.test", password: DEFAULT_PASSWORD },
          { cookie: guestCookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(login.status).toBe(302);
    expect(login.response!.headers.getSetCookie().some((c) => c.startsWith("ct_cart=;"))).toBe(true);
    const merged = await settle(() =>
      cartLoader({ request: getRequest("/cart", { cookie: buyer.cookie }), params: {}, context: context() }),
    );
    expect(merged.data.lines.map((l: { size: string; quantity: number }) => `${l.size}×${l.quantity}`).sort()).toEqual([
      "2XL×1",
      "M×3",
    ]);
    expect(await db.select().from(carts)).toHaveLength(1);
  });

  it("places an order with the prices of that moment, then pays each royalty once", async () => {
    const { designer, tee, medium, xxl } = await shopWithWinner();
    const buyer = await createLoggedInUser();
    for (const [variantId, quantity] of [
      [medium.id, "2"],
      [xxl.id, "1"],
    ] as const) {
      await postAddToCart(tee.id, buyer.cookie, variantId, quantity);
    }
    const placed = await settle(() =>
      checkoutAction({
        request: formRequest("/checkout", shipping, { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(placed.status).toBe(302);
    const [order] = await db.select().from(orders);
    expect(placed.response!.headers.get("Location")).toBe(`/orders/${order!.id}/pay`);
    expect(order).toMatchObject({
      status: "pending_payment",
      subtotalCents: 7800,
      amountDueCents: 7800,
      shippingCity: "London",
      shippingCountry: "GB",
      provider: "local",
    });
    expect(await db.select().from(cartItems)).toHaveLength(0);

    // A later price change does not touch the order.
    await db.update(productVariants).set({ priceCents: 9900 }).where(eq(productVariants.id, medium.id));
    const items = await db.select().from(orderItems).where(eq(orderItems.orderId, order!.id));
    expect(items.map((i) => `${i.size}:${i.unitPriceCents}×${i.quantity}@${i.royaltyBps}`).sort()).toEqual([
      "2XL:2800×1@1500",
      "M:2500×2@1500",
    ]);

    // Someone else cannot pay (or see) it.
    const stranger = await createLoggedInUser();
    expect(
      (
        await settle(() =>
          payAction({
            request: formRequest(`/orders/${order!.id}/pay`, {}, { cookie: stranger.cookie }),
            params: { id: order!.id },
            context: context(),
          }),
        )
      ).status,
    ).toBe(404);

    const paid = await settle(() =>
      payAction({
        request: formRequest(`/orders/${order!.id}/pay`, {}, { cookie: buyer.cookie }),
        params: { id: order!.id },
        context: context(),
      }),
    );
    expect(paid.status).toBe(302);
    expect((await db.select().from(orders))[0]).toMatchObject({ status: "paid" });
    // Replayed confirmations change nothing.
    expect(await markOrderPaid(order!.id, { reference: "replay" })).toEqual({ ok: true, value: "already-paid" });
    await Promise.all([markOrderPaid(order!.id, { reference: "a" }), markOrderPaid(order!.id, { reference: "b" })]);

    const royalties = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, designer.user.id));
    // 15% of 5000 = 750 and of 2800 = 420, pending for the refund window.
    expect(royalties.map((r) => r.amountCents).sort()).toEqual([420, 750]);
    for (const r of royalties) {
      expect(r.kind).toBe("royalty");
      expect(r.clearsAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    }
    expect(royalties.map((r) => r.causeKey).sort()).toEqual(items.map((i) => `royalty:${i.id}`).sort());
  });

  it("refuses an empty cart and a bad address, and stores nothing", async () => {
    const { tee, medium } = await shopWithWinner();
    const buyer = await createLoggedInUser();
    const { loader } = await import("~/routes/checkout");
    const empty = await settle(() =>
      loader({ request: getRequest("/checkout", { cookie: buyer.cookie }), params: {}, context: context() }),
    );
    expect(empty.status).toBe(302);
    expect(empty.response!.headers.get("Location")).toBe("/cart");
    await postAddToCart(tee.id, buyer.cookie, medium.id, "1");
    const bad = await settle(() =>
      checkoutAction({
        request: formRequest("/checkout", { ...shipping, city: "", country: "Narnia" }, { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.result.error.city).toEqual(["Enter the city"]);
    expect(bad.data.result.error.country).toEqual(["Choose the country"]);
    expect(await db.select().from(orders)).toHaveLength(0);
    const badAdd = await postAddToCart(tee.id, buyer.cookie, medium.id, "50");
    expect(badAdd.status).toBe(400);
  });

  it("sorts the shop by units sold", async () => {
    const { tee } = await shopWithWinner();
    const [poster] = await db.select().from(products).where(eq(products.type, "poster"));
    const newestFirst = (await listProducts({ sort: "newest" })).items.map((p) => p.id);
    expect(newestFirst).toHaveLength(2);
    const buyer = await createUser();
    const [order] = await db
      .insert(orders)
      .values({
        buyerId: buyer.id,
        status: "pending_payment",
        currency: "usd",
        subtotalCents: 1800,
        amountDueCents: 1800,
        shippingName: "x",
        shippingLine1: "x",
        shippingCity: "x",
        shippingPostalCode: "x",
        shippingCountry: "GB",
        provider: "local",
      })
      .returning();
    const [posterVariant] = await db.select().from(productVariants).where(eq(productVariants.productId, poster!.id));
    await db.insert(orderItems).values({
      orderId: order!.id,
      productId: poster!.id,
      variantId: posterVariant!.id,
      designerId: poster!.designerId,
      title: "x",
      productType: "poster",
      size: "x",
      unitPriceCents: 1800,
      quantity: 3,
      royaltyBps: 1500,
    });
    // Sales count once the order is paid, through the one "order paid" step.
    expect((await listProducts({ sort: "best-selling" })).items.map((p) => p.unitsSold)).toEqual([0, 0]);
    expect((await markOrderPaid(order!.id, { reference: "test" })).ok).toBe(true);
    const best = (await listProducts({ sort: "best-selling" })).items;
    expect(best.map((p) => p.id)).toEqual([poster!.id, tee.id]);
    expect(best[0]!.unitsSold).toBe(3);
    expect((await listProducts({ type: "tee" })).items.map((p) => p.id)).toEqual([tee.id]);
  });
});

describe("after the sale", () => {
  async function paidOrder() {
    const ctx = await shopWithWinner();
    const buyer = await createLoggedInUser();
    await postAddToCart(ctx.tee.id, buyer.cookie, ctx.medium.id, "2");
    await settle(() =>
      checkoutAction({
        request: formRequest("/checkout", shipping, { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    const [order] = await db.select().from(orders);
    await markOrderPaid(order!.id, { reference: "test" });
    return { ...ctx, buyer, orderId: order!.id };
  }

  it("a refund reverses the royalties once, and the designer's balance shows it", async () => {
    const { designer, orderId } = await paidOrder();
    const { loader } = await import("~/routes/account_.royalties");
    const summary = async () =>
      (
        await settle(() =>
          loader({
            request: getRequest("/account/royalties", { cookie: designer.cookie }),
            params: {},
            context: context(),
          }),
        )
      ).data.summary;
    const before = await summary();
    expect(before.pendingCents).toBe(750);
    const admin = await createLoggedInUser({ role: "admin" });
    const refund = () => refundAsAdmin(orderId, admin.cookie);
    expect((await refund()).status).toBe(302);
    expect((await refund()).status).toBe(302);
    expect((await db.select().from(orders))[0]).toMatchObject({ status: "refunded" });
    const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, designer.user.id));
    expect(entries.map((e) => `${e.kind}:${e.amountCents}`).sort()).toEqual(["royalty:750", "royalty_reversal:-750"]);
    // A payment confirmation arriving after the refund changes nothing.
    expect(await markOrderPaid(orderId, { reference: "late" })).toMatchObject({ ok: false, code: "conflict" });
    const page = await settle(() =>
      loader({
        request: getRequest("/account/royalties", { cookie: designer.cookie }),
        params: {},
        context: context(),
      }),
    );
    // The refunded royalty leaves Pending; Available is not charged for it a second time.
    expect(page.data.summary).toMatchObject({ pendingCents: 0, availableCents: before.availableCents });
    expect(page.data.entries.items.map((e: { kind: string; status: string }) => `${e.kind}:${e.status}`)).toEqual([
      "royalty_reversal:pending",
      "royalty:pending",
    ]);
    expect(page.data.sales).toEqual([expect.objectContaining({ unitsSold: null, unitsRefunded: 2 })]);
  });

  it("moves an order through fulfilment; shipping needs a tracking number; members are refused", async () => {
    const { orderId, buyer } = await paidOrder();
    const admin = await createLoggedInUser({ role: "admin" });
    const { action: adminOrders } = await import("~/routes/admin.orders");
    const send = (cookie: string, fields: Record<string, string>) =>
      settle(() =>
        adminOrders({
          request: formRequest("/admin/orders", { intent: "fulfilment", orderId, ...fields }, { cookie }),
          params: {},
          context: context(),
        }),
      );
    expect((await send(buyer.cookie, { fulfilment: "delivered" })).status).toBe(403);
    await send(admin.cookie, { fulfilment: "shipped" });
    expect((await db.select().from(orders))[0]).toMatchObject({ fulfilment: "unfulfilled" });
    await send(admin.cookie, { fulfilment: "shipped", trackingNumber: "1Z999AA10123456784" });
    expect((await db.select().from(orders))[0]).toMatchObject({
      fulfilment: "shipped",
      trackingNumber: "1Z999AA10123456784",
    });
    const { loader } = await import("~/routes/orders.$id");
    const seen = await settle(() =>
      loader({
        request: getRequest(`/orders/${orderId}`, { cookie: buyer.cookie }),
        params: { id: orderId },
        context: context(),
      }),
    );
    expect(seen.data.order).toMatchObject({
      status: "paid",
      fulfilment: "shipped",
      trackingNumber: "1Z999AA10123456784",
    });
  });
});

describe("store credit", () => {
  async function creditOf(userId: string) {
    const { availableCredit } = await import("~/domain/ledger.server");
    return availableCredit(db, userId, new Date());
  }
  async function grantCredit(userId: string, cents: number, key: string) {
    await db
      .insert(ledgerEntries)
      .values({ userId, kind: "prize", amountCents: cents, currency: "usd", causeKey: `test:${key}` });
  }
  async function cartWith(userId: string, variantId: string, quantity: number) {
    const { addToCart, cartOfUser, createGuestCart } = await import("~/domain/cart.server");
    const cartId = quantity > 0 ? await createGuestCart() : await cartOfUser(userId);
    await addToCart(cartId, variantId, quantity);
    return cartId;
  }

  it("pays a whole order with credit, with no payment step", async () => {
    const { medium } = await shopWithWinner();
    const buyer = await createLoggedInUser();
    await grantCredit(buyer.user.id, 6000, "a");
    const { addToCart, cartOfUser } = await import("~/domain/cart.server");
    await addToCart(await cartOfUser(buyer.user.id), medium.id, 2);
    const placed = await settle(() =>
      checkoutAction({
        request: formRequest("/checkout", { ...shipping, useCredit: "on" }, { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    const [order] = await db.select().from(orders);
    expect(placed.response!.headers.get("Location")).toBe(`/orders/${order!.id}`);
    expect(order).toMatchObject({
      status: "paid",
      subtotalCents: 5000,
      creditCents: 5000,
      amountDueCents: 0,
      providerReference: "store-credit",
    });
    expect(await creditOf(buyer.user.id)).toBe(1000);
  });

  it("pays part with credit; cancelling returns it, and so does a refund", async () => {
    const { medium } = await shopWithWinner();
    const buyer = await createUser();
    await grantCredit(buyer.id, 1000, "b");
    const first = await placeOrder(buyer.id, await cartWith(buyer.id, medium.id, 1), shipping, { useCredit: true });
    const [pending] = await db.select().from(orders);
    expect(pending).toMatchObject({ status: "pending_payment", creditCents: 1000, amountDueCents: 1500 });
    expect(await creditOf(buyer.id)).toBe(0);
    expect(await cancelOrder(first.ok ? first.value.orderId : "")).toEqual({ ok: true, value: undefined });
    expect(await cancelOrder(pending!.id)).toMatchObject({ ok: false, code: "conflict" });
    expect(await creditOf(buyer.id)).toBe(1000);

    const second = await placeOrder(buyer.id, await cartWith(buyer.id, medium.id, 1), shipping, { useCredit: true });
    const secondId = second.ok ? second.value.orderId : "";
    expect(await markOrderPaid(secondId, { reference: "card" })).toEqual({ ok: true, value: "paid" });
    expect(await creditOf(buyer.id)).toBe(0);
    expect(await refundOrder(secondId, { actorId: null })).toEqual({ ok: true, value: "refunded" });
    expect(await refundOrder(secondId, { actorId: null })).toEqual({ ok: true, value: "already-refunded" });
    expect(await creditOf(buyer.id)).toBe(1000);
  });

  it("cannot be spent twice by two checkouts at once", async () => {
    const { medium } = await shopWithWinner();
    const buyer = await createUser();
    await grantCredit(buyer.id, 5000, "c");
    const carts = await Promise.all([cartWith(buyer.id, medium.id, 2), cartWith(buyer.id, medium.id, 2)]);
    const results = await Promise.all(
      carts.map((cartId) => placeOrder(buyer.id, cartId, shipping, { useCredit: true })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const placed = await db.select().from(orders);
    expect(placed.map((o) => o.creditCents).sort((a, b) => a - b)).toEqual([0, 5000]);
    expect(placed.map((o) => o.status).sort()).toEqual(["paid", "pending_payment"]);
    const spent = await db.select().from(ledgerEntries).where(eq(ledgerEntries.kind, "credit_spent"));
    expect(spent.map((e) => e.amountCents)).toEqual([-5000]);
    expect(await creditOf(buyer.id)).toBe(0);
  });

  it("never double-counts and never goes below zero, whatever the sequence (property)", async () => {
    const { medium } = await shopWithWinner();
    type Op =
      | { kind: "grant"; cents: number }
      | { kind: "order"; qty: number; credit: boolean }
      | { kind: "pay" | "cancel" | "refund" | "replay"; pick: number }
      | { kind: "payout"; decline: boolean };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("grant" as const), cents: fc.integer({ min: 1, max: 9000 }) }),
      fc.record({ kind: fc.constant("order" as const), qty: fc.integer({ min: 1, max: 3 }), credit: fc.boolean() }),
      fc.record({
        kind: fc.constantFrom("pay" as const, "cancel" as const, "refund" as const, "replay" as const),
        pick: fc.nat(),
      }),
      fc.record({ kind: fc.constant("payout" as const), decline: fc.boolean() }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        run += 1;
        const buyer = await createUser();
        const placed: string[] = [];
        let granted = 0;
        for (const [i, o] of ops.entries()) {
          if (o.kind === "grant") {
            await grantCredit(buyer.id, o.cents, `${run}-${i}`);
            granted += o.cents;
          } else if (o.kind === "order") {
            const result = await placeOrder(buyer.id, await cartWith(buyer.id, medium.id, o.qty), shipping, {
              useCredit: o.credit,
            });
            if (result.ok) placed.push(result.value.orderId);
          } else if (o.kind === "payout") {
            const { requestPayout, rejectPayout } = await import("~/domain/payouts.server");
            const payout = await requestPayout(buyer.id, {
              destination: { method: "paypal", email: "buyer@example.com" },
            });
            if (payout.ok && o.decline) await rejectPayout(payout.value.payoutId, buyer.id, "declined in test");
          } else if (placed.length) {
            const id = placed[o.pick % placed.length]!;
            if (o.kind === "pay") await markOrderPaid(id, { reference: "p" });
            if (o.kind === "cancel") await cancelOrder(id);
            if (o.kind === "refund") await refundOrder(id, { actorId: null });
            if (o.kind === "replay") {
              await markOrderPaid(id, { reference: "again" });
              await refundOrder(id, { actorId: null });
              await cancelOrder(id);
            }
          }
          expect(await creditOf(buyer.id)).toBeGreaterThanOrEqual(0);
        }
        // What is held in credit equals grants minus the credit of orders that kept it.
        const mine = placed.length ? await db.select().from(orders).where(eq(orders.buyerId, buyer.id)) : [];
        const kept = mine
          .filter((o) => o.status === "paid" || o.status === "pending_payment")
          .reduce((n, o) => n + o.creditCents, 0);
        const { payoutsFor } = await import("~/domain/payouts.server");
        const paidOut = (await payoutsFor(buyer.id, { size: 1000 })).items
          .filter((p) => p.status === "requested" || p.status === "paid")
          .reduce((n, p) => n + p.amountCents, 0);
        expect(await creditOf(buyer.id)).toBe(granted - kept - paidOut);
        // Every ledger line has its own cause; nothing was written twice.
        const lines = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, buyer.id));
        expect(new Set(lines.map((l) => l.causeKey)).size).toBe(lines.length);
      }),
      { numRuns: 12 },
    );
  });
});

describe("at the edge", () => {
  it("answers a malformed order id with 404 before any query, on every order route", async () => {
    const buyer = await createLoggedInUser();
    const { loader: orderLoader, action: orderAction } = await import("~/routes/orders.$id");
    const { loader: payLoader } = await import("~/routes/orders.$id_.pay");
    for (const id of ["%00", "\u0000", "not-an-order", "1; drop table orders", "a".repeat(300)]) {
      const path = `/orders/${encodeURIComponent(id)}`;
      const calls = [
        () => orderLoader({ request: getRequest(path, { cookie: buyer.cookie }), params: { id }, context: context() }),
        () =>
          orderAction({
            request: formRequest(path, { intent: "cancel" }, { cookie: buyer.cookie }),
            params: { id },
            context: context(),
          }),
        () =>
          payLoader({
            request: getRequest(`${path}/pay`, { cookie: buyer.cookie }),
            params: { id },
            context: context(),
          }),
        () =>
          payAction({
            request: formRequest(`${path}/pay`, {}, { cookie: buyer.cookie }),
            params: { id },
            context: context(),
          }),
      ];
      for (const call of calls) expect((await settle(call)).status).toBe(404);
    }
  });

  it("refuses garbage forms with a 4xx and reads an unknown admin filter as 'all'", async () => {
    const { tee, medium } = await shopWithWinner();
    const buyer = await createLoggedInUser();
    const admin = await createLoggedInUser({ role: "admin" });
    await postAddToCart(tee.id, buyer.cookie, medium.id, "1");
    const nul = await settle(() =>
      checkoutAction({
        request: formRequest("/checkout", { ...shipping, name: "Grace\u0000" }, { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(nul.status).toBe(400);
    expect(nul.data.result.error.name).toEqual(["Remove the invisible control characters from this text"]);
    expect(await db.select().from(orders)).toHaveLength(0);

    const { action: cartAction } = await import("~/routes/cart");
    const garbage: Record<string, string>[] = [
      { intent: "explode" },
      { intent: "update", variantId: medium.id, quantity: "-4" },
      {},
    ];
    for (const form of garbage) {
      const answer = await settle(() =>
        cartAction({ request: formRequest("/cart", form, { cookie: buyer.cookie }), params: {}, context: context() }),
      );
      expect(answer.status).toBe(400);
    }

    const { loader: adminLoader, action: adminAction } = await import("~/routes/admin.orders");
    const refused: Record<string, string>[] = [{ intent: "refund", orderId: "%00" }, { intent: "explode" }];
    for (const form of refused) {
      const answer = await settle(() =>
        adminAction({
          request: formRequest("/admin/orders", form, { cookie: admin.cookie }),
          params: {},
          context: context(),
        }),
      );
      expect(answer.status).toBe(400);
    }
    await settle(() =>
      checkoutAction({
        request: formRequest("/checkout", shipping, { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    const listed = await settle(() =>
      adminLoader({
        request: getRequest("/admin/orders?status=%00", { cookie: admin.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(listed.status).toBe(200);
    expect(listed.data.orders.items).toHaveLength(1);
  });
});
