import { z } from "zod";
import { safeText } from "./safe-text";

const line = (label: string, max = 120) =>
  safeText({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max);

/** Where an order ships; shared by the checkout form and the server. */
export const shippingSchema = z.object({
  name: line("the recipient's name"),
  line1: line("the street address"),
  line2: safeText().trim().max(120).optional().default(""),
  city: line("the city", 80),
  postalCode: line("the postal code", 20),
  country: safeText({ error: "Choose the country" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Choose the country"),
});

/** The checkout form: the address, and whether to spend store credit on the order. */
export const checkoutSchema = shippingSchema.extend({
  useCredit: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
});
