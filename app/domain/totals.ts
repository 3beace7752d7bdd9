import type { ProductType } from "#db/schema";

/**
 * The money of one order, worked out in one place for the cart, checkout,
 * the order pages and both payment providers. Integer cents and basis points;
 * never floats.
 *
 *   subtotal = Σ unit price × quantity
 *   shipping = the destination zone's rates (see `shippingCost`)
 *   tax      = rate × (subtotal + shipping), rounded half up to the cent,
 *              or what Stripe Tax reported
 *   total    = subtotal + shipping + tax
 *   credit   = the store credit spent, at most the total
 *   due      = total − credit
 *
 * Royalties are not here: they are a share of each item's price alone.
 */

export type TotalsLine = { productType: ProductType; unitPriceCents: number; quantity: number };

export type ShippingRate = { firstItemCents: number; additionalItemCents: number };

/** What one shipping zone charges. */
export type ZoneRule = {
  rates: Partial<Record<ProductType, ShippingRate>>;
  /** Shipping is free when the items' subtotal reaches this; null: never free. */
  freeShippingOverCents: number | null;
};

/** How the tax of an order is known. */
export type TaxInput =
  /** The admins' rate for the destination, charged on items and shipping. */
  | { rateBps: number }
  /** Already worked out: an order's stored tax, or what Stripe Tax reported. */
  | { cents: number }
  /** Stripe Tax works it out when the buyer pays; zero until then. */
  | { byProvider: true };

export type Totals = {
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  creditCents: number;
  amountDueCents: number;
  /** The tax is Stripe's to work out at payment and is not in the total yet. */
  taxPending: boolean;
};

export function itemsSubtotal(lines: readonly TotalsLine[]): number {
  return lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
}

/**
 * Shipping to a zone: for each product type in the order, its first unit at
 * the first-item rate and every further unit at the additional-item rate
 * (tees and posters travel in different packages); free when the items'
 * subtotal reaches the zone's threshold. Null when the zone has no rate for a
 * type in the order: it does not ship that.
 */
export function shippingCost(lines: readonly TotalsLine[], zone: ZoneRule): number | null {
  const units = new Map<ProductType, number>();
  for (const line of lines) units.set(line.productType, (units.get(line.productType) ?? 0) + line.quantity);
  let cents = 0;
  for (const [type, count] of units) {
    const rate = zone.rates[type];
    if (!rate) return null;
    if (count > 0) cents += rate.firstItemCents + (count - 1) * rate.additionalItemCents;
  }
  if (zone.freeShippingOverCents !== null && itemsSubtotal(lines) >= zone.freeShippingOverCents) return 0;
  return cents;
}

/** `bps` of `cents`, rounded half up to the cent (the royalty rule's rounding). */
export function taxAt(cents: number, bps: number): number {
  return Math.floor((cents * bps + 5000) / 10000);
}

/** Tax rates by country, then region ('' for the whole country), in basis points. */
export type TaxRateTable = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The region's rate if it has one, else the country's, else none. */
export function taxRateFrom(table: TaxRateTable, country: string, region: string): number {
  const ofCountry = table[country] ?? {};
  return (region ? ofCountry[region] : undefined) ?? ofCountry[""] ?? 0;
}

/** The one totals rule. `creditCents` is the credit offered (the buyer's balance, or an order's stored credit). */
export function orderTotals(input: {
  lines: readonly TotalsLine[];
  shippingCents: number;
  tax: TaxInput;
  creditCents: number;
}): Totals {
  const subtotalCents = itemsSubtotal(input.lines);
  const shippingCents = input.shippingCents;
  const { tax } = input;
  const taxCents =
    "rateBps" in tax ? taxAt(subtotalCents + shippingCents, tax.rateBps) : "cents" in tax ? tax.cents : 0;
  const totalCents = subtotalCents + shippingCents + taxCents;
  const creditCents = Math.min(Math.max(0, input.creditCents), totalCents);
  return {
    subtotalCents,
    shippingCents,
    taxCents,
    totalCents,
    creditCents,
    amountDueCents: totalCents - creditCents,
    taxPending: "byProvider" in tax,
  };
}

/** The tax input of a stored order: what it recorded, or pending while Stripe Tax has not reported yet. */
export function storedTax(order: { taxSource: "rates" | "stripe"; taxCents: number; status: string }): TaxInput {
  return order.taxSource === "stripe" && order.status === "pending_payment"
    ? { byProvider: true }
    : { cents: order.taxCents };
}

/** A stored order's totals, by the same rule (its items, shipping, tax and credit as recorded). */
export function totalsOfOrder(order: {
  items: readonly TotalsLine[];
  shippingCents: number;
  taxCents: number;
  taxSource: "rates" | "stripe";
  status: string;
  creditCents: number;
}): Totals {
  return orderTotals({
    lines: order.items,
    shippingCents: order.shippingCents,
    tax: storedTax(order),
    creditCents: order.creditCents,
  });
}
