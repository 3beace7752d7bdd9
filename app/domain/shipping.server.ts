import { and, asc, eq, inArray, ne } from "drizzle-orm";
import {
  PRODUCT_TYPES,
  type ProductType,
  shippingRates,
  shippingZoneCountries,
  shippingZones,
  taxRates,
} from "#db/schema";
import { isUniqueViolation } from "~/lib/db-errors.server";
import { db, type DbOrTx } from "~/lib/db.server";
import { taxedByStripe } from "~/lib/payments.server";
import { recordAudit } from "./audit.server";
import { addressRules, countryName, destinationsFor, regionsOf } from "./addresses.server";
import type { AddressRules, Destination } from "./order-forms";
import { fail, ok, type Outcome } from "./outcome";
import { PRODUCT_TYPE_LABELS } from "./products";
import {
  orderTotals,
  shippingCost,
  taxRateFrom,
  type ShippingRate,
  type TaxInput,
  type TaxRateTable,
  type Totals,
  type TotalsLine,
  type ZoneRule,
} from "./totals";

/**
 * Where the shop ships and what it charges: shipping zones (a name, its
 * countries, a rate per product type, an optional free-shipping threshold)
 * and, for orders not taxed by Stripe Tax, tax rates per country or region.
 * Admins set both on /admin/shipping; checkout, the cart and placeOrder read
 * them here.
 */

export type ShippingZone = ZoneRule & { id: string; name: string; countries: string[] };

/** Every zone with its countries and rates, in the order they were made. */
export async function allShippingZones(runner: DbOrTx = db): Promise<ShippingZone[]> {
  const [zones, countries, rates] = await Promise.all([
    runner.select().from(shippingZones).orderBy(asc(shippingZones.createdAt), asc(shippingZones.id)),
    runner.select().from(shippingZoneCountries).orderBy(asc(shippingZoneCountries.country)),
    runner.select().from(shippingRates),
  ]);
  return zones.map((zone) => ({
    id: zone.id,
    name: zone.name,
    freeShippingOverCents: zone.freeShippingOverCents,
    countries: countries.filter((c) => c.zoneId === zone.id).map((c) => c.country),
    rates: Object.fromEntries(
      rates
        .filter((r) => r.zoneId === zone.id)
        .map((r) => [r.productType, { firstItemCents: r.firstItemCents, additionalItemCents: r.additionalItemCents }]),
    ),
  }));
}

/** The zone that has this country; null when the shop does not ship there. */
export async function zoneForCountry(country: string, runner: DbOrTx = db): Promise<ShippingZone | null> {
  const [row] = await runner
    .select({ zoneId: shippingZoneCountries.zoneId })
    .from(shippingZoneCountries)
    .where(eq(shippingZoneCountries.country, country))
    .limit(1);
  if (!row) return null;
  const [zone] = await runner.select().from(shippingZones).where(eq(shippingZones.id, row.zoneId));
  const rates = await runner.select().from(shippingRates).where(eq(shippingRates.zoneId, row.zoneId));
  return {
    id: zone!.id,
    name: zone!.name,
    freeShippingOverCents: zone!.freeShippingOverCents,
    countries: [country],
    rates: Object.fromEntries(
      rates.map((r) => [
        r.productType,
        { firstItemCents: r.firstItemCents, additionalItemCents: r.additionalItemCents },
      ]),
    ),
  };
}

/** Every country some zone has. */
export async function shippingCountries(runner: DbOrTx = db): Promise<Set<string>> {
  const rows = await runner.select({ country: shippingZoneCountries.country }).from(shippingZoneCountries);
  return new Set(rows.map((r) => r.country));
}

/** The address rules of the moment: the registry's countries, and the zones' countries as the ones we ship to. */
export async function currentAddressRules(): Promise<AddressRules> {
  return addressRules(await shippingCountries());
}

/** The destination's rate, by the rule the browser's quote uses too (`taxRateFrom`). */
export async function taxRateFor(country: string, region: string, runner: DbOrTx = db): Promise<number> {
  const rows = await runner
    .select({ region: taxRates.region, rateBps: taxRates.rateBps })
    .from(taxRates)
    .where(and(eq(taxRates.country, country), inArray(taxRates.region, region ? ["", region] : [""])));
  return taxRateFrom({ [country]: Object.fromEntries(rows.map((r) => [r.region, r.rateBps])) }, country, region);
}

export type Destinations = {
  destinations: (Destination & { zone: ZoneRule })[];
  /** Where a quote starts before the buyer says: the first zone's first country. */
  defaultCountry: string | null;
  taxRates: TaxRateTable;
  taxByProvider: boolean;
};

/**
 * What the checkout page needs to quote any destination in the browser with
 * the same totals function: each country we ship to (with its regions and
 * its zone's rule) and the tax rates there.
 */
export async function destinationsForCheckout(): Promise<Destinations> {
  const zones = await allShippingZones();
  const zoneOf = new Map(zones.flatMap((z) => z.countries.map((c) => [c, z] as const)));
  const destinations = destinationsFor([...zoneOf.keys()]).map((d) => {
    const zone = zoneOf.get(d.country)!;
    return { ...d, zone: { rates: zone.rates, freeShippingOverCents: zone.freeShippingOverCents } };
  });
  const byCountry: Record<string, Record<string, number>> = {};
  const taxByProvider = taxedByStripe();
  if (!taxByProvider && zoneOf.size) {
    const rows = await db
      .select()
      .from(taxRates)
      .where(inArray(taxRates.country, [...zoneOf.keys()]));
    for (const row of rows) (byCountry[row.country] ??= {})[row.region] = row.rateBps;
  }
  return { destinations, defaultCountry: zones[0]?.countries[0] ?? null, taxRates: byCountry, taxByProvider };
}

export type Quote = Totals & { zoneName: string };

/**
 * An order's totals to a destination: refused (on the country field) when
 * no zone has the country, or its zone has no rate for something in the
 * order. `creditCents` is the credit the buyer offers.
 */
export async function quoteOrder(
  lines: readonly TotalsLine[],
  destination: { country: string; region: string },
  creditCents: number,
  options: { taxByProvider?: boolean; runner?: DbOrTx } = {},
): Promise<Outcome<Quote>> {
  const runner = options.runner ?? db;
  const taxByProvider = options.taxByProvider ?? taxedByStripe();
  const name = countryName(destination.country) ?? destination.country;
  const zone = await zoneForCountry(destination.country, runner);
  if (!zone) return fail("invalid", `Sorry, we don't ship to ${name} yet`, { field: "country" });
  const shippingCents = shippingCost(lines, zone);
  if (shippingCents === null) {
    const missing = PRODUCT_TYPES.find((t) => lines.some((l) => l.productType === t) && !zone.rates[t]);
    return fail("invalid", `Sorry, we can't ship ${PRODUCT_TYPE_LABELS[missing!].toLowerCase()}s to ${name} yet`, {
      field: "country",
    });
  }
  const tax: TaxInput = taxByProvider
    ? { byProvider: true }
    : { rateBps: await taxRateFor(destination.country, destination.region, runner) };
  return ok({ ...orderTotals({ lines, shippingCents, tax, creditCents }), zoneName: zone.name });
}

export type ZoneInput = {
  name: string;
  countries: string[];
  freeShippingOverCents: number | null;
  rates: Record<ProductType, ShippingRate>;
};

/** Creates a zone, or replaces one's name, countries, threshold and rates. A country belongs to one zone only. */
export async function saveShippingZone(
  input: ZoneInput & { zoneId?: string },
  actorId: string | null,
): Promise<Outcome<{ zoneId: string }>> {
  const unknown = input.countries.filter((c) => !countryName(c));
  if (unknown.length) return fail("invalid", `Not country codes: ${unknown.join(", ")}`, { field: "countries" });
  try {
    return await db.transaction(async (tx) => {
      // Checked before anything is written: a failure returned from here commits what was written.
      const taken = await tx
        .select({ country: shippingZoneCountries.country, zone: shippingZones.name })
        .from(shippingZoneCountries)
        .innerJoin(shippingZones, eq(shippingZones.id, shippingZoneCountries.zoneId))
        .where(
          and(
            inArray(shippingZoneCountries.country, input.countries),
            input.zoneId ? ne(shippingZoneCountries.zoneId, input.zoneId) : undefined,
          ),
        );
      if (taken.length)
        return fail("invalid", `Already in another zone: ${taken.map((t) => `${t.country} (${t.zone})`).join(", ")}`, {
          field: "countries",
        });
      let zoneId = input.zoneId;
      if (zoneId) {
        const updated = await tx
          .update(shippingZones)
          .set({ name: input.name, freeShippingOverCents: input.freeShippingOverCents })
          .where(eq(shippingZones.id, zoneId))
          .returning({ id: shippingZones.id });
        if (!updated.length) return fail("not_found", "There is no such shipping zone.");
      } else {
        const [created] = await tx
          .insert(shippingZones)
          .values({ name: input.name, freeShippingOverCents: input.freeShippingOverCents })
          .returning({ id: shippingZones.id });
        zoneId = created!.id;
      }
      await tx.delete(shippingZoneCountries).where(eq(shippingZoneCountries.zoneId, zoneId));
      await tx.insert(shippingZoneCountries).values(input.countries.map((country) => ({ country, zoneId: zoneId! })));
      await tx.delete(shippingRates).where(eq(shippingRates.zoneId, zoneId));
      await tx
        .insert(shippingRates)
        .values(PRODUCT_TYPES.map((productType) => ({ zoneId: zoneId!, productType, ...input.rates[productType] })));
      await recordAudit(tx, {
        actorId,
        action: input.zoneId ? "shipping.zone_updated" : "shipping.zone_created",
        subjectType: "shipping",
        subjectId: zoneId,
        detail: { ...input },
      });
      return ok({ zoneId });
    });
  } catch (error) {
    // Two zones of one name, or a country taken by a zone saved at the same moment.
    if (isUniqueViolation(error))
      return fail("invalid", "Another zone has this name or one of these countries.", { field: "name" });
    throw error;
  }
}

export async function deleteShippingZone(zoneId: string, actorId: string | null): Promise<Outcome<{ name: string }>> {
  return db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(shippingZones)
      .where(eq(shippingZones.id, zoneId))
      .returning({ name: shippingZones.name });
    if (!deleted) return fail("not_found", "There is no such shipping zone.");
    await recordAudit(tx, {
      actorId,
      action: "shipping.zone_deleted",
      subjectType: "shipping",
      subjectId: zoneId,
      detail: { name: deleted.name },
    });
    return ok({ name: deleted.name });
  });
}

/** All tax rates, by country then region. */
export async function allTaxRates() {
  const rows = await db
    .select({ country: taxRates.country, region: taxRates.region, rateBps: taxRates.rateBps })
    .from(taxRates)
    .orderBy(asc(taxRates.country), asc(taxRates.region));
  return rows.map((row) => ({
    ...row,
    countryName: countryName(row.country) ?? row.country,
    regionName: row.region ? (regionsOf(row.country)?.find((r) => r.code === row.region)?.name ?? row.region) : "",
  }));
}

/** Sets the rate of a country ('' region) or of one of its regions. */
export async function saveTaxRate(
  input: { country: string; region: string; rateBps: number },
  actorId: string | null,
): Promise<Outcome> {
  if (!countryName(input.country))
    return fail("invalid", "Choose a country code such as US or DE", { field: "country" });
  if (input.region) {
    const regions = regionsOf(input.country);
    if (!regions)
      return fail("invalid", "Addresses in this country have no region: leave it empty", { field: "region" });
    if (!regions.some((r) => r.code === input.region))
      return fail("invalid", `Not a region code of ${countryName(input.country)}`, { field: "region" });
  }
  await db.transaction(async (tx) => {
    await tx
      .insert(taxRates)
      .values(input)
      .onConflictDoUpdate({ target: [taxRates.country, taxRates.region], set: { rateBps: input.rateBps } });
    await recordAudit(tx, {
      actorId,
      action: "tax.rate_set",
      subjectType: "shipping",
      subjectId: `${input.country}${input.region ? `-${input.region}` : ""}`,
      detail: { ...input },
    });
  });
  return ok();
}

export async function deleteTaxRate(
  input: { country: string; region: string },
  actorId: string | null,
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(taxRates)
      .where(and(eq(taxRates.country, input.country), eq(taxRates.region, input.region)))
      .returning({ country: taxRates.country });
    if (!deleted.length) return fail("not_found", "There is no such tax rate.");
    await recordAudit(tx, {
      actorId,
      action: "tax.rate_deleted",
      subjectType: "shipping",
      subjectId: `${input.country}${input.region ? `-${input.region}` : ""}`,
      detail: { ...input },
    });
    return ok();
  });
}

/** What one item of a product costs to ship to a country, as the product page shows it before the cart. */
export type ShippingEstimate =
  | {
      ships: true;
      country: string;
      countryName: string;
      zoneName: string;
      /** This item alone, and each further item of the same type in the same order. */
      firstItemCents: number;
      additionalItemCents: number;
      /** Shipping is free on orders whose items reach this, when the zone has a threshold. */
      freeShippingOverCents: number | null;
      /** True when this one item already reaches the threshold. */
      freeForThisItem: boolean;
    }
  | { ships: false; country: string; countryName: string; message: string };

/**
 * The product page's shipping estimate: the zone's rate for the product's
 * type to the country, by the rule checkout charges (`shippingCost`), for
 * one item at `unitPriceCents`. Checkout adds tax and the other items.
 */
export async function estimateShipping(
  productType: ProductType,
  unitPriceCents: number,
  country: string,
): Promise<ShippingEstimate> {
  const name = countryName(country) ?? country;
  const zone = await zoneForCountry(country);
  if (!zone) return { ships: false, country, countryName: name, message: `Sorry, we don't ship to ${name} yet.` };
  const rate = zone.rates[productType];
  const oneItem = shippingCost([{ productType, unitPriceCents, quantity: 1 }], zone);
  if (!rate || oneItem === null)
    return {
      ships: false,
      country,
      countryName: name,
      message: `Sorry, we can't ship ${PRODUCT_TYPE_LABELS[productType].toLowerCase()}s to ${name} yet.`,
    };
  return {
    ships: true,
    country,
    countryName: name,
    zoneName: zone.name,
    firstItemCents: rate.firstItemCents,
    additionalItemCents: rate.additionalItemCents,
    freeShippingOverCents: zone.freeShippingOverCents,
    freeForThisItem: oneItem === 0,
  };
}

/**
 * The countries the product page's estimate offers (those some zone has, by
 * name) and the one it starts on: the country asked for when the shop ships
 * there, else the buyer's newest saved address's, else the shop's first.
 * Null when no zone is set up yet.
 */
export async function estimateCountries(asked: string | undefined, buyerCountry: string | null) {
  const countries = await shippingCountries();
  if (countries.size === 0) return null;
  const choices = destinationsFor([...countries]).map((d) => ({ code: d.country, name: d.name }));
  // The checkout's starting country too (destinationsForCheckout): the first zone's first country.
  const [first] = await db
    .select({ country: shippingZoneCountries.country })
    .from(shippingZoneCountries)
    .innerJoin(shippingZones, eq(shippingZones.id, shippingZoneCountries.zoneId))
    .orderBy(asc(shippingZones.createdAt), asc(shippingZones.id), asc(shippingZoneCountries.country))
    .limit(1);
  const chosen =
    asked && countryName(asked)
      ? asked
      : buyerCountry && countries.has(buyerCountry)
        ? buyerCountry
        : (first?.country ?? choices[0]!.code);
  return { choices, chosen };
}
