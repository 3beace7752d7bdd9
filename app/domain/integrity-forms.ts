import { z } from "zod";
import { hasControlCharacters } from "./safe-text";

/** Accounts named in one void: comma-separated ids, as the group's form sends them. */
const voterIdList = z
  .string()
  .max(200 * 37)
  .transform((value) =>
    value
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.uuid()).min(1).max(200));

/**
 * The integrity view's one form: void some accounts' ballots in the round,
 * with a reason the audit keeps. The first post asks; the one carrying
 * `confirmed=void` does it.
 */
export const voidBallotsSchema = z.object({
  intent: z.literal("void"),
  voterIds: voterIdList,
  reason: z
    .string({ error: "Say why these ballots should not count" })
    .trim()
    .min(5, "Say why, in a few words (5 characters at least)")
    .max(500, "Keep the reason under 500 characters")
    .refine((v) => !hasControlCharacters(v), "The reason has characters that cannot be stored"),
  confirmed: z.literal("void").optional(),
});
