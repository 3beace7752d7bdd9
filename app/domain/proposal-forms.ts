import { z } from "zod";
import { PRODUCT_TYPES } from "#db/schema";
import { safeText } from "./safe-text";

/** The proposal form, shared by the browser and the server. */
export const MAX_MOOD_IMAGES = 3;

const productTypeList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(PRODUCT_TYPES, { error: "Choose from the products the shop makes" })).max(PRODUCT_TYPES.length),
);

export const proposalFields = {
  title: safeText({ error: "Give the theme a title" }).trim().min(3, "Titles are at least 3 characters").max(80),
  brief: safeText({ error: "Describe the theme" })
    .trim()
    .min(20, "Describe the theme in at least 20 characters")
    .max(5000, "Briefs are at most 5,000 characters"),
  productTypes: productTypeList,
};

export const proposalSchema = z.object(proposalFields);
export type ProposalFormValue = z.output<typeof proposalSchema>;

/** The admin's answer to a proposal in review. */
export const proposalDecisionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("accept"),
    slug: safeText({ error: "Choose the round's web address" })
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens")
      .max(60),
    proposerShare: safeText()
      .trim()
      .regex(
        /^\d{1,5}(\.\d{1,2})?$/,
        "Enter the amount credited to the proposer in dollars, such as 50 or 12.50 (not a percentage)",
      )
      .optional(),
  }),
  z.object({
    intent: z.literal("decline"),
    reason: safeText({ error: "Say why the proposal is declined" })
      .trim()
      .min(10, "Say why in at least 10 characters: the proposer and supporters read it")
      .max(1000),
  }),
]);

export const SORTS = ["trending", "newest", "supported"] as const;
export type ProposalSort = (typeof SORTS)[number];
export const SORT_LABELS: Record<ProposalSort, string> = {
  trending: "Trending",
  newest: "Newest",
  supported: "Most supported",
};
