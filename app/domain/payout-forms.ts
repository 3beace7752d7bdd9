import { z } from "zod";
import type { PayoutDestination, payoutRequests } from "#db/schema";
import { safeText } from "./safe-text";

export type { PayoutDestination } from "#db/schema";

/** Where a payout request stands (payout_requests.status), for pages that filter by it. */
export const PAYOUT_STATUSES = [
  "requested",
  "paid",
  "failed",
  "rejected",
] as const satisfies readonly NonNullable<PayoutRequestStatus>[];
type PayoutRequestStatus = (typeof payoutRequests.status.enumValues)[number];

/** Payout methods a member can pick when an admin pays by hand (the local provider). */
export const PAYOUT_METHODS = [
  { method: "paypal", label: "PayPal" },
  { method: "bank", label: "Bank transfer" },
] as const;

const required = (label: string, max: number) =>
  safeText({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `That is too long for ${label}`);

/**
 * The payout request form. With Stripe the money goes to the connected
 * account and no destination is asked; by hand, the member says where.
 */
export const payoutRequestSchema = z
  .object({
    intent: z.literal("request"),
    // Absent: the Stripe account the member connected (the only way with Stripe); by hand the domain then asks where.
    method: z.enum(["stripe", "paypal", "bank"], { error: "Choose how you want to be paid" }).default("stripe"),
    paypalEmail: z.email("Enter the email address of your PayPal account").max(254).optional(),
    accountHolder: required("the account holder's name", 120).optional(),
    account: required("the IBAN or account number", 40)
      .regex(/^[A-Za-z0-9 -]+$/, "Use only letters, digits, spaces and dashes")
      .optional(),
    routing: required("the SWIFT/BIC or routing number", 40)
      .regex(/^[A-Za-z0-9 -]+$/, "Use only letters, digits, spaces and dashes")
      .optional(),
  })
  .superRefine((value, ctx) => {
    const need = (field: "paypalEmail" | "accountHolder" | "account" | "routing", message: string) => {
      if (!value[field]) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (value.method === "paypal") need("paypalEmail", "Enter the email address of your PayPal account");
    if (value.method === "bank") {
      need("accountHolder", "Enter the account holder's name");
      need("account", "Enter the IBAN or account number");
      need("routing", "Enter the SWIFT/BIC or routing number");
    }
  });

/** The destination a parsed request names; null for Stripe. */
export function destinationOf(value: z.output<typeof payoutRequestSchema>): PayoutDestination | null {
  if (value.method === "paypal") return { method: "paypal", email: value.paypalEmail! };
  if (value.method === "bank")
    return {
      method: "bank",
      accountHolder: value.accountHolder!,
      account: value.account!.toUpperCase(),
      routing: value.routing!.toUpperCase(),
    };
  return null;
}

/** One line for the admin who sends the money. */
export function describeDestination(destination: PayoutDestination): string {
  return destination.method === "paypal"
    ? `PayPal: ${destination.email}`
    : `Bank transfer to ${destination.accountHolder}, account ${destination.account}, ${destination.routing}`;
}
