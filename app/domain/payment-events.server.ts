import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { stripeEvents } from "#db/schema";
import { db } from "~/lib/db.server";
import { cancelOrder, markOrderPaid, markOrderRefunded } from "./orders.server";

export type EventOutcome = "duplicate" | "ignored" | string;

function orderIdOf(object: { metadata?: Stripe.Metadata | null; client_reference_id?: string | null }): string | null {
  const id = object.metadata?.orderId ?? object.client_reference_id ?? null;
  return id && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

/**
 * What a verified Stripe event does to our orders. Each step is idempotent on
 * its own, and the event id is recorded, so a redelivery does nothing; events
 * may arrive in any order (a refund before its payment confirmation leaves the
 * order refunded, and the late confirmation then finds nothing to pay).
 */
export async function handleStripeEvent(event: Stripe.Event): Promise<EventOutcome> {
  const [seen] = await db
    .select({ id: stripeEvents.id })
    .from(stripeEvents)
    .where(eq(stripeEvents.id, event.id))
    .limit(1);
  if (seen) return "duplicate";
  let outcome: string;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      const orderId = orderIdOf(session);
      if (!orderId) outcome = "no order";
      else if (session.payment_status !== "paid") outcome = "awaiting payment";
      else
        outcome = await markOrderPaid(orderId, {
          reference:
            typeof session.payment_intent === "string"
              ? session.payment_intent
              : (session.payment_intent?.id ?? session.id),
        });
      break;
    }
    case "checkout.session.expired": {
      const orderId = orderIdOf(event.data.object);
      outcome = orderId ? await cancelOrder(orderId) : "no order";
      break;
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const orderId = orderIdOf(charge);
      if (!orderId) outcome = "no order";
      else if (charge.amount_refunded < charge.amount) outcome = "partial refund: left for an admin";
      else outcome = await markOrderRefunded(orderId, { actorId: null, evenIfUnpaid: true });
      break;
    }
    default:
      outcome = "ignored";
  }
  await db.insert(stripeEvents).values({ id: event.id, type: event.type, outcome }).onConflictDoNothing();
  return outcome;
}
