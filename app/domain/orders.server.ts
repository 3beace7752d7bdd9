import { and, desc, eq, inArray, sql } from "drizzle-orm";
import {
  cartItems,
  type FULFILMENT_STATUSES,
  ledgerEntries,
  orderItems,
  orders,
  type ORDER_STATUSES,
  users,
} from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { recordAudit } from "./audit.server";
import { cartContents } from "./cart.server";
import { formatMoney } from "~/lib/format";
import { royaltyCents } from "./money";
import { notify } from "./notifications.server";
import { PRODUCT_TYPE_LABELS } from "./products";

export type ShippingAddress = {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
};

export type PlaceOrderResult = { ok: true; orderId: string } | { ok: false; message: string };

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
): Promise<PlaceOrderResult> {
  const provider = options.provider ?? "local";
  const now = options.now ?? new Date();
  const placed = await db.transaction(async (tx) => {
    const { lines, subtotalCents } = await cartContents(cartId, tx);
    if (lines.length === 0) return { ok: false as const, message: "Your cart is empty." };
    if (lines.some((l) => !l.active))
      return { ok: false as const, message: "Something in your cart is no longer in the shop; remove it to continue." };
    const currencies = new Set(lines.map((l) => l.currency));
    if (currencies.size > 1)
      return { ok: false as const, message: "Items in different currencies must be bought separately." };
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
    return { ok: true as const, orderId: order!.id, amountDueCents: subtotalCents - creditCents };
  });
  if (!placed.ok) return placed;
  // Paid in full with credit: no payment session at all.
  if (placed.amountDueCents === 0) await markOrderPaid(placed.orderId, { reference: "store-credit", now });
  return { ok: true, orderId: placed.orderId };
}

/**
 * What a member may spend now: every ledger entry except earnings still in
 * their refund window (the same rule as summariseLedger's "available").
 */
export async function availableCredit(runner: DbOrTx, userId: string, now: Date): Promise<number> {
  const [row] = await runner
    .select({
      available: sql<number>`coalesce(sum(${ledgerEntries.amountCents}) filter (where not (${ledgerEntries.kind} in ('prize', 'royalty', 'royalty_reversal') and coalesce(${ledgerEntries.clearsAt} > ${now.toISOString()}::timestamptz, false))), 0)::int`,
    })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.userId, userId));
  return row?.available ?? 0;
}

/** A buyer gives up an unpaid order: it is cancelled and any credit it reserved comes back. */
export async function cancelOrder(
  orderId: string,
  options: { now?: Date } = {},
): Promise<"cancelled" | "not-cancellable" | "missing"> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return "missing";
    if (order.status !== "pending_payment") return "not-cancellable";
    await tx.update(orders).set({ status: "cancelled", cancelledAt: now }).where(eq(orders.id, orderId));
    await releaseCredit(tx, order, "credit-release", now);
    return "cancelled";
  });
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

export type PaidOutcome = "paid" | "already-paid" | "not-payable" | "missing";

/**
 * The one "order paid" step, whichever provider confirms the payment. It runs
 * under a lock on the order and each royalty's ledger key is the order item,
 * so a confirmation that arrives twice pays nobody twice.
 */
export async function markOrderPaid(orderId: string, options: { reference: string; now?: Date }): Promise<PaidOutcome> {
  const now = options.now ?? new Date();
  const clearsAt = new Date(now.getTime() + getEnv().REFUND_WINDOW_DAYS * 24 * 3600 * 1000);
  return db.transaction(async (tx) => {
    const [order] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return "missing";
    if (order.status === "paid") return "already-paid";
    if (order.status !== "pending_payment") return "not-payable";
    await tx
      .update(orders)
      .set({ status: "paid", paidAt: now, providerReference: options.reference })
      .where(eq(orders.id, orderId));
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
    return "paid";
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

export async function findOrderForBuyer(orderId: string, buyerId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) return null;
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

export type RefundOutcome = "refunded" | "already-refunded" | "not-refundable" | "missing";

/**
 * A refund, whoever performs it (the admin with the local provider, Stripe's
 * charge.refunded later): the order becomes refunded and every royalty it paid
 * is reversed by an entry keyed on the order item, so it happens once.
 */
export async function markOrderRefunded(
  orderId: string,
  options: {
    actorId: string | null;
    now?: Date;
    /** A provider's refund can arrive before its payment confirmation. */ evenIfUnpaid?: boolean;
  },
): Promise<RefundOutcome> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return "missing";
    if (order.status === "refunded") return "already-refunded";
    if (order.status !== "paid" && !(options.evenIfUnpaid && order.status === "pending_payment"))
      return "not-refundable";
    await tx.update(orders).set({ status: "refunded", refundedAt: now }).where(eq(orders.id, orderId));
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
    if (paid.length) {
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
            createdAt: now,
          })),
        )
        .onConflictDoNothing();
    }
    // The part paid with store credit goes back to the buyer's balance.
    await releaseCredit(tx, order, "credit-refund", now);
    await recordAudit(tx, {
      actorId: options.actorId,
      action: "order.refunded",
      subjectType: "order",
      subjectId: orderId,
    });
    return "refunded";
  });
}

export type Fulfilment = (typeof FULFILMENT_STATUSES)[number];

/** Moves a paid order along production and delivery; shipping needs a tracking number. */
export async function setFulfilment(
  orderId: string,
  fulfilment: Fulfilment,
  trackingNumber: string | null,
  actorId: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  if (fulfilment === "shipped" && !trackingNumber)
    return { ok: false, message: "Enter the tracking number to mark the order shipped." };
  return db.transaction(async (tx) => {
    const [order] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).for("update");
    if (!order) return { ok: false as const, message: "There is no such order." };
    if (order.status !== "paid") return { ok: false as const, message: "Only paid orders are fulfilled." };
    await tx
      .update(orders)
      .set({ fulfilment, ...(trackingNumber ? { trackingNumber } : {}) })
      .where(eq(orders.id, orderId));
    await recordAudit(tx, {
      actorId,
      action: "order.fulfilment",
      subjectType: "order",
      subjectId: orderId,
      detail: { fulfilment, trackingNumber },
    });
    return { ok: true as const };
  });
}

/** Every order, newest first, for the admin. */
export async function allOrders(filter: { status?: (typeof ORDER_STATUSES)[number] } = {}) {
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
    .where(filter.status ? eq(orders.status, filter.status) : undefined)
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
export async function setProviderReference(orderId: string, reference: string) {
  await db.update(orders).set({ providerReference: reference }).where(eq(orders.id, orderId));
}

export async function allOrdersById(orderId: string) {
  return db
    .select({
      id: orders.id,
      provider: orders.provider,
      status: orders.status,
      providerReference: orders.providerReference,
    })
    .from(orders)
    .where(eq(orders.id, orderId))
    .limit(1);
}
