import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { cartItems, type FULFILMENT_STATUSES, ledgerEntries, orderItems, orders, users } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { formatMoney } from "~/lib/format";
import { paymentsProvider, refundStripePayment } from "~/lib/payments.server";
import { recordAudit } from "./audit.server";
import { cartContents } from "./cart.server";
import { availableCredit } from "./ledger.server";
import { royaltyCents } from "./money";
import { fail, ok, type Outcome } from "./outcome";
import { queueFulfilment } from "./fulfilment.server";
import { notify } from "./notifications.server";
import { orderListCondition } from "./order-admin.server";
import type { OrderListFilter } from "./order-filters";
import {
  tellBuyerOrderCancelled,
  tellBuyerOrderPaid,
  tellBuyerOrderRefunded,
  tellBuyerOrderShipped,
} from "./order-messages.server";
import { PRODUCT_TYPE_LABELS } from "./products";
import { trackingUrlFor } from "./tracking";

export type ShippingAddress = {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
};

export type PlacedOrder = { orderId: string; /** Store credit covered it all: nothing left to pay. */ paid: boolean };

/**
 * Turns a cart into an order awaiting payment. Prices, titles and royalty
 * rates are copied onto the order items now, so later changes in the shop
 * never change what was bought or what the designer earns from it.
 */
export async function placeOrder(
  buyerId: string,
  cartId: string,
  shipping: ShippingAddress,
  options: { provider?: "local" | "stripe"; useCredit?: boolean; now?: Date } = {},
): Promise<Outcome<PlacedOrder>> {
  const provider = options.provider ?? "local";
  const now = options.now ?? new Date();
  const placed = await db.transaction(async (tx) => {
    const { lines, subtotalCents } = await cartContents(cartId, tx);
    if (lines.length === 0) return fail("conflict", "Your cart is empty.");
    if (lines.some((l) => !l.active))
      return fail("conflict", "Something in your cart is no longer in the shop; remove it to continue.");
    const currencies = new Set(lines.map((l) => l.currency));
    if (currencies.size > 1) return fail("conflict", "Items in different currencies must be bought separately.");
    let creditCents = 0;
    if (options.useCredit) {
      // One spender at a time per member: the balance read here cannot be spent twice.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, buyerId)).for("update");
      creditCents = Math.min(subtotalCents, Math.max(0, await availableCredit(tx, buyerId, now)));
    }
    const [order] = await tx
      .insert(orders)
      .values({
        buyerId,
        currency: lines[0]!.currency,
        subtotalCents,
        creditCents,
        amountDueCents: subtotalCents - creditCents,
        shippingName: shipping.name,
        shippingLine1: shipping.line1,
        shippingLine2: shipping.line2,
        shippingCity: shipping.city,
        shippingPostalCode: shipping.postalCode,
        shippingCountry: shipping.country,
        provider,
      })
      .returning({ id: orders.id });
    await tx.insert(orderItems).values(
      lines.map((l) => ({
        orderId: order!.id,
        productId: l.productId,
        variantId: l.variantId,
        designerId: l.designerId,
        title: l.title,
        productType: l.type,
        size: l.size,
        unitPriceCents: l.unitPriceCents,
        quantity: l.quantity,
        royaltyBps: l.royaltyBps,
      })),
    );
    if (creditCents > 0) {
      await tx.insert(ledgerEntries).values({
        userId: buyerId,
        kind: "credit_spent",
        amountCents: -creditCents,
        currency: lines[0]!.currency,
        causeKey: `credit:${order!.id}`,
        memo: `Store credit towards order ${order!.id.slice(0, 8)}`,
        createdAt: now,
      });
    }
    await tx.delete(cartItems).where(eq(cartItems.cartId, cartId));
    return ok({ orderId: order!.id, amountDueCents: subtotalCents - creditCents });
  });
  if (!placed.ok) return placed;
  const { orderId, amountDueCents } = placed.value;
  // Paid in full with credit: no payment session at all.
  if (amountDueCents === 0) await markOrderPaid(orderId, { reference: "store-credit", now });
  return ok({ orderId, paid: amountDueCents === 0 });
}

/** What the checkout page shows: the buyer's cart and the store credit they could spend on it; null when it is empty. */
export async function checkoutSummary(buyerId: string, cartId: string, now = new Date()) {
  const contents = await cartContents(cartId);
  if (contents.lines.length === 0) return null;
  return {
    ...contents,
    currency: contents.lines[0]!.currency,
    creditCents: Math.max(0, await availableCredit(db, buyerId, now)),
  };
}

/** Where to send the buyer next: the provider's payment page, or the order itself. */
export type PaymentStart = {
  orderId: string;
  redirectTo: string;
  paidWithCredit: boolean;
  /** Set when the order was placed but the payment page could not be opened: the buyer goes to the order, which offers to pay. */
  paymentUnavailable?: string;
};

/**
 * Checkout from start to hand-over: the cart becomes an order, the payments
 * provider opens a payment for it, and its reference is kept on the order so
 * the provider's confirmation can be matched. `origin` is the public origin
 * the provider sends the buyer back to.
 */
export async function beginPayment(input: {
  buyerId: string;
  cartId: string;
  shipping: ShippingAddress;
  useCredit: boolean;
  origin: string;
}): Promise<Outcome<PaymentStart>> {
  const provider = paymentsProvider();
  const placed = await placeOrder(input.buyerId, input.cartId, input.shipping, {
    useCredit: input.useCredit,
    provider: provider.name,
  });
  if (!placed.ok) return placed;
  const { orderId, paid } = placed.value;
  if (paid) return ok({ orderId, redirectTo: `/orders/${orderId}`, paidWithCredit: true });
  const order = await findOrderForBuyer(orderId, input.buyerId);
  const started = await openPayment(order!, input.origin);
  // The cart is already an order: send the buyer to it rather than back to an empty checkout.
  if (!started.ok)
    return ok({
      orderId,
      redirectTo: `/orders/${orderId}`,
      paidWithCredit: false,
      paymentUnavailable: started.message,
    });
  return ok({ orderId, redirectTo: started.value, paidWithCredit: false });
}

/** Asks the provider for a payment page and remembers its reference; the URL to send the buyer to. */
async function openPayment(order: OrderWithItems, origin: string): Promise<Outcome<string>> {
  let checkout;
  try {
    checkout = await paymentsProvider().startCheckout(order, origin);
  } catch {
    // The order stays awaiting payment; its page offers to try again.
    return fail("unavailable", "The payment service could not be reached. Your order is saved: try paying again.");
  }
  if (checkout.reference) await setProviderReference(order.id, checkout.reference);
  return ok(checkout.redirectUrl);
}

/** The local provider's test payment page shows this much of an order. */
export type LocalPayment = {
  id: string;
  amountDueCents: number;
  creditCents: number;
  currency: string;
  provider: "local" | "stripe";
};

/**
 * A buyer comes back to pay an order: a paid or closed order just shows
 * itself, a Stripe order returns to its Checkout Session (the idempotency key
 * gives the same one), a local order gets the test payment page.
 */
export async function continuePayment(
  orderId: string,
  buyerId: string,
  origin: string,
): Promise<Outcome<{ redirectTo: string } | { localPayment: LocalPayment }>> {
  const order = await findOrderForBuyer(orderId, buyerId);
  if (!order) return fail("not_found", "There is no order of yours at this address.");
  if (order.status !== "pending_payment") return ok({ redirectTo: `/orders/${order.id}` });
  if (order.provider === "stripe") {
    const started = await openPayment(order, origin);
    return started.ok ? ok({ redirectTo: started.value }) : started;
  }
  const { id, amountDueCents, creditCents, currency, provider } = order;
  return ok({ localPayment: { id, amountDueCents, creditCents, currency, provider } });
}

/** The local provider's "payment": the same markOrderPaid step a Stripe webhook takes. */
export async function confirmLocalPayment(orderId: string, buyerId: string): Promise<Outcome<PaidStatus>> {
  const order = await findOrderForBuyer(orderId, buyerId);
  if (!order) return fail("not_found", "There is no order of yours at this address.");
  if (order.provider !== "local") return fail("conflict", "This order is paid through Stripe.");
  return markOrderPaid(order.id, { reference: `local:${crypto.randomUUID()}` });
}

/**
 * An unpaid order ends: the buyer gave up (`actorId` is theirs) or the
 * payment page expired. It is cancelled, any credit it reserved comes back,
 * and the buyer is told unless they did it themselves.
 */
export async function cancelOrder(
  orderId: string,
  options: { now?: Date; actorId?: string | null } = {},
): Promise<Outcome> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return fail("not_found", "There is no such order.");
    if (order.status !== "pending_payment") return fail("conflict", "This order can no longer be cancelled.");
    await tx.update(orders).set({ status: "cancelled", cancelledAt: now }).where(eq(orders.id, orderId));
    await releaseCredit(tx, order, "credit-release", now);
    await tellBuyerOrderCancelled(tx, orderId, options.actorId ?? null);
    return ok();
  });
}

/** The buyer cancels their own order; someone else's is not found. */
export async function cancelOrderOfBuyer(
  orderId: string,
  buyerId: string,
): Promise<Outcome<{ creditReturned: boolean }>> {
  const order = await findOrderForBuyer(orderId, buyerId);
  if (!order) return fail("not_found", "There is no order of yours at this address.");
  const cancelled = await cancelOrder(order.id, { actorId: buyerId });
  return cancelled.ok ? ok({ creditReturned: order.creditCents > 0 }) : cancelled;
}

async function releaseCredit(
  tx: DbOrTx,
  order: { id: string; buyerId: string; creditCents: number; currency: string },
  key: string,
  now: Date,
) {
  if (order.creditCents <= 0) return;
  await tx
    .insert(ledgerEntries)
    .values({
      userId: order.buyerId,
      kind: "credit_released",
      amountCents: order.creditCents,
      currency: order.currency,
      causeKey: `${key}:${order.id}`,
      memo: `Store credit returned from order ${order.id.slice(0, 8)}`,
      createdAt: now,
    })
    .onConflictDoNothing();
}

/** "already-paid" is a success: a repeated confirmation is expected, and changes nothing. */
export type PaidStatus = "paid" | "already-paid";

/**
 * The one "order paid" step, whichever provider confirms the payment. It runs
 * under a lock on the order and each royalty's ledger key is the order item,
 * so a confirmation that arrives twice pays nobody twice.
 */
export async function markOrderPaid(
  orderId: string,
  options: { reference: string; now?: Date },
): Promise<Outcome<PaidStatus>> {
  const now = options.now ?? new Date();
  const clearsAt = new Date(now.getTime() + getEnv().REFUND_WINDOW_DAYS * 24 * 3600 * 1000);
  return db.transaction(async (tx) => {
    const [order] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return fail("not_found", "There is no such order.");
    if (order.status === "paid") return ok("already-paid" as const);
    if (order.status !== "pending_payment") return fail("conflict", "This order can no longer be paid.");
    await tx
      .update(orders)
      .set({ status: "paid", paidAt: now, providerReference: options.reference })
      .where(eq(orders.id, orderId));
    await tellBuyerOrderPaid(tx, orderId);
    // Sent to the print provider later by the fulfilment tick, outside this transaction.
    await queueFulfilment(tx, orderId);
    const items = await tx.select().from(orderItems).where(eq(orderItems.orderId, orderId));
    const royalties = items
      .map((item) => ({ item, amount: royaltyCents(item.unitPriceCents * item.quantity, item.royaltyBps) }))
      .filter(({ amount }) => amount > 0);
    if (royalties.length) {
      const [{ currency }] = (await tx
        .select({ currency: orders.currency })
        .from(orders)
        .where(eq(orders.id, orderId))) as [{ currency: string }];
      await tx
        .insert(ledgerEntries)
        .values(
          royalties.map(({ item, amount }) => ({
            userId: item.designerId,
            kind: "royalty" as const,
            amountCents: amount,
            currency,
            causeKey: `royalty:${item.id}`,
            clearsAt,
            memo: `Royalty: ${item.quantity} × ${item.title} ${PRODUCT_TYPE_LABELS[item.productType]} (${item.size}), order ${orderId.slice(0, 8)}`,
            createdAt: now,
          })),
        )
        .onConflictDoNothing();
      for (const designerId of new Set(royalties.map(({ item }) => item.designerId))) {
        const cents = royalties.filter(({ item }) => item.designerId === designerId).reduce((n, r) => n + r.amount, 0);
        await notify(tx, {
          userId: designerId,
          actorId: null,
          kind: "royalty_credited",
          title: `A sale earned you ${formatMoney(cents, currency)} in royalties`,
          url: "/account/royalties",
        });
      }
    }
    return ok("paid" as const);
  });
}

/** The columns an order list shows. */
const orderSummary = {
  id: orders.id,
  status: orders.status,
  fulfilment: orders.fulfilment,
  trackingNumber: orders.trackingNumber,
  subtotalCents: orders.subtotalCents,
  creditCents: orders.creditCents,
  amountDueCents: orders.amountDueCents,
  currency: orders.currency,
  provider: orders.provider,
  createdAt: orders.createdAt,
  paidAt: orders.paidAt,
};

/** Attaches each order's items, in one query for the whole list. */
async function withItems<T extends { id: string }>(list: T[]) {
  const items = list.length
    ? await db
        .select()
        .from(orderItems)
        .where(
          inArray(
            orderItems.orderId,
            list.map((o) => o.id),
          ),
        )
    : [];
  return list.map((o) => ({ ...o, items: items.filter((i) => i.orderId === o.id) }));
}

export async function ordersForBuyer(buyerId: string) {
  return withItems(
    await db.select(orderSummary).from(orders).where(eq(orders.buyerId, buyerId)).orderBy(desc(orders.createdAt)),
  );
}

type OrderWithItems = NonNullable<Awaited<ReturnType<typeof findOrderForBuyer>>>;

/** An order of this buyer's with its items; null for anyone else's (its existence is not theirs to know). */
export async function findOrderForBuyer(orderId: string, buyerId: string) {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.buyerId, buyerId)))
    .limit(1);
  if (!order) return null;
  const items = await db.select().from(orderItems).where(eq(orderItems.orderId, orderId));
  return { ...order, items };
}

/** Units sold per product across paid orders, for "best-selling". */
export function unitsSoldSql() {
  return sql<number>`coalesce((select sum(${orderItems.quantity}) from ${orderItems} join ${orders} on ${orders.id} = ${orderItems.orderId} where ${orders.status} = 'paid' and ${orderItems.productId} = "products"."id"), 0)::int`;
}

/** "already-refunded" is a success: a refund replayed (a second click, Stripe's own event for it) changes nothing. */
export type RefundStatus = "refunded" | "already-refunded";

/**
 * The one home for refunds, whoever starts them: an admin (then the money is
 * returned through the order's provider first) or the provider itself
 * (Stripe's charge.refunded, `refundedByProvider`: the money is back already).
 * Either way the order becomes refunded under its row lock, each royalty it
 * paid is reversed by an entry keyed on the order item, and the store credit
 * it used comes back under a key on the order, so no replay, and no mix of
 * admin refund and webhook, reverses or returns anything twice.
 */
export async function refundOrder(
  orderId: string,
  options: {
    actorId: string | null;
    now?: Date;
    /** The provider refunded the payment itself; such a refund can arrive before its payment confirmation. */
    refundedByProvider?: boolean;
  },
): Promise<Outcome<RefundStatus>> {
  const now = options.now ?? new Date();
  if (!options.refundedByProvider) {
    const [order] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
    if (!order) return fail("not_found", "There is no such order.");
    if (order.status === "refunded") return ok("already-refunded" as const);
    if (order.status !== "paid") return fail("conflict", "Only paid orders can be refunded.");
    // Paid in full with store credit, or with the local provider: no card payment to return.
    if (order.provider === "stripe" && order.amountDueCents > 0) {
      if (!order.providerReference?.startsWith("pi_"))
        return fail("conflict", "This order has no Stripe payment to refund.");
      try {
        await refundStripePayment(order.id, order.providerReference);
      } catch {
        return fail("unavailable", "Stripe could not refund the payment; nothing was changed. Try again later.");
      }
    }
  }
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return fail("not_found", "There is no such order.");
    if (order.status === "refunded") return ok("already-refunded" as const);
    if (order.status !== "paid" && !(options.refundedByProvider && order.status === "pending_payment"))
      return fail("conflict", "Only paid orders can be refunded.");
    await tx.update(orders).set({ status: "refunded", refundedAt: now }).where(eq(orders.id, orderId));
    await reverseRoyalties(tx, orderId, now);
    // The part paid with store credit goes back to the buyer's balance.
    await releaseCredit(tx, order, "credit-refund", now);
    await tellBuyerOrderRefunded(tx, orderId);
    await recordAudit(tx, {
      actorId: options.actorId,
      action: "order.refunded",
      subjectType: "order",
      subjectId: orderId,
    });
    return ok("refunded" as const);
  });
}

/** One reversal per royalty the order paid, keyed on its order item. */
async function reverseRoyalties(tx: DbOrTx, orderId: string, now: Date) {
  const items = await tx.select({ id: orderItems.id }).from(orderItems).where(eq(orderItems.orderId, orderId));
  const paid = items.length
    ? await tx
        .select()
        .from(ledgerEntries)
        .where(
          inArray(
            ledgerEntries.causeKey,
            items.map((i) => `royalty:${i.id}`),
          ),
        )
    : [];
  if (paid.length === 0) return;
  await tx
    .insert(ledgerEntries)
    .values(
      paid.map((entry) => ({
        userId: entry.userId,
        kind: "royalty_reversal" as const,
        amountCents: -entry.amountCents,
        currency: entry.currency,
        causeKey: `royalty-reversal:${entry.causeKey.slice("royalty:".length)}`,
        memo: `Refund of order ${orderId.slice(0, 8)}: ${entry.memo.replace(/^Royalty: /, "")}`,
        // A royalty still inside its refund window is reversed inside the same window: it leaves
        // Pending and never touches Available. One already cleared is taken back at once.
        clearsAt: entry.clearsAt && entry.clearsAt.getTime() > now.getTime() ? entry.clearsAt : null,
        createdAt: now,
      })),
    )
    .onConflictDoNothing();
}

export type Fulfilment = (typeof FULFILMENT_STATUSES)[number];

/**
 * The `manual` fulfilment provider's step: an admin moves a paid order along
 * production and delivery. Shipping needs a tracking number; with a carrier
 * we know, the number becomes a link. The buyer hears when a parcel leaves
 * (and again when its tracking number changes).
 */
export async function setFulfilment(
  orderId: string,
  fulfilment: Fulfilment,
  trackingNumber: string | null,
  actorId: string,
  carrier: string | null = null,
): Promise<Outcome> {
  if (fulfilment === "shipped" && !trackingNumber)
    return fail("invalid", "Enter the tracking number to mark the order shipped.", { field: "trackingNumber" });
  return db.transaction(async (tx) => {
    const [order] = await tx
      .select({ status: orders.status, fulfilment: orders.fulfilment, trackingNumber: orders.trackingNumber })
      .from(orders)
      .where(eq(orders.id, orderId))
      .for("update");
    if (!order) return fail("not_found", "There is no such order.");
    if (order.status !== "paid") return fail("conflict", "Only paid orders are fulfilled.");
    const newParcel =
      fulfilment === "shipped" && (order.fulfilment !== "shipped" || order.trackingNumber !== trackingNumber);
    await tx
      .update(orders)
      .set({
        fulfilment,
        ...(trackingNumber ? { trackingNumber } : {}),
        // A corrected carrier fixes the link; only a new parcel is news (and moves the shipped-at mark).
        ...(fulfilment === "shipped" && trackingNumber
          ? { carrier, trackingUrl: trackingUrlFor(carrier, trackingNumber) }
          : {}),
        ...(newParcel ? { shippedAt: new Date() } : {}),
      })
      .where(eq(orders.id, orderId));
    if (newParcel) await tellBuyerOrderShipped(tx, orderId);
    await recordAudit(tx, {
      actorId,
      action: "order.fulfilment",
      subjectType: "order",
      subjectId: orderId,
      detail: { fulfilment, trackingNumber, carrier },
    });
    return ok();
  });
}

/** Every order with its shipping name and place, newest first: admins only (the caller checks the role). */
export async function allOrdersForAdmin(filter: { status?: OrderListFilter } = {}) {
  const list = await db
    .select({
      ...orderSummary,
      shippingName: orders.shippingName,
      shippingCity: orders.shippingCity,
      shippingCountry: orders.shippingCountry,
      buyer: users.username,
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.buyerId))
    .where(orderListCondition(filter.status))
    .orderBy(desc(orders.createdAt))
    .limit(200);
  return withItems(list);
}

/** A designer's sales per product, from paid (and refunded) orders. */
export async function salesForDesigner(designerId: string) {
  return db
    .select({
      productId: orderItems.productId,
      title: orderItems.title,
      productType: orderItems.productType,
      unitsSold: sql<number>`(sum(${orderItems.quantity}) filter (where ${orders.status} = 'paid'))::int`,
      revenueCents: sql<number>`(sum(${orderItems.quantity} * ${orderItems.unitPriceCents}) filter (where ${orders.status} = 'paid'))::int`,
      unitsRefunded: sql<number>`(sum(${orderItems.quantity}) filter (where ${orders.status} = 'refunded'))::int`,
    })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(and(eq(orderItems.designerId, designerId), inArray(orders.status, ["paid", "refunded"])))
    .groupBy(orderItems.productId, orderItems.title, orderItems.productType)
    .orderBy(sql`3 desc nulls last`);
}

/** Remembers the provider's reference for an order's payment attempt. */
async function setProviderReference(orderId: string, reference: string) {
  // Only while unpaid: a payment page opened as the webhook marks the order paid must not
  // replace the payment's own reference, which refunds need.
  await db
    .update(orders)
    .set({ providerReference: reference })
    .where(and(eq(orders.id, orderId), eq(orders.status, "pending_payment")));
}
