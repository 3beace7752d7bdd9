import { eq } from "drizzle-orm";
import { orderItems, orders } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { formatMoney } from "~/lib/format";
import { shippingPlace } from "./addresses.server";
import { notify } from "./notifications.server";
import { PRODUCT_TYPE_LABELS } from "./products";

/**
 * What a buyer hears about their own order: confirmed (a receipt with items
 * and totals), shipped (with tracking), refunded, cancelled. Each runs in the
 * transaction of the step it reports, so a step that rolls back tells nobody,
 * and goes through the buyer's notification preferences and the mail queue.
 */

async function readOrder(runner: DbOrTx, orderId: string) {
  const [order] = await runner.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  return order ?? null;
}

const shortId = (orderId: string) => orderId.slice(0, 8);

/** The receipt: one line per item, then the totals the order recorded. */
async function receiptLines(runner: DbOrTx, order: NonNullable<Awaited<ReturnType<typeof readOrder>>>) {
  const items = await runner.select().from(orderItems).where(eq(orderItems.orderId, order.id));
  const money = (cents: number) => formatMoney(cents, order.currency);
  return [
    ...items.map(
      (i) =>
        `${i.quantity} × ${i.title} ${PRODUCT_TYPE_LABELS[i.productType]} (${i.size}): ${money(i.unitPriceCents * i.quantity)}`,
    ),
    "",
    `Subtotal: ${money(order.subtotalCents)}`,
    `Shipping: ${order.shippingCents === 0 ? "free" : money(order.shippingCents)}`,
    `Tax: ${money(order.taxCents)}`,
    ...(order.creditCents > 0 ? [`Store credit: −${money(order.creditCents)}`] : []),
    `Paid: ${money(order.amountDueCents)}`,
    "",
    "Ships to:",
    ...shippingPlace(order).lines,
  ];
}

export async function tellBuyerOrderPaid(runner: DbOrTx, orderId: string) {
  const order = await readOrder(runner, orderId);
  if (!order) return;
  await notify(runner, {
    userId: order.buyerId,
    actorId: null,
    kind: "order_paid",
    title: `Your order ${shortId(order.id)} is confirmed: ${formatMoney(order.amountDueCents, order.currency)} paid`,
    url: `/orders/${order.id}`,
    body: ["Thank you for your order.", "", ...(await receiptLines(runner, order))],
  });
}

/** Said every time a parcel leaves (a reshipment is news too); the tracking link where the carrier has a page. */
export async function tellBuyerOrderShipped(runner: DbOrTx, orderId: string) {
  const order = await readOrder(runner, orderId);
  if (!order || !order.trackingNumber) return;
  await notify(runner, {
    userId: order.buyerId,
    actorId: null,
    kind: "order_shipped",
    title: `Your order ${shortId(order.id)} has shipped${order.carrier ? ` with ${order.carrier}` : ""}`,
    url: `/orders/${order.id}`,
    body: [
      `Tracking number: ${order.trackingNumber}`,
      ...(order.trackingUrl ? [`Track it: ${order.trackingUrl}`] : []),
    ],
  });
}

export async function tellBuyerOrderRefunded(
  runner: DbOrTx,
  orderId: string,
  refund: { cardCents: number; creditCents: number; full: boolean },
) {
  const order = await readOrder(runner, orderId);
  if (!order) return;
  const money = (cents: number) => formatMoney(cents, order.currency);
  const parts = [
    ...(refund.cardCents > 0 ? [`${money(refund.cardCents)} to the way you paid`] : []),
    ...(refund.creditCents > 0 ? [`${money(refund.creditCents)} to your store credit`] : []),
  ];
  await notify(runner, {
    userId: order.buyerId,
    actorId: null,
    kind: "order_refunded",
    title: `Your order ${shortId(order.id)} was ${refund.full ? "" : "partly "}refunded${parts.length ? `: ${parts.join(" and ")}` : ""}`,
    url: `/orders/${order.id}`,
    body: ["A card refund can take a few days to show on your statement."],
  });
}

/** `actorId` is the buyer when they cancelled it themselves: nobody is told of what they just did. */
export async function tellBuyerOrderCancelled(runner: DbOrTx, orderId: string, actorId: string | null) {
  const order = await readOrder(runner, orderId);
  if (!order) return;
  await notify(runner, {
    userId: order.buyerId,
    actorId,
    kind: "order_cancelled",
    title: `Your order ${shortId(order.id)} was cancelled before payment`,
    url: `/orders/${order.id}`,
    body: [
      "Nothing was charged.",
      ...(order.creditCents > 0
        ? [`The ${formatMoney(order.creditCents, order.currency)} of store credit it held is back in your balance.`]
        : []),
    ],
  });
}
