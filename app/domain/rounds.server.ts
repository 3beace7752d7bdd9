import { asc, desc, eq } from "drizzle-orm";
import { rounds } from "#db/schema";
import { db } from "~/lib/db.server";
import { roundPhase, type RoundPhase } from "./round-phase";

export type RoundRow = typeof rounds.$inferSelect;
export type RoundSummary = RoundRow & { phase: RoundPhase };

export async function listRounds(now = new Date()): Promise<RoundSummary[]> {
  const rows = await db.select().from(rounds).orderBy(desc(rounds.votingClosesAt), asc(rounds.title));
  return rows.map((r) => ({ ...r, phase: roundPhase(r, now) }));
}

export async function findRoundBySlug(slug: string, now = new Date()): Promise<RoundSummary | null> {
  const [row] = await db.select().from(rounds).where(eq(rounds.slug, slug)).limit(1);
  return row ? { ...row, phase: roundPhase(row, now) } : null;
}
