import { and, asc, desc, eq, notInArray } from "drizzle-orm";
import { allCountries } from "country-region-data";
import { savedAddresses } from "#db/schema";
import { db } from "~/lib/db.server";
import { REGION_LABELS, type AddressRules, type Destination, type Region } from "./order-forms";
import { fail, ok, type Outcome } from "./outcome";

/** An address as an order or a saved address holds it. */
export type ShippingAddress = {
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
};

/** The registry's countries (ISO 3166-1 alpha-2) and their subdivisions. */
const REGISTRY = new Map(allCountries.map(([name, code, regions]) => [code as string, { name, regions }]));
const displayNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** "US" → "United States"; null for a code that names no country. */
export function countryName(code: string): string | null {
  const entry = REGISTRY.get(code);
  if (!entry) return null;
  return displayNames.of(code) ?? entry.name;
}

/** The country's regions when its addresses need one (see REGION_LABELS); null otherwise. */
export function regionsOf(code: string): Region[] | null {
  if (!(code in REGION_LABELS)) return null;
  const entry = REGISTRY.get(code);
  if (!entry) return null;
  return entry.regions
    .map(([name, regionCode]) => ({ code: regionCode, name }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** The address rules with a given set of countries the shop ships to. */
export function addressRules(shipsTo: ReadonlySet<string>): AddressRules {
  return { countryName, shipsTo: (code) => shipsTo.has(code), regionsOf };
}

/** What the checkout page needs to know of each country it offers, by name. */
export function destinationsFor(countries: readonly string[]): Destination[] {
  return countries
    .flatMap((country) => {
      const name = countryName(country);
      return name ? [{ country, name, regions: regionsOf(country) }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** A region's name from its code ('' where there is none; the code itself where the registry does not know it). */
function regionName(country: string, region: string): string {
  return region ? (regionsOf(country)?.find((r) => r.code === region)?.name ?? region) : "";
}

/** "Portland, Oregon, United States": a place for a list, from an address's codes. */
export function placeName(address: { city: string; region: string; country: string }): string {
  return [address.city, regionName(address.country, address.region), countryName(address.country) ?? address.country]
    .filter(Boolean)
    .join(", ");
}

/**
 * The lines of an address in the order its country's post office reads them:
 * "Portland, OR 97205" in the US, "Toronto ON M5H 2N2" in Canada, "Sydney NSW
 * 2000" in Australia, the postcode on a line of its own in the UK and Ireland,
 * "10115 Berlin" in most of Europe and elsewhere. The country's name ends it.
 */
export function addressLines(address: ShippingAddress): string[] {
  const { city, region, postalCode, country } = address;
  const join = (...parts: string[]) => parts.filter(Boolean).join(" ");
  let place: string[];
  switch (country) {
    case "US":
      place = [join(region ? `${city},` : city, region, postalCode)];
      break;
    case "CA":
    case "AU":
      place = [join(city, region, postalCode)];
      break;
    case "GB":
    case "IE":
      place = [city, postalCode];
      break;
    case "JP":
    case "NZ":
      place = [join(region ? `${city}, ${regionName(country, region)}` : city, postalCode)];
      break;
    default:
      place = [join(postalCode, city), regionName(country, region)];
  }
  return [address.name, address.line1, address.line2, ...place, countryName(country) ?? country].filter(
    (line) => line.trim() !== "",
  );
}

/** An order's ship-to address as lines, for the pages and emails that show where it goes. */
export function shippingPlace(order: {
  shippingName: string;
  shippingLine1: string;
  shippingLine2: string;
  shippingCity: string;
  shippingRegion: string;
  shippingPostalCode: string;
  shippingCountry: string;
}) {
  return {
    lines: addressLines({
      name: order.shippingName,
      line1: order.shippingLine1,
      line2: order.shippingLine2,
      city: order.shippingCity,
      region: order.shippingRegion,
      postalCode: order.shippingPostalCode,
      country: order.shippingCountry,
    }),
  };
}

/** A member keeps at most this many addresses; saving another lets the oldest go. */
export const SAVED_ADDRESS_LIMIT = 10;

/** The addresses a member saved, newest first: theirs alone. */
export async function savedAddressesOf(userId: string) {
  const rows = await db
    .select({
      id: savedAddresses.id,
      name: savedAddresses.name,
      line1: savedAddresses.line1,
      line2: savedAddresses.line2,
      city: savedAddresses.city,
      region: savedAddresses.region,
      postalCode: savedAddresses.postalCode,
      country: savedAddresses.country,
    })
    .from(savedAddresses)
    .where(eq(savedAddresses.userId, userId))
    .orderBy(desc(savedAddresses.createdAt), asc(savedAddresses.id));
  return rows.map((row) => ({ ...row, place: placeName(row) }));
}

/** The country of the member's newest saved address, for estimates before checkout; null when they have none. */
export async function newestSavedCountry(userId: string): Promise<string | null> {
  const [row] = await db
    .select({ country: savedAddresses.country })
    .from(savedAddresses)
    .where(eq(savedAddresses.userId, userId))
    .orderBy(desc(savedAddresses.createdAt), asc(savedAddresses.id))
    .limit(1);
  return row?.country ?? null;
}

/** Keeps an address for the member's next checkout; the same address twice is kept once. */
export async function saveAddress(userId: string, address: ShippingAddress): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(savedAddresses)
      .values({ userId, ...address })
      .onConflictDoNothing();
    const keep = await tx
      .select({ id: savedAddresses.id })
      .from(savedAddresses)
      .where(eq(savedAddresses.userId, userId))
      .orderBy(desc(savedAddresses.createdAt), asc(savedAddresses.id))
      .limit(SAVED_ADDRESS_LIMIT);
    await tx.delete(savedAddresses).where(
      and(
        eq(savedAddresses.userId, userId),
        notInArray(
          savedAddresses.id,
          keep.map((k) => k.id),
        ),
      ),
    );
  });
}

/** Forgets one of the member's saved addresses; anyone else's is not found. */
export async function removeSavedAddress(userId: string, addressId: string): Promise<Outcome> {
  const removed = await db
    .delete(savedAddresses)
    .where(and(eq(savedAddresses.id, addressId), eq(savedAddresses.userId, userId)))
    .returning({ id: savedAddresses.id });
  return removed.length ? ok() : fail("not_found", "That address is not in your saved addresses.");
}
