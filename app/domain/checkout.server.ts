import { db } from "~/lib/db.server";
import { savedAddressesOf } from "./addresses.server";
import { cartContents } from "./cart.server";
import { availableCredit } from "./ledger.server";
import { destinationsForCheckout, quoteOrder, type Quote } from "./shipping.server";

/**
 * What the cart and checkout pages show before payment: the cart, what
 * shipping and tax come to for a destination (by the same totals function
 * placeOrder uses), and what the page needs to quote any other destination
 * in the browser.
 */

type Destination = { country: string; region: string };

/** A quote, or why that destination cannot be shipped to (for the page to say). */
export type QuoteAnswer = { ok: true; totals: Quote } | { ok: false; message: string };

function linesOf(contents: Awaited<ReturnType<typeof cartContents>>) {
  return contents.lines.map((l) => ({ productType: l.type, unitPriceCents: l.unitPriceCents, quantity: l.quantity }));
}

async function answer(
  contents: Awaited<ReturnType<typeof cartContents>>,
  destination: Destination,
  creditCents: number,
): Promise<QuoteAnswer> {
  const quote = await quoteOrder(linesOf(contents), destination, creditCents);
  return quote.ok ? { ok: true, totals: quote.value } : { ok: false, message: quote.message };
}

/**
 * The checkout page: null when the cart is empty. The form starts from the
 * saved address asked for (`addressId`), else the newest one, else blank;
 * `"new"` asks for a blank form.
 */
export async function checkoutView(buyerId: string, cartId: string, addressId?: string, now = new Date()) {
  const contents = await cartContents(cartId);
  if (contents.lines.length === 0) return null;
  const [creditCents, saved, shop] = await Promise.all([
    availableCredit(db, buyerId, now).then((c) => Math.max(0, c)),
    savedAddressesOf(buyerId),
    destinationsForCheckout(),
  ]);
  const startAddress = addressId === "new" ? null : (saved.find((a) => a.id === addressId) ?? saved[0] ?? null);
  const destination = startAddress
    ? { country: startAddress.country, region: startAddress.region }
    : { country: shop.defaultCountry ?? "", region: "" };
  return {
    ...contents,
    currency: contents.lines[0]!.currency,
    creditCents,
    savedAddresses: saved,
    startAddress,
    ...shop,
    /** Before credit (the buyer chooses to spend it on the form). */
    quote: await answer(contents, destination, 0),
  };
}

/**
 * The cart's estimate: to the destination asked for, else the member's
 * newest saved address, else the shop's first zone. Tax by region needs the
 * region, so without one it is the country's rate.
 */
export async function cartEstimate(
  cartId: string | null,
  options: { buyerId?: string; destination?: Partial<Destination> },
) {
  const contents = cartId ? await cartContents(cartId) : { lines: [], subtotalCents: 0, itemCount: 0 };
  const shop = await destinationsForCheckout();
  const saved = options.buyerId && !options.destination?.country ? (await savedAddressesOf(options.buyerId))[0] : null;
  const country = options.destination?.country ?? saved?.country ?? shop.defaultCountry ?? "";
  const region = options.destination?.country ? (options.destination.region ?? "") : (saved?.region ?? "");
  return {
    ...contents,
    currency: contents.lines[0]?.currency ?? "usd",
    destination: { country, region },
    destinations: shop.destinations.map(({ country, name, regions }) => ({ country, name, regions })),
    taxByProvider: shop.taxByProvider,
    quote: contents.lines.length && country ? await answer(contents, { country, region }, 0) : null,
  };
}
