/**
 * A round's phase is read off its clock, never stored: only `finalizedAt` is
 * written, by the finalize step. A round an admin has not published yet is a
 * draft whatever its dates say, so nothing can enter it or vote in it.
 *
 *   draft ─► submissions ─► voting ─► closed ─► finalized
 *        opensAt      votingOpensAt  votingClosesAt  finalizedAt
 */
export type RoundPhase = "draft" | "submissions" | "voting" | "closed" | "finalized";

export type RoundClock = {
  submissionsOpenAt: Date;
  votingOpensAt: Date;
  votingClosesAt: Date;
  finalizedAt: Date | null;
  /** Null while the round is an unpublished draft; readers that only ever see published rounds may leave it out. */
  publishedAt?: Date | null;
};

export function roundPhase(round: RoundClock, now: Date = new Date()): RoundPhase {
  if (round.finalizedAt) return "finalized";
  if (round.publishedAt === null) return "draft";
  const t = now.getTime();
  if (t < round.submissionsOpenAt.getTime()) return "draft";
  if (t < round.votingOpensAt.getTime()) return "submissions";
  if (t < round.votingClosesAt.getTime()) return "voting";
  return "closed";
}

export const PHASE_LABELS: Record<RoundPhase, string> = {
  draft: "Coming soon",
  submissions: "Open for submissions",
  voting: "Voting open",
  closed: "Voting closed",
  finalized: "Results published",
};

/** A logged schedule change in words, as the round's page and the admin's show it. */
export const SCHEDULE_CHANGE_LABELS = {
  "extend-submissions": "Submissions extended",
  "extend-voting": "Voting extended",
  "end-voting": "Voting ended early",
} as const;
