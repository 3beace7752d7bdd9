import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import { stripeEvents } from "#db/schema";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { verifyStripeEvent } from "~/lib/payments.server";
import { cancelOrder, markOrderPaid, refundOrder } from "./orders.server";
import { fail, ok, type Failure, type Outcome } from "./outcome";

/**
 * What Stripe is told and the stripe_events row records: a short note of what
 * the event did ("paid", "duplicate", "not-payable", …). Every verified event
 * is a success for Stripe, whatever the note: a refusal would only make it
 * deliver the event again.
 */
export type EventNote = string;

function orderIdOf(object: { metadata?: Stripe.Metadata | null; client_reference_id?: string | null }): string | null {
  const parsed = z.uuid().safeParse(object.metadata?.orderId ?? object.client_reference_id);
  return parsed.success ? parsed.data : null;
}

/** The note for a failed step: what it refused, in the log's words. */
function refusal(failure: Failure, conflict: string): EventNote {
  return failure.code === "not_found" ? "missing" : failure.code === "conflict" ? conflict : failure.code;
}

/**
 * A request to the webhook: its signature is checked against the endpoint's
 * secret on the raw body before anything touches an order.
 */
export async function receiveStripeEvent(body: string, signature: string | null): Promise<Outcome<EventNote>> {
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) return fail("not_found", "Stripe is not configured");
  if (!signature) return fail("invalid", "Missing Stripe-Signature");
  const event = await verifyStripeEvent(body, signature, env.STRIPE_WEBHOOK_SECRET);
  if (!event) return fail("invalid", "Invalid signature");
  return ok(await handleStripeEvent(event));
}

/**
 * What a verified Stripe event does to our orders. Each step is idempotent on
 * its own, and the event id is recorded, so a redelivery does nothing; events
 * may arrive in any order (a refund before its payment confirmation leaves the
 * order refunded, and the late confirmation then finds nothing to pay).
 */
export async function handleStripeEvent(event: Stripe.Event): Promise<EventNote> {
  const [seen] = await db
    .select({ id: stripeEvents.id })
    .from(stripeEvents)
    .where(eq(stripeEvents.id, event.id))
    .limit(1);
  if (seen) return "duplicate";
  const note = await applyStripeEvent(event);
  await db.insert(stripeEvents).values({ id: event.id, type: event.type, outcome: note }).onConflictDoNothing();
  return note;
}

async function applyStripeEvent(event: Stripe.Event): Promise<EventNote> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      const orderId = orderIdOf(session);
      if (!orderId) return "no order";
      if (session.payment_status !== "paid") return "awaiting payment";
      const reference =
        typeof session.payment_intent === "string"
          ? session.payment_intent
          : (session.payment_intent?.id ?? session.id);
      // With Stripe Tax the session reports the tax it charged; the order keeps it.
      const reportedTaxCents = session.total_details?.amount_tax ?? undefined;
      const paid = await markOrderPaid(orderId, { reference, reportedTaxCents });
      return paid.ok ? paid.value : refusal(paid, "not-payable");
    }
    case "checkout.session.expired": {
      const orderId = orderIdOf(event.data.object);
      if (!orderId) return "no order";
      const cancelled = await cancelOrder(orderId);
      return cancelled.ok ? "cancelled" : refusal(cancelled, "not-cancellable");
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const orderId = orderIdOf(charge);
      if (!orderId) return "no order";
      // The same refund an admin starts, minus returning the money: Stripe has done that, this much in all.
      const refunded = await refundOrder(orderId, { actorId: null, providerCardRefundedCents: charge.amount_refunded });
      return refunded.ok ? refunded.value : refusal(refunded, "not-refundable");
    }
    default:
      return "ignored";
  }
}
