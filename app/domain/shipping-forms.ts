import { z } from "zod";
import { PRODUCT_TYPES, type ProductType } from "#db/schema";
import { parseMoneyToCents, parsePercentToBps } from "./money";
import { safeText } from "./safe-text";

/** The admin page's forms (/admin/shipping): one per intent. */

const money = (label: string) =>
  safeText({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .transform((value, ctx) => {
      const cents = parseMoneyToCents(value);
      if (cents === null) {
        ctx.addIssue({ code: "custom", message: "Enter an amount such as 4.50" });
        return z.NEVER;
      }
      return cents;
    });

const rateOf = (type: ProductType) =>
  z.object({ first: money(`the first ${type}'s rate`), additional: money(`each further ${type}'s rate`) });

const rates = z.object(
  Object.fromEntries(PRODUCT_TYPES.map((type) => [type, rateOf(type)])) as Record<
    ProductType,
    ReturnType<typeof rateOf>
  >,
);

const countryCode = safeText({ error: "Enter a country code" })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as US or DE");

export const zoneSchema = z.object({
  intent: z.literal("save-zone"),
  zoneId: z.uuid().optional(),
  name: safeText({ error: "Name the zone" }).trim().min(1, "Name the zone").max(60),
  countries: safeText({ error: "List the zone's countries" })
    .trim()
    .transform((value) => [
      ...new Set(
        value
          .toUpperCase()
          .split(/[\s,;]+/)
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(z.string().regex(/^[A-Z]{2}$/, "Use two-letter country codes such as US, CA, GB"))
        .min(1, "List the zone's countries")
        .max(250),
    ),
  freeShippingOver: safeText()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const cents = parseMoneyToCents(value);
      if (cents === null) {
        ctx.addIssue({ code: "custom", message: "Enter an amount such as 75, or leave it empty" });
        return z.NEVER;
      }
      return cents;
    }),
  rates,
});

export const taxSchema = z.object({
  intent: z.literal("save-tax"),
  country: countryCode,
  region: safeText()
    .trim()
    .toUpperCase()
    .max(3, "Use the region's short code, such as CA or ON")
    .optional()
    .default(""),
  percent: safeText({ error: "Enter the rate" })
    .trim()
    .min(1, "Enter the rate")
    .transform((value, ctx) => {
      const bps = parsePercentToBps(value);
      if (bps === null) {
        ctx.addIssue({ code: "custom", message: "Enter a percentage such as 8.25 (at most 100)" });
        return z.NEVER;
      }
      return bps;
    }),
});

export const shippingActionSchema = z.discriminatedUnion("intent", [
  zoneSchema,
  z.object({ intent: z.literal("delete-zone"), zoneId: z.uuid(), confirmed: safeText().max(100).optional() }),
  taxSchema,
  z.object({
    intent: z.literal("delete-tax"),
    country: countryCode,
    region: safeText().trim().toUpperCase().max(3).optional().default(""),
    confirmed: safeText().max(100).optional(),
  }),
]);
export type ShippingAction = z.infer<typeof shippingActionSchema>;
