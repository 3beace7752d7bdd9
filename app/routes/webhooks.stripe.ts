import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveStripeEvent } from "~/domain/payment-events.server";
import { failureResponse } from "~/lib/outcome.server";

/**
 * Stripe's webhook. Exempt from the Origin check; instead the signature is
 * verified on the raw body with the endpoint's secret, and anything unsigned
 * or tampered with is refused before it touches an order.
 */
export async function action({ request }: ActionFunctionArgs) {
  const received = await receiveStripeEvent(await request.text(), request.headers.get("Stripe-Signature"));
  if (!received.ok) return failureResponse(received);
  return Response.json({ received: true, outcome: received.value });
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
