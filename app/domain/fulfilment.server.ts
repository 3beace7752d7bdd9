import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { fulfilmentJobs, orderItems, orders, PRODUCT_TYPES, printfulVariants, type ProductType } from "#db/schema";
import { db, queryRows, type DbOrTx } from "~/lib/db.server";
import { FulfilmentError, fulfilmentProvider, type FulfilmentOrder } from "~/lib/fulfilment.server";
import { signedPrintFilePath } from "~/lib/print-file-links.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { recordAudit } from "./audit.server";
import { retryDelayMs } from "./mailer.server";
import { tellBuyerOrderShipped } from "./order-messages.server";
import { fail, ok, type Outcome } from "./outcome";
import { PRODUCT_TYPE_LABELS, VARIANTS } from "./products";
import { safeTrackingUrl, trackingUrlFor } from "./tracking";

/**
 * Fulfilment through a print-on-demand provider (Printful), after payment
 * and outside its transaction (docs/decisions/013-fulfilment.md):
 * `markOrderPaid` queues a job in the payment's transaction (an outbox, as
 * mail is), the server's fulfilment tick sends due jobs with retries, and an
 * admin can send one at once from the order page. The provider's shipped
 * webhook comes back through `recordShipment`, which any order of events
 * leaves right. With the `manual` provider nothing is queued.
 */

/** Attempts before a job waits for an admin (a provider down for about a day). */
const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 120;
const BATCH = 10;

/** In the payment's transaction: the paid order waits for the fulfilment tick. */
export async function queueFulfilment(tx: DbOrTx, orderId: string) {
  if (fulfilmentProvider().name !== "printful") return;
  await tx.insert(fulfilmentJobs).values({ orderId, provider: "printful" }).onConflictDoNothing();
}

export type SendResult = "sent" | "retrying" | "failed" | "cancelled" | "skipped";
export type SendTally = Record<SendResult, number>;

type ClaimedJob = { order_id: string; attempts: number; external_id: string | null };

/** Claims due jobs (SKIP LOCKED, so every instance may run the tick) and sends each. */
export async function sendDueFulfilment(options: { now?: Date; limit?: number } = {}): Promise<SendTally> {
  const tally: SendTally = { sent: 0, retrying: 0, failed: 0, cancelled: 0, skipped: 0 };
  if (fulfilmentProvider().name !== "printful") return tally;
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const claimed = await queryRows<ClaimedJob>(
    db,
    sql`update ${fulfilmentJobs} set locked_until = ${at}::timestamptz + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
        where order_id in (
          select order_id from ${fulfilmentJobs}
          where status = 'queued' and next_attempt_at <= ${at}::timestamptz and (locked_until is null or locked_until <= ${at}::timestamptz)
          order by next_attempt_at
          limit ${options.limit ?? BATCH}
          for update skip locked)
        returning order_id, attempts, external_id`,
  );
  for (const job of claimed) tally[await sendJob(job, now)]++;
  return tally;
}

/** The variant of the provider's catalog for each of our product types and sizes, as admins set it. */
export async function printfulVariantTable() {
  const rows = await db.select().from(printfulVariants);
  const set = new Map(rows.map((r) => [`${r.productType}\n${r.size}`, r.variantId]));
  return PRODUCT_TYPES.flatMap((type) =>
    VARIANTS[type].map(({ size }) => ({
      productType: type,
      label: PRODUCT_TYPE_LABELS[type],
      size,
      variantId: set.get(`${type}\n${size}`) ?? null,
    })),
  );
}

/** Saves the admin's table: a number sets a row, an empty field clears it. */
export async function savePrintfulVariants(
  rows: { productType: ProductType; size: string; variantId: number | null }[],
  adminId: string,
): Promise<Outcome> {
  const known = new Set(PRODUCT_TYPES.flatMap((type) => VARIANTS[type].map(({ size }) => `${type}\n${size}`)));
  if (rows.some((r) => !known.has(`${r.productType}\n${r.size}`)))
    return fail("invalid", "That size is not one the shop sells.");
  await db.transaction(async (tx) => {
    for (const row of rows) {
      if (row.variantId === null) {
        await tx
          .delete(printfulVariants)
          .where(and(eq(printfulVariants.productType, row.productType), eq(printfulVariants.size, row.size)));
        continue;
      }
      await tx
        .insert(printfulVariants)
        .values({ productType: row.productType, size: row.size, variantId: row.variantId, updatedById: adminId })
        .onConflictDoUpdate({
          target: [printfulVariants.productType, printfulVariants.size],
          set: { variantId: row.variantId, updatedById: adminId, updatedAt: new Date() },
        });
    }
    await recordAudit(tx, {
      actorId: adminId,
      action: "printful.variants",
      subjectType: "order",
      subjectId: "printful-variants",
      detail: { rows },
    });
  });
  return ok();
}

/** The order as the provider needs it, or why it cannot be sent yet (a size with no variant). */
async function fulfilmentOrder(orderId: string, now: Date): Promise<Outcome<FulfilmentOrder>> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!order) return fail("not_found", "There is no such order.");
  const items = await db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.id));
  const mapping = await db
    .select()
    .from(printfulVariants)
    .where(
      inArray(
        printfulVariants.productType,
        items.map((i) => i.productType),
      ),
    );
  const variantOf = (type: string, size: string) =>
    mapping.find((m) => m.productType === type && m.size === size)?.variantId;
  const unmapped = items.filter((i) => !variantOf(i.productType, i.size));
  if (unmapped.length)
    return fail(
      "conflict",
      `No Printful variant is set for ${unmapped.map((i) => `${PRODUCT_TYPE_LABELS[i.productType]} ${i.size}`).join(", ")}: set it under Admin → Printful, then send again.`,
    );
  const origin = publicOrigin();
  const built: FulfilmentOrder["items"] = [];
  for (const item of items) {
    const path = signedPrintFilePath(item.productId, now);
    if (!path) return fail("conflict", "Print file links need PRINTFUL_WEBHOOK_SECRET.");
    built.push({
      id: item.id,
      title: item.title,
      productLabel: PRODUCT_TYPE_LABELS[item.productType],
      size: item.size,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
      variantId: variantOf(item.productType, item.size)!,
      printFileUrl: origin + path,
      printFileName: `crowdthread-${item.productId.slice(0, 8)}-${item.productType}.png`,
    });
  }
  return ok({
    id: order.id,
    currency: order.currency,
    subtotalCents: order.subtotalCents,
    shippingCents: order.shippingCents,
    taxCents: order.taxCents,
    recipient: {
      name: order.shippingName,
      line1: order.shippingLine1,
      line2: order.shippingLine2,
      city: order.shippingCity,
      region: order.shippingRegion,
      postalCode: order.shippingPostalCode,
      country: order.shippingCountry,
    },
    items: built,
  });
}

function settleJob(orderId: string, set: Partial<typeof fulfilmentJobs.$inferInsert>) {
  return db
    .update(fulfilmentJobs)
    .set({ lockedUntil: null, ...set })
    .where(eq(fulfilmentJobs.orderId, orderId));
}

/** One claimed job, sent outside any transaction; the outcome is written back to the job. */
async function sendJob(job: ClaimedJob, now: Date): Promise<SendResult> {
  const provider = fulfilmentProvider();
  const [order] = await db
    .select({ status: orders.status, fulfilment: orders.fulfilment })
    .from(orders)
    .where(eq(orders.id, job.order_id))
    .limit(1);
  if (!order || order.status !== "paid") {
    // Refunded (or never paid) before it went out: nothing to make.
    await settleJob(job.order_id, { status: "cancelled", lastError: `The order is ${order?.status ?? "gone"}.` });
    return "cancelled";
  }
  if (order.fulfilment === "shipped" || order.fulfilment === "delivered") {
    // The parcel left already (shipped by hand, or Printful's webhook came first).
    await settleJob(job.order_id, { status: "sent", sentAt: now, lastError: null });
    return "skipped";
  }
  if (provider.name !== "printful") {
    await settleJob(job.order_id, { lastError: "Printful is not configured (PRINTFUL_API_KEY)." });
    return "retrying";
  }
  const built = await fulfilmentOrder(job.order_id, now);
  if (!built.ok) {
    await settleJob(job.order_id, { status: "failed", lastError: built.message });
    return "failed";
  }
  try {
    const sent = await provider.send(built.value, {
      externalId: job.external_id,
      attempt: job.attempts,
      remember: async (externalId) => {
        await db.update(fulfilmentJobs).set({ externalId }).where(eq(fulfilmentJobs.orderId, job.order_id));
      },
    });
    await db.transaction(async (tx) => {
      await tx
        .update(fulfilmentJobs)
        .set({ status: "sent", sentAt: new Date(), lockedUntil: null, lastError: null, externalId: sent.externalId })
        .where(eq(fulfilmentJobs.orderId, job.order_id));
      // Only forward: a parcel reported shipped meanwhile stays shipped.
      await tx
        .update(orders)
        .set({ fulfilment: "in_production" })
        .where(and(eq(orders.id, job.order_id), eq(orders.status, "paid"), eq(orders.fulfilment, "unfulfilled")));
      await recordAudit(tx, {
        actorId: null,
        action: "order.sent_to_printful",
        subjectType: "order",
        subjectId: job.order_id,
        detail: { printfulOrder: sent.externalId, status: sent.externalStatus },
      });
    });
    return "sent";
  } catch (error) {
    const failure =
      error instanceof FulfilmentError ? error : new FulfilmentError(String((error as Error).message), true);
    const giveUp = !failure.retryable || job.attempts >= MAX_ATTEMPTS;
    await settleJob(
      job.order_id,
      giveUp
        ? { status: "failed", lastError: failure.message.slice(0, 500) }
        : {
            nextAttemptAt: new Date(now.getTime() + retryDelayMs(job.attempts)),
            lastError: failure.message.slice(0, 500),
          },
    );
    console.warn(`[fulfilment] ${giveUp ? "gave up on" : "will retry"} order ${job.order_id}: ${failure.message}`);
    return giveUp ? "failed" : "retrying";
  }
}

export type SendNowStatus = "sent" | "already-sent";

/**
 * An admin's "Send to Printful": for a paid order that has no job yet (paid
 * before Printful was set up), or whose job failed or waits. Sends at once
 * and says how it went; a job another server is sending right now is left to it.
 */
export async function sendOrderNow(
  orderId: string,
  adminId: string,
  now = new Date(),
): Promise<Outcome<SendNowStatus>> {
  if (fulfilmentProvider().name !== "printful")
    return fail("conflict", "Printful is not configured: set PRINTFUL_API_KEY to send orders to it.");
  const [order] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!order) return fail("not_found", "There is no such order.");
  if (order.status !== "paid") return fail("conflict", "Only paid orders are sent to Printful.");
  await db
    .insert(fulfilmentJobs)
    .values({ orderId, provider: "printful" })
    .onConflictDoUpdate({
      target: fulfilmentJobs.orderId,
      set: { status: "queued", nextAttemptAt: now, lastError: null },
      setWhere: inArray(fulfilmentJobs.status, ["failed", "queued"]),
    });
  const at = now.toISOString();
  const [job] = await queryRows<ClaimedJob>(
    db,
    sql`update ${fulfilmentJobs} set locked_until = ${at}::timestamptz + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
        where order_id = ${orderId} and status = 'queued' and (locked_until is null or locked_until <= ${at}::timestamptz)
        returning order_id, attempts, external_id`,
  );
  if (!job) {
    const [current] = await db
      .select({ status: fulfilmentJobs.status })
      .from(fulfilmentJobs)
      .where(eq(fulfilmentJobs.orderId, orderId));
    if (current?.status === "sent") return ok("already-sent" as const);
    return fail("conflict", "This order is being sent right now; look again in a minute.");
  }
  await recordAudit(db, {
    actorId: adminId,
    action: "order.send_to_printful",
    subjectType: "order",
    subjectId: orderId,
  });
  const result = await sendJob(job, now);
  if (result === "sent" || result === "skipped") return ok("sent" as const);
  const [after] = await db
    .select({ lastError: fulfilmentJobs.lastError })
    .from(fulfilmentJobs)
    .where(eq(fulfilmentJobs.orderId, orderId));
  const message = after?.lastError ?? "Printful did not take the order.";
  return result === "retrying"
    ? fail("unavailable", `${message} It will be tried again automatically.`)
    : fail("conflict", message);
}

/** A parcel the provider reports sent: who carries it, its tracking number and page, and when it left. */
export type ShipmentReport = {
  carrier: string | null;
  trackingNumber: string;
  trackingUrl: string | null;
  shippedAt: Date;
};

export type ShipmentNote = "shipped" | "stale" | "missing" | "not-shippable";

/**
 * The provider's "package shipped", in the caller's transaction. It works in
 * any order: for an order not yet marked sent (the webhook beat our own
 * bookkeeping) it marks it shipped all the same, and a report older than the
 * parcel already recorded, or for a delivered order, changes nothing
 * ("stale"). A refunded or cancelled order is not shipped ("not-shippable").
 */
export async function recordShipment(tx: DbOrTx, orderId: string, report: ShipmentReport): Promise<ShipmentNote> {
  const [order] = await tx
    .select({ status: orders.status, fulfilment: orders.fulfilment, shippedAt: orders.shippedAt })
    .from(orders)
    .where(eq(orders.id, orderId))
    .for("update");
  if (!order) return "missing";
  if (order.status !== "paid") return "not-shippable";
  if (order.fulfilment === "delivered") return "stale";
  if (order.shippedAt && order.shippedAt.getTime() >= report.shippedAt.getTime()) return "stale";
  await tx
    .update(orders)
    .set({
      fulfilment: "shipped",
      carrier: report.carrier,
      trackingNumber: report.trackingNumber,
      trackingUrl: safeTrackingUrl(report.trackingUrl) ?? trackingUrlFor(report.carrier, report.trackingNumber),
      shippedAt: report.shippedAt,
    })
    .where(eq(orders.id, orderId));
  // The provider has the order, whatever our job says.
  await tx
    .update(fulfilmentJobs)
    .set({ status: "sent", sentAt: sql`coalesce(${fulfilmentJobs.sentAt}, now())`, lockedUntil: null, lastError: null })
    .where(and(eq(fulfilmentJobs.orderId, orderId), inArray(fulfilmentJobs.status, ["queued", "failed"])));
  await tellBuyerOrderShipped(tx, orderId);
  await recordAudit(tx, {
    actorId: null,
    action: "order.shipped",
    subjectType: "order",
    subjectId: orderId,
    detail: { carrier: report.carrier, trackingNumber: report.trackingNumber },
  });
  return "shipped";
}
