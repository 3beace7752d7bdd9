import { postcodeValidator, postcodeValidatorExistsForCountry } from "postcode-validator";
import { z } from "zod";
import { safeText } from "./safe-text";

/**
 * The address form, shared by the checkout page (Conform, in the browser) and
 * the server. What depends on the country comes from `AddressRules`: the
 * server builds them from the registry's region lists and the shop's
 * shipping zones, the browser from the same facts sent by the loader, so both
 * give the same message on the same field.
 */

export type Region = { code: string; name: string };

export type AddressRules = {
  /** The country's name; null for a code that names no country. */
  countryName(code: string): string | null;
  /** Whether a shipping zone has the country. */
  shipsTo(code: string): boolean;
  /** Its regions when an address there needs one (a US state, a Canadian province); null when it has no region field. */
  regionsOf(code: string): Region[] | null;
};

/**
 * Countries whose addresses are not deliverable without a state, province or
 * prefecture (Google's address data marks it required), and whose list in
 * country-region-data is the one the post uses. Elsewhere the form shows no
 * region field.
 */
export const REGION_LABELS: Readonly<Record<string, string>> = {
  US: "State",
  CA: "Province",
  AU: "State or territory",
  BR: "State",
  IN: "State",
  JP: "Prefecture",
  MX: "State",
};

export function regionLabel(country: string): string {
  return REGION_LABELS[country] ?? "Region";
}

const line = (label: string, max = 120) =>
  safeText({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max);

const addressShape = {
  name: line("the recipient's name"),
  line1: line("the street address"),
  line2: safeText().trim().max(120).optional().default(""),
  city: line("the city", 80),
  region: safeText().trim().max(80).optional().default(""),
  postalCode: safeText().trim().toUpperCase().max(20).optional().default(""),
  country: safeText({ error: "Choose the country" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Choose the country"),
};

type AddressFields = { country: string; region: string; postalCode: string };

/** The country-dependent checks: a country we ship to, its region, its postal code's format. */
function checkAddress(rules: AddressRules) {
  return (value: AddressFields, ctx: z.RefinementCtx) => {
    const name = rules.countryName(value.country);
    if (!name) {
      ctx.addIssue({ code: "custom", path: ["country"], message: "Choose the country from the list" });
      return;
    }
    if (!rules.shipsTo(value.country)) {
      ctx.addIssue({ code: "custom", path: ["country"], message: `Sorry, we don't ship to ${name} yet` });
      return;
    }
    const regions = rules.regionsOf(value.country);
    if (regions && !regions.some((r) => r.code === value.region)) {
      ctx.addIssue({
        code: "custom",
        path: ["region"],
        message: `Choose the ${regionLabel(value.country).toLowerCase()}`,
      });
    }
    if (postcodeValidatorExistsForCountry(value.country)) {
      if (!value.postalCode) ctx.addIssue({ code: "custom", path: ["postalCode"], message: "Enter the postal code" });
      else if (!postcodeValidator(value.postalCode, value.country))
        ctx.addIssue({
          code: "custom",
          path: ["postalCode"],
          message: `Enter a postal code as it is written in ${name}`,
        });
    }
  };
}

const COUNTRY_DEPENDENT = new Set(["country", "region", "postalCode"]);

/**
 * The country checks run as soon as the fields they read are sound, even
 * while others (the name, the street) are still empty, so a wrong postal code
 * is flagged when the buyer leaves the field, not after the rest is filled in.
 */
const countryChecks = {
  when: (payload: z.core.ParsePayload) =>
    typeof payload.value === "object" &&
    payload.value !== null &&
    !payload.issues.some((issue) => !issue.path?.length || COUNTRY_DEPENDENT.has(String(issue.path[0]))),
};

/** Where an order ships. Without a region field for the country, the region is stored empty. */
export function shippingSchema(rules: AddressRules) {
  return z
    .object(addressShape)
    .superRefine(checkAddress(rules), countryChecks)
    .transform((value) => (rules.regionsOf(value.country) ? value : { ...value, region: "" }));
}

/**
 * The checkout form's fields: the address, whether to keep it for next time,
 * and whether to spend store credit. Conform reads the browser's constraints
 * (required, max length) from this plain object.
 */
export const checkoutFields = z.object({
  ...addressShape,
  saveAddress: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
  useCredit: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
});

/** The checkout form with its country-dependent checks. */
export function checkoutSchema(rules: AddressRules) {
  return checkoutFields
    .superRefine(checkAddress(rules), countryChecks)
    .transform((value) => (rules.regionsOf(value.country) ? value : { ...value, region: "" }));
}

/** A country the shop ships to, as the checkout page lists it. */
export type Destination = { country: string; name: string; regions: Region[] | null };

/** The browser's rules: the destinations the loader sent are the only countries there are. */
export function rulesFromDestinations(destinations: readonly Destination[]): AddressRules {
  const byCode = new Map(destinations.map((d) => [d.country, d]));
  return {
    countryName: (code) => byCode.get(code)?.name ?? null,
    shipsTo: (code) => byCode.has(code),
    regionsOf: (code) => byCode.get(code)?.regions ?? null,
  };
}
