import { z } from "zod";
import { safeText } from "./safe-text";

/** Profile fields, shared by the settings form (Conform) and the server. */

export const BIO_MAX = 1000;
export const LINKS_MAX = 5;

const link = safeText()
  .max(200, "Links can be at most 200 characters")
  .pipe(
    z.url({ protocol: /^https?$/, error: "Each link must be a full web address starting with https:// or http://" }),
  );

export const profileSchema = z.object({
  displayName: safeText().trim().max(60, "Display names are at most 60 characters").optional(),
  bio: safeText().max(BIO_MAX, `Keep your bio under ${BIO_MAX} characters`).optional(),
  /** One link per line in the form. */
  links: safeText()
    .optional()
    .transform((text) =>
      (text ?? "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(z.array(link).max(LINKS_MAX, `Add at most ${LINKS_MAX} links`)),
});

export type ProfileInput = z.infer<typeof profileSchema>;
