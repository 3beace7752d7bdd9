import type { REPORT_REASONS } from "#db/schema";

export type ReportReason = (typeof REPORT_REASONS)[number];

/** How report reasons read to members and moderators; shared by server and browser. */
export const REASON_LABELS: Record<ReportReason, string> = {
  plagiarism: "Plagiarism or stolen art",
  offensive: "Offensive",
  spam: "Spam",
};
