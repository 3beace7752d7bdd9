import { asc, desc, eq } from "drizzle-orm";
import { rounds } from "#db/schema";
import { db } from "~/lib/db.server";
import { roundPhase, type RoundPhase } from "./round-phase";

const summaryColumns = {
  id: rounds.id,
  slug: rounds.slug,
  title: rounds.title,
  brief: rounds.brief,
  submissionsOpenAt: rounds.submissionsOpenAt,
  votingOpensAt: rounds.votingOpensAt,
  votingClosesAt: rounds.votingClosesAt,
  finalizedAt: rounds.finalizedAt,
};

export type RoundSummary = {
  id: string;
  slug: string;
  title: string;
  brief: string;
  phase: RoundPhase;
  submissionsOpenAt: Date;
  votingOpensAt: Date;
  votingClosesAt: Date;
  finalizedAt: Date | null;
};

export async function listRounds(now = new Date()): Promise<RoundSummary[]> {
  const rows = await db.select(summaryColumns).from(rounds).orderBy(desc(rounds.votingClosesAt), asc(rounds.title));
  return rows.map((r) => ({ ...r, phase: roundPhase(r, now) }));
}

export async function findRoundBySlug(slug: string, now = new Date()): Promise<RoundSummary | null> {
  const [row] = await db.select(summaryColumns).from(rounds).where(eq(rounds.slug, slug)).limit(1);
  return row ? { ...row, phase: roundPhase(row, now) } : null;
}
