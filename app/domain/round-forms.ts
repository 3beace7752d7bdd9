import { z } from "zod";
import { parseMoneyToCents, parsePercentToBps } from "./money";
import { safeText } from "./safe-text";

/** The admin's round form, shared by the browser and the server. Times are entered in UTC. */

const utcDateTime = (label: string) =>
  safeText({ error: `Enter when ${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `Enter when ${label} as a date and time`)
    .transform((v) => new Date(`${v}:00Z`));

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

const money = (label: string) =>
  safeText({ error: `Enter ${label}` }).transform((v, ctx) => {
    const cents = parseMoneyToCents(v);
    if (cents === null) ctx.addIssue({ code: "custom", message: `Enter ${label} as an amount such as 25 or 24.50` });
    return cents ?? 0;
  });

/** A round's web address: lower-case words joined by single hyphens. The round form and the URL parser share it. */
export const ROUND_SLUG = { pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, max: 60 };

const roundFields = {
  title: safeText({ error: "Give the round a title" }).trim().min(3, "Titles are at least 3 characters").max(80),
  slug: safeText({ error: "Choose the round's web address" })
    .trim()
    .toLowerCase()
    .regex(ROUND_SLUG.pattern, "Use lower-case letters, digits and single hyphens")
    .max(ROUND_SLUG.max),
  brief: safeText({ error: "Write the brief designers will read" })
    .trim()
    .min(10, "Write a brief of at least 10 characters")
    .max(10_000),
  submissionsOpenAt: utcDateTime("submissions open"),
  votingOpensAt: utcDateTime("voting opens"),
  votingClosesAt: utcDateTime("voting closes"),
  maxSubmissionsPerDesigner: wholeNumber("The limit per designer", 1, 50),
  minArtworkWidth: wholeNumber("The minimum width", 100, 20_000),
  minArtworkHeight: wholeNumber("The minimum height", 100, 20_000),
  autoApprove: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  winnersCount: wholeNumber("The number of winners", 1, 100),
  minVotes: wholeNumber("The minimum votes", 0, 10_000),
  voterMinScored: wholeNumber("The voter minimum", 0, 1000),
  prize: money("the prize"),
  royaltyPercent: safeText({ error: "Enter the royalty rate" }).transform((v, ctx) => {
    const bps = parsePercentToBps(v);
    if (bps === null)
      ctx.addIssue({
        code: "custom",
        message: "Enter the royalty as a percentage between 0 and 100, such as 15 or 12.5",
      });
    return bps ?? 0;
  }),
  offerTee: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  teePrice: money("the T-shirt price").optional(),
  offerPoster: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  posterPrice: money("the poster price").optional(),
};

type RoundFields = z.output<z.ZodObject<typeof roundFields>>;

/** The rules that tie fields together, for the form alone and for the admin page's "update" intent. */
function checkRound(v: RoundFields, ctx: z.RefinementCtx) {
  if (v.votingOpensAt <= v.submissionsOpenAt)
    ctx.addIssue({ code: "custom", path: ["votingOpensAt"], message: "Voting must open after submissions open" });
  if (v.votingClosesAt <= v.votingOpensAt)
    ctx.addIssue({ code: "custom", path: ["votingClosesAt"], message: "Voting must close after it opens" });
  if (!v.offerTee && !v.offerPoster)
    ctx.addIssue({ code: "custom", path: ["offerTee"], message: "Offer at least one product type" });
  if (v.offerTee && !v.teePrice)
    ctx.addIssue({ code: "custom", path: ["teePrice"], message: "Enter the T-shirt price" });
  if (v.offerPoster && !v.posterPrice)
    ctx.addIssue({ code: "custom", path: ["posterPrice"], message: "Enter the poster price" });
}

export const roundSchema = z.object(roundFields).superRefine(checkRound);

export type RoundFormValue = z.infer<typeof roundSchema>;

/**
 * The forms of an admin's round page, one per intent: the round form while
 * it is a draft; once submissions are open only the clock may move (later,
 * or voting ended now); a design disqualified; the round finalized.
 */
export const adminRoundActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("update"), ...roundFields }).superRefine(checkRound),
  z.discriminatedUnion("change", [
    z.object({
      intent: z.literal("schedule"),
      change: z.literal("extend-submissions"),
      until: utcDateTime("submissions close"),
    }),
    z.object({
      intent: z.literal("schedule"),
      change: z.literal("extend-voting"),
      until: utcDateTime("voting closes"),
    }),
    z.object({
      intent: z.literal("schedule"),
      change: z.literal("end-voting"),
      /** The second step's answer; without it the page only asks (app/components/confirm-step.tsx). */
      confirmed: z.string().max(100).optional(),
    }),
  ]),
  z.object({
    intent: z.literal("disqualify"),
    submissionId: z.uuid(),
    reason: safeText({ error: "Say why the design is disqualified" })
      .trim()
      .min(5, "Say why the design is disqualified")
      .max(500),
    /** The second step's answer (see app/components/confirm-step.tsx); without it the page only asks. */
    confirmed: z.string().max(100).optional(),
  }),
  z.object({
    intent: z.literal("finalize"),
    /** The second step's answer (see app/components/confirm-step.tsx); without it the page only asks. */
    confirmed: z.string().max(100).optional(),
  }),
  z.object({ intent: z.literal("publish") }),
]);
