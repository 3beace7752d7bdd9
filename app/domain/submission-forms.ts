import { z } from "zod";
import { safeText } from "./safe-text";
import { isValidTag, normaliseTag } from "./search";

/** Form schemas for submissions, shared by the browser and the server. */

export const MAX_TAGS = 8;

export const tagsField = safeText()
  .max(400)
  .optional()
  .transform((raw, ctx) => {
    const tags = [...new Set((raw ?? "").split(",").map(normaliseTag).filter(Boolean))];
    if (tags.length > MAX_TAGS) ctx.addIssue({ code: "custom", message: `Use at most ${MAX_TAGS} tags` });
    const bad = tags.find((t) => !isValidTag(t));
    if (bad)
      ctx.addIssue({
        code: "custom",
        message: `"${bad}" is not a valid tag: letters, digits, spaces and hyphens, up to 24 characters`,
      });
    return tags;
  });

export const title = safeText({ error: "Give your design a title" })
  .trim()
  .min(2, "Titles are at least 2 characters")
  .max(80, "Titles are at most 80 characters");

export const description = safeText()
  .trim()
  .max(2000, "Descriptions are at most 2,000 characters")
  .optional()
  .default("");

/** The text fields of an upload; the file is checked by content on the server. */
export const submissionDetailsSchema = z.object({ title, description, tags: tagsField });

export const editSubmissionSchema = z.object({ title, description });

export const rejectSchema = z.object({
  submissionId: z.uuid(),
  reason: safeText({ error: "Say why the design is rejected; the designer will see it" })
    .trim()
    .min(5, "Say why the design is rejected; the designer will see it")
    .max(500, "Keep the reason under 500 characters"),
});
