import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStripeEvent } from "~/domain/payment-events.server";
import { getEnv } from "~/lib/env.server";
import { stripeClient } from "~/lib/payments.server";

/**
 * Stripe's webhook. Exempt from the Origin check; instead the signature is
 * verified on the raw body with the endpoint's secret, and anything unsigned
 * or tampered with is refused before it touches an order.
 */
export async function action({ request }: ActionFunctionArgs) {
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET)
    return new Response("Stripe is not configured", { status: 404 });
  const signature = request.headers.get("Stripe-Signature");
  if (!signature) return new Response("Missing Stripe-Signature", { status: 400 });
  const body = await request.text();
  let event;
  try {
    event = stripeClient().webhooks.constructEvent(body, signature, env.STRIPE_WEBHOOK_SECRET);
  } catch {
    return new Response("Invalid signature", { status: 400 });
  }
  const outcome = await handleStripeEvent(event);
  return Response.json({ received: true, outcome });
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
