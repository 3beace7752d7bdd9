import { createHash, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { printfulEvents } from "#db/schema";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { orderIdFromPrintful } from "~/lib/fulfilment.server";
import { recordShipment } from "./fulfilment.server";
import { fail, ok, type Outcome } from "./outcome";
import { hasControlCharacters } from "./safe-text";

/**
 * Printful's webhook (docs/decisions/013-fulfilment.md). Printful signs
 * nothing in its v1 webhooks, so the endpoint is registered with our shared
 * secret in its URL (`/webhooks/printful?token=…`) and a request without it
 * is refused before its body is read. A verified event answers 200 with a
 * note of what it did, whatever it was: Printful would only retry a refusal.
 */
export type PrintfulNote = string;

const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !hasControlCharacters(value));

/** The parts of `package_shipped` we read; Printful sends more. */
const packageShipped = z.object({
  type: z.literal("package_shipped"),
  created: z.number().int(),
  store: z.number().int().optional(),
  data: z.object({
    shipment: z.object({
      id: z.number().int(),
      carrier: text(100).nullish(),
      service: text(200).nullish(),
      tracking_number: text(100).pipe(z.string().trim().min(1)),
      tracking_url: text(500).nullish(),
      /** Unix seconds; Printful also sends `created` for the same moment. */
      shipped_at: z.number().int().optional(),
      created: z.number().int().optional(),
    }),
    order: z.object({ id: z.number().int(), external_id: z.string().max(64).nullish() }),
  }),
});

const anyEvent = z.object({ type: text(100), created: z.number().optional(), store: z.number().int().optional() });

function sameSecret(given: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A request to the webhook: the token in its URL first, then the body. */
export async function receivePrintfulEvent(body: string, token: string | null): Promise<Outcome<PrintfulNote>> {
  const env = getEnv();
  if (!env.PRINTFUL_API_KEY || !env.PRINTFUL_WEBHOOK_SECRET) return fail("not_found", "Printful is not configured");
  if (!token || !sameSecret(token, env.PRINTFUL_WEBHOOK_SECRET))
    return fail("forbidden", "This webhook needs its token: the request was not sent by Printful");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return fail("invalid", "The body is not JSON");
  }
  const event = anyEvent.safeParse(json);
  if (!event.success) return fail("invalid", "Not a Printful event");
  if (env.PRINTFUL_STORE_ID && event.data.store !== undefined && String(event.data.store) !== env.PRINTFUL_STORE_ID)
    return ok("other store: ignored");
  if (event.data.type !== "package_shipped") return ok("ignored");
  const shipped = packageShipped.safeParse(json);
  if (!shipped.success) return fail("invalid", "A package_shipped event without a shipment or an order");
  return ok(await applyPackageShipped(shipped.data));
}

/**
 * One parcel, once: the event is keyed on Printful's shipment id (each
 * package, and each reshipment, has its own), recorded in the same
 * transaction that applies it, so a redelivery, even a concurrent one, is
 * a "duplicate" that changes nothing.
 */
async function applyPackageShipped(event: z.infer<typeof packageShipped>): Promise<PrintfulNote> {
  const { shipment, order } = event.data;
  const key = `package_shipped:${shipment.id}`;
  const orderId = orderIdFromPrintful(order.external_id);
  return db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(printfulEvents)
      .values({ id: key, type: event.type, outcome: "received" })
      .onConflictDoNothing()
      .returning({ id: printfulEvents.id });
    if (!fresh) return "duplicate";
    const note = orderId
      ? await recordShipment(tx, orderId, {
          carrier: shipment.carrier ?? null,
          trackingNumber: shipment.tracking_number,
          trackingUrl: shipment.tracking_url ?? null,
          shippedAt: new Date((shipment.shipped_at ?? shipment.created ?? event.created) * 1000),
        })
      : "not ours";
    await tx.update(printfulEvents).set({ outcome: note }).where(eq(printfulEvents.id, key));
    return note;
  });
}
