import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { cartItems, type FULFILMENT_STATUSES, ledgerEntries, orderItems, orders, products, users } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { formatMoney } from "~/lib/format";
import { afterKey, pageOf, pageWithPlaces, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { paymentsProvider, refundStripePayment, taxedByStripe } from "~/lib/payments.server";
import { saveAddress, type ShippingAddress } from "./addresses.server";
import { recordAudit } from "./audit.server";
import { cartContents } from "./cart.server";
import { availableCredit } from "./ledger.server";
import { royaltyCents } from "./money";
import {
  orderTotal,
  refundedAfterProvider,
  refundedTotal,
  royaltyReversed,
  splitRefund,
  type Refunded,
} from "./refunds";
import { fail, ok, type Outcome } from "./outcome";
import { queueFulfilment } from "./fulfilment.server";
import { notify } from "./notifications.server";
import type { OrderListFilter } from "./order-filters";
import {
  tellBuyerOrderCancelled,
  tellBuyerOrderPaid,
  tellBuyerOrderRefunded,
  tellBuyerOrderShipped,
} from "./order-messages.server";
import { mapPage, type Page } from "./page";
import { PRODUCT_TYPE_LABELS } from "./products";
import { recordSharedSale } from "./share-links.server";
import { quoteOrder } from "./shipping.server";
import { orderTotals, totalsOfOrder, type Totals } from "./totals";
import { trackingUrlFor } from "./tracking";

export type { ShippingAddress } from "./addresses.server";

export type PlacedOrder = { orderId: string; /** Store credit covered it all: nothing left to pay. */ paid: boolean };

/**
 * Turns a cart into an order awaiting payment. Prices, titles and royalty
 * rates are copied onto the order items now, so later changes in the shop
 * never change what was bought or what the designer earns from it; shipping,
 * tax and credit are worked out by the totals rule (app/domain/totals.ts)
 * and stored with it. A destination no zone ships to is refused.
 */
export async function placeOrder(
  buyerId: string,
  cartId: string,
  shipping: ShippingAddress,
  options: {
    provider?: "local" | "stripe";
    useCredit?: boolean;
    now?: Date;
    /** The designer whose share link brought the buyer (first touch), credited with the sale once it is paid. */
    shareDesignerId?: string | null;
  } = {},
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
    let offeredCents = 0;
    if (options.useCredit) {
      // One spender at a time per member: the balance read here cannot be spent twice.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, buyerId)).for("update");
      offeredCents = Math.max(0, await availableCredit(tx, buyerId, now));
    }
    const quote = await quoteOrder(
      lines.map((l) => ({ productType: l.type, unitPriceCents: l.unitPriceCents, quantity: l.quantity })),
      shipping,
      offeredCents,
      { taxByProvider: provider === "stripe" && taxedByStripe(), runner: tx },
    );
    if (!quote.ok) return quote;
    const { shippingCents, taxCents, creditCents, amountDueCents, taxPending } = quote.value;
    const [order] = await tx
      .insert(orders)
      .values({
        buyerId,
        currency: lines[0]!.currency,
        subtotalCents,
        shippingCents,
        taxCents,
        taxSource: taxPending ? "stripe" : "rates",
        creditCents,
        amountDueCents,
        shippingName: shipping.name,
        shippingLine1: shipping.line1,
        shippingLine2: shipping.line2,
        shippingCity: shipping.city,
        shippingRegion: shipping.region,
        shippingPostalCode: shipping.postalCode,
        shippingCountry: shipping.country,
        provider,
        // Buying your own work through your own link is no sale the link brought.
        shareDesignerId:
          options.shareDesignerId && options.shareDesignerId !== buyerId ? options.shareDesignerId : null,
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
    return ok({ orderId: order!.id, amountDueCents });
  });
  if (!placed.ok) return placed;
  const { orderId, amountDueCents } = placed.value;
  // Paid in full with credit: no payment session at all.
  if (amountDueCents === 0) await markOrderPaid(orderId, { reference: "store-credit", now });
  return ok({ orderId, paid: amountDueCents === 0 });
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
  /** Keep the address among the buyer's saved addresses. */
  saveAddress?: boolean;
  origin: string;
  shareDesignerId?: string | null;
}): Promise<Outcome<PaymentStart>> {
  const provider = paymentsProvider();
  const placed = await placeOrder(input.buyerId, input.cartId, input.shipping, {
    useCredit: input.useCredit,
    provider: provider.name,
    shareDesignerId: input.shareDesignerId,
  });
  if (!placed.ok) return placed;
  if (input.saveAddress) await saveAddress(input.buyerId, input.shipping);
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
  totals: Totals;
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
  return ok({ localPayment: { id, amountDueCents, creditCents, currency, provider, totals: totalsOfOrder(order) } });
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
  options: {
    reference: string;
    now?: Date;
    /** The tax Stripe Tax charged, as the completed Checkout Session reports it; kept on orders it taxes. */
    reportedTaxCents?: number;
  },
): Promise<Outcome<PaidStatus>> {
  const now = options.now ?? new Date();
  const clearsAt = new Date(now.getTime() + getEnv().REFUND_WINDOW_DAYS * 24 * 3600 * 1000);
  return db.transaction(async (tx) => {
    const [order] = await tx
      .select({
        status: orders.status,
        taxSource: orders.taxSource,
        shippingCents: orders.shippingCents,
        creditCents: orders.creditCents,
        shareDesignerId: orders.shareDesignerId,
      })
      .from(orders)
      .where(eq(orders.id, orderId))
      .for("update");
    if (!order) return fail("not_found", "There is no such order.");
    if (order.status === "paid") return ok("already-paid" as const);
    if (order.status !== "pending_payment") return fail("conflict", "This order can no longer be paid.");
    const items = await tx.select().from(orderItems).where(eq(orderItems.orderId, orderId));
    // Stripe Tax's figure completes the order's totals, by the same rule as everything else.
    const reported =
      order.taxSource === "stripe" && options.reportedTaxCents !== undefined
        ? orderTotals({
            lines: items,
            shippingCents: order.shippingCents,
            tax: { cents: options.reportedTaxCents },
            creditCents: order.creditCents,
          })
        : null;
    await tx
      .update(orders)
      .set({
        status: "paid",
        paidAt: now,
        providerReference: options.reference,
        ...(reported ? { taxCents: reported.taxCents, amountDueCents: reported.amountDueCents } : {}),
      })
      .where(eq(orders.id, orderId));
    await countUnitsSold(tx, items, +1);
    if (order.shareDesignerId) await recordSharedSale(tx, orderId, order.shareDesignerId, now);
    await tellBuyerOrderPaid(tx, orderId);
    // Sent to the print provider later by the fulfilment tick, outside this transaction.
    await queueFulfilment(tx, orderId);
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
  shippingCents: orders.shippingCents,
  taxCents: orders.taxCents,
  taxSource: orders.taxSource,
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

/** Order lists run newest first, ties on time broken by id; a cursor is the last order's (created_at, id). */
export const orderCursor = z.tuple([timestampKeyShape, z.uuid()]);
type OrderListOptions = { after?: z.output<typeof orderCursor>; size?: number };

const newestFirst = [desc(orders.createdAt), desc(orders.id)];
const afterOrder = (after: OrderListOptions["after"]) =>
  afterKey([orders.createdAt, orders.id], after, "desc", ["timestamptz", "uuid"]);

/** A page of orders with each one's items, without the sort key its cursor was made from. */
async function pageWithItems<T extends { id: string; key: string }>(page: Page<T>) {
  return mapPage({ items: await withItems(page.items), next: page.next }, ({ key: _key, ...order }) => order);
}

/** A buyer's orders, newest first, a page at a time (orders_buyer_idx). */
export async function ordersForBuyer(buyerId: string, options: OrderListOptions = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({ ...orderSummary, key: timestampKey(orders.createdAt) })
    .from(orders)
    .where(and(eq(orders.buyerId, buyerId), afterOrder(options.after)))
    .orderBy(...newestFirst)
    .limit(size + 1);
  return pageWithItems(pageOf(rows, size, (r) => [r.key, r.id]));
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

/**
 * Keeps each product's stored units sold (the shop's "best-selling" order)
 * equal to its units in paid orders: +1 when an order is paid, -1 when a paid
 * order is refunded, inside that transaction. Products are updated in id
 * order, so two orders paid at once that share products cannot deadlock.
 */
async function countUnitsSold(tx: DbOrTx, items: { productId: string; quantity: number }[], sign: 1 | -1) {
  const units = new Map<string, number>();
  for (const item of items) units.set(item.productId, (units.get(item.productId) ?? 0) + item.quantity);
  for (const productId of [...units.keys()].sort()) {
    // Never below zero: an order written around markOrderPaid (raw SQL, a fixture) was never counted,
    // and a refund must not fail over the shop's sort order.
    await tx
      .update(products)
      .set({ unitsSold: sql`greatest(${products.unitsSold} + ${sign * units.get(productId)!}, 0)` })
      .where(eq(products.id, productId));
  }
}

/**
 * "already-refunded" is a success: a refund replayed (a second click, Stripe's
 * own event for it) changes nothing. "partly-refunded": some of the order is
 * refunded and the rest still stands.
 */
export type RefundStatus = "refunded" | "partly-refunded" | "already-refunded";

type OrderRow = typeof orders.$inferSelect;
const refundedOf = (order: OrderRow): Refunded => ({
  cardCents: order.refundedCardCents,
  creditCents: order.refundedCreditCents,
});

/**
 * What an admin's refund of `amountCents` (all that is left when absent)
 * would return and where, read before anything moves: the card and credit
 * parts split as the order was paid (app/domain/refunds.ts). The order page
 * asks the admin to confirm these amounts; refundOrder then moves them.
 */
export async function planRefund(
  orderId: string,
  amountCents?: number,
): Promise<Outcome<"already-refunded" | { order: OrderRow; already: Refunded; part: Refunded; leftCents: number }>> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!order) return fail("not_found", "There is no such order.");
  // A second click after the refund went through: nothing to ask, nothing to do.
  if (order.status === "refunded") return ok("already-refunded" as const);
  if (order.status !== "paid") return fail("conflict", "Only paid orders can be refunded.");
  const already = refundedOf(order);
  const left = orderTotal(order) - refundedTotal(already);
  const amount = amountCents ?? left;
  // A free order (nothing to return) can still be refunded in full: it leaves the shop's sales.
  const freeOrder = left === 0 && amountCents === undefined;
  if (!freeOrder && (!Number.isInteger(amount) || amount <= 0 || amount > left))
    return fail(
      "invalid",
      `Refund between ${formatMoney(1, order.currency)} and ${formatMoney(left, order.currency)}.`,
      {
        field: "amount",
      },
    );
  return ok({ order, already, part: splitRefund(order, already, amount), leftCents: left });
}

/**
 * The one home for refunds, in part or in full, whoever starts them: an admin
 * (then the card part goes back through the order's provider first) or the
 * provider itself (Stripe's charge.refunded, `providerCardRefundedCents`: the
 * money is back already, and the event says how much of the card payment in
 * all). Either way, under the order's row lock, the order's running refund
 * totals move forward (never back), the store credit part comes back to the
 * buyer, and each designer loses the same share of their royalty, by entries
 * keyed on the order (item) and the new running total, so no replay, late
 * event, or mix of admin refund and webhook returns or reverses anything twice.
 */
export async function refundOrder(
  orderId: string,
  options: {
    actorId: string | null;
    now?: Date;
    /** An admin's refund: how much more to refund, of the order's total; all that is left when absent. */
    amountCents?: number;
    /** The provider refunded the card itself, this much of the card payment in all; such a refund can arrive before its payment confirmation. */
    providerCardRefundedCents?: number;
  },
): Promise<Outcome<RefundStatus>> {
  const now = options.now ?? new Date();
  const byProvider = options.providerCardRefundedCents !== undefined;
  let wanted: Refunded | null = null;
  if (!byProvider) {
    const planned = await planRefund(orderId, options.amountCents);
    if (!planned.ok) return planned;
    if (planned.value === "already-refunded") return ok("already-refunded" as const);
    const { order, already, part } = planned.value;
    wanted = { cardCents: already.cardCents + part.cardCents, creditCents: already.creditCents + part.creditCents };
    // Paid in full with store credit, or with the local provider: no card payment to return.
    if (order.provider === "stripe" && part.cardCents > 0) {
      if (!order.providerReference?.startsWith("pi_"))
        return fail("conflict", "This order has no Stripe payment to refund.");
      try {
        await refundStripePayment(order.id, order.providerReference, part.cardCents, wanted.cardCents);
      } catch {
        return fail("unavailable", "Stripe could not refund the payment; nothing was changed. Try again later.");
      }
    }
  }
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return fail("not_found", "There is no such order.");
    if (order.status === "refunded") return ok("already-refunded" as const);
    const already = refundedOf(order);
    const target = byProvider ? refundedAfterProvider(order, already, options.providerCardRefundedCents!) : wanted!;
    const total = orderTotal(order);
    const full = refundedTotal(target) >= total;
    // A refund can reach us before its payment's confirmation only from the provider, and only in full.
    if (order.status !== "paid" && !(byProvider && full && order.status === "pending_payment"))
      return fail("conflict", "Only paid orders can be refunded.");
    const movedCard = target.cardCents - already.cardCents;
    const movedCredit = target.creditCents - already.creditCents;
    if (movedCard <= 0 && movedCredit <= 0 && !(full && total === 0)) return ok("already-refunded" as const);
    await tx
      .update(orders)
      .set({
        refundedCardCents: target.cardCents,
        refundedCreditCents: target.creditCents,
        ...(full ? { status: "refunded" as const, refundedAt: now } : {}),
      })
      .where(eq(orders.id, orderId));
    // A part refund leaves the items sold; a full refund of a paid order takes them back out of the
    // shop's units sold (one refunded before it was ever paid was never counted).
    if (full && order.status === "paid")
      await countUnitsSold(
        tx,
        await tx
          .select({ productId: orderItems.productId, quantity: orderItems.quantity })
          .from(orderItems)
          .where(eq(orderItems.orderId, orderId)),
        -1,
      );
    const level = refundedTotal(target);
    await reverseRoyalties(tx, orderId, { before: refundedTotal(already), after: level, total }, now);
    if (movedCredit > 0) {
      // The share paid with store credit goes back to the buyer's balance.
      await tx
        .insert(ledgerEntries)
        .values({
          userId: order.buyerId,
          kind: "credit_released",
          amountCents: movedCredit,
          currency: order.currency,
          causeKey: `credit-refund:${order.id}:${target.creditCents}`,
          memo: `Store credit returned from ${full ? "" : "a part refund of "}order ${order.id.slice(0, 8)}`,
          createdAt: now,
        })
        .onConflictDoNothing();
    }
    await tellBuyerOrderRefunded(tx, orderId, { cardCents: movedCard, creditCents: movedCredit, full });
    await recordAudit(tx, {
      actorId: options.actorId,
      action: full ? "order.refunded" : "order.partly_refunded",
      subjectType: "order",
      subjectId: orderId,
      detail: { refundedCardCents: target.cardCents, refundedCreditCents: target.creditCents },
    });
    return ok(full ? ("refunded" as const) : ("partly-refunded" as const));
  });
}

/**
 * Takes back from each designer the share of their royalty that the refund
 * moved from `before` to `after` (of `total`): one entry per royalty and
 * refund level, keyed on both.
 */
async function reverseRoyalties(
  tx: DbOrTx,
  orderId: string,
  level: { before: number; after: number; total: number },
  now: Date,
) {
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
  const reversals = paid
    .map((entry) => ({
      entry,
      cents:
        royaltyReversed(entry.amountCents, level.after, level.total) -
        royaltyReversed(entry.amountCents, level.before, level.total),
    }))
    .filter((r) => r.cents > 0);
  if (reversals.length === 0) return;
  const full = level.after >= level.total;
  await tx
    .insert(ledgerEntries)
    .values(
      reversals.map(({ entry, cents }) => ({
        userId: entry.userId,
        kind: "royalty_reversal" as const,
        amountCents: -cents,
        currency: entry.currency,
        causeKey: `royalty-reversal:${entry.causeKey.slice("royalty:".length)}:${level.after}`,
        memo: `${full ? "Refund" : "Part refund"} of order ${orderId.slice(0, 8)}: ${entry.memo.replace(/^Royalty: /, "")}`,
        // A royalty still inside its refund window is reversed inside the same window: it leaves
        // Pending and never touches Available. One already cleared is taken back at once.
        clearsAt: entry.clearsAt && entry.clearsAt.getTime() > now.getTime() ? entry.clearsAt : null,
        roundId: entry.roundId,
        submissionId: entry.submissionId,
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

/** The rows a list tab shows; "to ship" is paid and neither shipped nor delivered. */
export function orderListCondition(filter: OrderListFilter | undefined): SQL | undefined {
  if (!filter) return undefined;
  if (filter === "to_ship")
    return and(eq(orders.status, "paid"), inArray(orders.fulfilment, ["unfulfilled", "in_production"]));
  return eq(orders.status, filter);
}

/**
 * Every order (or those in one status, or those to ship) with its shipping
 * name and place, newest first, a page at a time (orders_created_idx,
 * orders_status_created_idx): admins only (the caller checks the role). Each
 * order carries its place, so a change to it returns the admin to its page.
 */
export async function allOrdersForAdmin(filter: { status?: OrderListFilter } & OrderListOptions = {}) {
  const size = filter.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      ...orderSummary,
      shippingName: orders.shippingName,
      shippingCity: orders.shippingCity,
      shippingCountry: orders.shippingCountry,
      buyer: users.username,
      key: timestampKey(orders.createdAt),
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.buyerId))
    .where(and(orderListCondition(filter.status), afterOrder(filter.after)))
    .orderBy(...newestFirst)
    .limit(size + 1);
  return pageWithItems(pageWithPlaces(rows, size, (r) => [r.key, r.id], filter.after));
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
