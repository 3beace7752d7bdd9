import { and, asc, desc, eq, isNotNull, type SQL } from "drizzle-orm";
import { proposals, rounds, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { roundPhase, type RoundPhase } from "./round-phase";

export type RoundRow = typeof rounds.$inferSelect;
export type RoundSummary = RoundRow & { phase: RoundPhase };

/** Who is looking: enough to decide what they may see. */
export type RoundViewer = { role: string } | null;

/**
 * The one rule for who may see a round: everyone once it is published, only
 * admins while it is a draft. As SQL for every query that lists or finds
 * rounds (or anything hanging off them) for a page; undefined means "no
 * condition" (an admin). Members and guests get a draft's address as a 404.
 */
export function roundVisibleTo(viewer: RoundViewer): SQL | undefined {
  return viewer?.role === "admin" ? undefined : isNotNull(rounds.publishedAt);
}

/** `roundVisibleTo` for a round already read. */
export function canSeeRound(round: { publishedAt: Date | null }, viewer: RoundViewer): boolean {
  return round.publishedAt !== null || viewer?.role === "admin";
}

export async function listRounds(viewer: RoundViewer, now = new Date()): Promise<RoundSummary[]> {
  const rows = await db
    .select()
    .from(rounds)
    .where(roundVisibleTo(viewer))
    .orderBy(desc(rounds.votingClosesAt), asc(rounds.title));
  return rows.map((r) => ({ ...r, phase: roundPhase(r, now) }));
}

export async function findRoundBySlug(
  slug: string,
  viewer: RoundViewer,
  now = new Date(),
): Promise<RoundSummary | null> {
  const [row] = await db
    .select()
    .from(rounds)
    .where(and(eq(rounds.slug, slug), roundVisibleTo(viewer)))
    .limit(1);
  return row ? { ...row, phase: roundPhase(row, now) } : null;
}

/** The member whose proposal a round was made from, for the credit on the round's page. */
export async function roundProposer(proposalId: string | null) {
  if (!proposalId) return null;
  const [row] = await db
    .select({ proposalId: proposals.id, title: proposals.title, username: users.username, deletedAt: users.deletedAt })
    .from(proposals)
    .leftJoin(users, eq(users.id, proposals.proposerId))
    .where(eq(proposals.id, proposalId))
    .limit(1);
  if (!row) return null;
  return {
    proposalId: row.proposalId,
    title: row.title,
    username: row.deletedAt ? null : row.username,
    // Finalize pays the proposer's share only to an account that still exists (finalize.server.ts).
    sharePaid: !row.deletedAt,
  };
}
