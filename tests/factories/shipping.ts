/**
 * Shipping zones and tax rates for tests and the demo, saved through the
 * admin page's domain functions.
 */
import { count } from "drizzle-orm";
import { shippingZones } from "#db/schema";
import { saveShippingZone, saveTaxRate } from "~/domain/shipping.server";
import { db } from "~/lib/db.server";

export type ZoneOptions = {
  name?: string;
  countries: string[];
  /** [first item, each additional] in cents; free (0, 0) unless given. */
  tee?: [number, number];
  poster?: [number, number];
  freeShippingOverCents?: number | null;
};

let zones = 0;

export async function createShippingZone(options: ZoneOptions) {
  zones += 1;
  const [teeFirst, teeMore] = options.tee ?? [0, 0];
  const [posterFirst, posterMore] = options.poster ?? [0, 0];
  const saved = await saveShippingZone(
    {
      name: options.name ?? `Zone ${zones} ${options.countries.join(" ")}`,
      countries: options.countries,
      freeShippingOverCents: options.freeShippingOverCents ?? null,
      rates: {
        tee: { firstItemCents: teeFirst, additionalItemCents: teeMore },
        poster: { firstItemCents: posterFirst, additionalItemCents: posterMore },
      },
    },
    null,
  );
  if (!saved.ok) throw new Error(`createShippingZone failed: ${saved.message}`);
  return saved.value.zoneId;
}

/** Free shipping to these countries and no tax: for tests about something else than shipping and tax. */
export function shipFreelyTo(...countries: string[]) {
  return createShippingZone({ name: "Free shipping", countries });
}

export async function createTaxRate(country: string, rateBps: number, region = "") {
  const saved = await saveTaxRate({ country, region, rateBps }, null);
  if (!saved.ok) throw new Error(`createTaxRate failed: ${saved.message}`);
}

/** What the demo shop ships to and charges, in cents and basis points. */
export const DEMO_SHIPPING: ZoneOptions[] = [
  { name: "United States", countries: ["US"], tee: [500, 200], poster: [800, 400], freeShippingOverCents: 7500 },
  { name: "Canada", countries: ["CA"], tee: [900, 300], poster: [1200, 500] },
  {
    name: "Europe and the UK",
    countries: ["GB", "IE", "DE", "FR", "ES", "IT", "NL", "SE"],
    tee: [1000, 300],
    poster: [1400, 600],
  },
  { name: "Asia-Pacific", countries: ["AU", "NZ", "JP"], tee: [1200, 400], poster: [1600, 700] },
];

export const DEMO_TAX_RATES: { country: string; region?: string; rateBps: number }[] = [
  { country: "US", region: "NY", rateBps: 888 },
  { country: "US", region: "WA", rateBps: 650 },
  { country: "CA", rateBps: 500 },
  { country: "CA", region: "ON", rateBps: 1300 },
  { country: "GB", rateBps: 2000 },
  { country: "DE", rateBps: 1900 },
  { country: "FR", rateBps: 2000 },
  { country: "AU", rateBps: 1000 },
];

/** The demo's zones and tax rates, when the shop has no zone at all (a fresh or an older demo database). */
export async function ensureDemoShipping(): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(shippingZones);
  if ((row?.n ?? 0) > 0) return false;
  for (const zone of DEMO_SHIPPING) await createShippingZone(zone);
  for (const rate of DEMO_TAX_RATES) await createTaxRate(rate.country, rate.rateBps, rate.region);
  return true;
}
