import type { ActionFunctionArgs } from "@remix-run/node";
import { receivePrintfulEvent } from "~/domain/printful-events.server";
import { failureResponse } from "~/lib/outcome.server";

/**
 * Printful's webhook, registered as `/webhooks/printful?token=<PRINTFUL_WEBHOOK_SECRET>`.
 * Exempt from the Origin check; a request without the token is refused
 * before anything reads its body further or touches an order.
 */
export async function action({ request }: ActionFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const received = await receivePrintfulEvent(await request.text(), token);
  if (!received.ok) return failureResponse(received);
  return Response.json({ received: true, outcome: received.value });
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
