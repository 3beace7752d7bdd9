import { and, asc, eq, sql } from "drizzle-orm";
import { fulfilmentJobs, orderItems, orders, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { timestampKey } from "~/lib/pagination.server";
import { formatMoney } from "~/lib/format";
import { csvField } from "./ledger.server";
import type { OrderListFilter } from "./order-filters";
import { ok, type Outcome } from "./outcome";
import { orderListCondition, planRefund } from "./orders.server";
import { PRODUCT_TYPE_LABELS } from "./products";

/**
 * What admins read to ship an order: the full address, the items with their
 * product type, size and quantity, and the fulfilment job, if any. Only admin
 * routes call these (they check the role first): the street and postal code
 * leave the domain through nothing else but the buyer's own order page.
 */

/** One order with everything needed to pack and ship it: admins only (the caller checks the role). */
export async function orderForAdmin(orderId: string) {
  const [row] = await db
    .select({ order: orders, buyer: { username: users.username, email: users.email } })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.buyerId))
    .where(eq(orders.id, orderId))
    .limit(1);
  if (!row) return null;
  const [items, [job]] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.title)),
    db.select().from(fulfilmentJobs).where(eq(fulfilmentJobs.orderId, orderId)).limit(1),
  ]);
  return { ...row.order, buyer: row.buyer, items, job: job ?? null };
}

export type RefundPreview = {
  orderId: string;
  currency: string;
  /** Returned through the payment provider (Stripe's card refund; nothing moves with `local`). */
  paymentCents: number;
  /** Returned to the buyer's store credit. */
  creditCents: number;
  /** What was left to refund before this one. */
  leftCents: number;
  /** This refund is all that is left. */
  whole: boolean;
  provider: "local" | "stripe";
};

/** What refunding this order would return, for the confirmation an admin must give first. */
/**
 * What a refund of `amountCents` (all that is left when absent) would return,
 * and where: split between the payment and store credit as the order was
 * paid (app/domain/refunds.ts), for the admin to confirm before it happens.
 */
export async function refundPreview(
  orderId: string,
  amountCents?: number,
): Promise<Outcome<RefundPreview | "already-refunded">> {
  const planned = await planRefund(orderId, amountCents);
  if (!planned.ok) return planned;
  if (planned.value === "already-refunded") return ok("already-refunded" as const);
  const { order, part, leftCents } = planned.value;
  return ok({
    orderId: order.id,
    currency: order.currency,
    paymentCents: part.cardCents,
    creditCents: part.creditCents,
    leftCents,
    whole: part.cardCents + part.creditCents === leftCents,
    provider: order.provider,
  });
}

/** "Refund $18.00 to the card and $5.00 to store credit?" */
export function refundQuestion(preview: RefundPreview): string {
  const money = (cents: number) => formatMoney(cents, preview.currency);
  const parts = [
    ...(preview.paymentCents > 0
      ? [
          `${money(preview.paymentCents)} ${preview.provider === "stripe" ? "to the card" : "to the payment (local test provider: no money moves)"}`,
        ]
      : []),
    ...(preview.creditCents > 0 ? [`${money(preview.creditCents)} to store credit`] : []),
  ];
  const what = parts.length ? parts.join(" and ") : money(0);
  return preview.whole
    ? `Refund ${what}? The designers' royalties for this order are reversed and the buyer is told.`
    : `Refund ${what}, part of the ${money(preview.leftCents)} left? The same share of the designers' royalties is reversed and the buyer is told.`;
}

/**
 * What the admin confirms: the amounts themselves. If the order's amounts
 * changed between the question and the answer, the answer no longer fits and
 * the question is asked again.
 */
export function refundConfirmation(preview: Pick<RefundPreview, "paymentCents" | "creditCents" | "currency">): string {
  return `${preview.paymentCents}:${preview.creditCents}:${preview.currency}`;
}

const CSV_HEADER = [
  "order",
  "paid_at",
  "name",
  "line1",
  "line2",
  "city",
  "postal_code",
  "country",
  "product",
  "product_type",
  "size",
  "quantity",
  "print_file_url",
];

const CSV_PAGE = 500;

/**
 * The print shop's sheet: one row per order item with the address, the
 * product type, size, quantity and the admin-only print file URL. Streamed a
 * keyset page at a time (oldest order first), so a long list never sits in
 * memory whole. Admins only.
 */
export function fulfilmentCsv(filter: OrderListFilter | undefined, origin: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const condition = orderListCondition(filter);
  let after: { created: string; orderId: string; itemId: string } | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_HEADER.join(",") + "\n"));
        return;
      }
      const rows = await db
        .select({
          orderId: orders.id,
          paidAt: orders.paidAt,
          createdKey: timestampKey(orders.createdAt),
          itemId: orderItems.id,
          name: orders.shippingName,
          line1: orders.shippingLine1,
          line2: orders.shippingLine2,
          city: orders.shippingCity,
          postalCode: orders.shippingPostalCode,
          country: orders.shippingCountry,
          title: orderItems.title,
          productType: orderItems.productType,
          size: orderItems.size,
          quantity: orderItems.quantity,
          productId: orderItems.productId,
        })
        .from(orders)
        .innerJoin(orderItems, eq(orderItems.orderId, orders.id))
        .where(
          and(
            condition,
            after
              ? sql`(${orders.createdAt}, ${orders.id}, ${orderItems.id}) > (${after.created}::timestamptz, ${after.orderId}::uuid, ${after.itemId}::uuid)`
              : undefined,
          ),
        )
        .orderBy(asc(orders.createdAt), asc(orders.id), asc(orderItems.id))
        .limit(CSV_PAGE);
      if (rows.length === 0) {
        controller.close();
        return;
      }
      const last = rows[rows.length - 1]!;
      after = { created: last.createdKey, orderId: last.orderId, itemId: last.itemId };
      const text = rows
        .map((r) =>
          [
            r.orderId,
            r.paidAt?.toISOString() ?? "",
            r.name,
            r.line1,
            r.line2,
            r.city,
            r.postalCode,
            r.country,
            r.title,
            PRODUCT_TYPE_LABELS[r.productType],
            r.size,
            String(r.quantity),
            `${origin}/admin/products/${r.productId}/print-file`,
          ]
            .map(csvField)
            .join(","),
        )
        .join("\n");
      controller.enqueue(encoder.encode(text + "\n"));
      if (rows.length < CSV_PAGE) controller.close();
    },
  });
}
