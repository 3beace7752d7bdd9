import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { ballots, roundResults, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { withPublicArtwork } from "~/lib/storage.server";
import { ballotsPerVoter, countedVoters, EMPTY_ROUND_MEAN, WILSON_Z } from "./ranking";

/** The published ranking of a finalized round, with everything needed to check it. */
export async function roundResultsFor(roundId: string) {
  const rows = await db
    .select({
      rank: roundResults.rank,
      submissionId: roundResults.submissionId,
      ballots: roundResults.ballots,
      scoreSum: roundResults.scoreSum,
      mean: roundResults.mean,
      bayesianScore: roundResults.bayesianScore,
      wouldBuy: roundResults.wouldBuy,
      wouldBuyLowerBound: roundResults.wouldBuyLowerBound,
      distribution: roundResults.distribution,
      qualified: roundResults.qualified,
      winner: roundResults.winner,
      title: submissions.title,
      images: submissions.images,
      designerUsername: users.username,
    })
    .from(roundResults)
    .innerJoin(submissions, eq(submissions.id, roundResults.submissionId))
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(eq(roundResults.roundId, roundId))
    .orderBy(asc(roundResults.rank));
  const totalBallots = rows.reduce((n, r) => n + r.ballots, 0);
  const totalScore = rows.reduce((n, r) => n + r.scoreSum, 0);
  return {
    rows: rows.map(withPublicArtwork),
    priorMean: totalBallots ? totalScore / totalBallots : EMPTY_ROUND_MEAN,
    countedBallots: totalBallots,
    z: WILSON_Z,
  };
}

/** A voter's pseudonym in one round: stable inside it, not linkable across rounds or to the account. */
export function voterPseudonym(roundId: string, voterId: string) {
  return createHash("sha256").update(`${roundId}:${voterId}`).digest("hex").slice(0, 12);
}

/**
 * Every ballot of a finalized round, anonymised, as CSV: enough to recompute
 * the ranking (apply the voter minimum, then the published formula).
 */
export async function ballotsCsv(round: { id: string; voterMinScored: number }): Promise<string> {
  const rows = await db
    .select({
      voterId: ballots.voterId,
      submissionId: ballots.submissionId,
      score: ballots.score,
      wouldBuy: ballots.wouldBuy,
      status: submissions.status,
    })
    .from(ballots)
    .innerJoin(submissions, eq(submissions.id, ballots.submissionId))
    .where(eq(ballots.roundId, round.id))
    .orderBy(asc(ballots.id));
  const perVoter = ballotsPerVoter(rows);
  const counted = countedVoters(rows, round.voterMinScored);
  const lines = ["voter,submission_id,score,would_buy,voter_ballots_in_round,counted,submission_in_ranking"];
  for (const r of rows) {
    lines.push(
      [
        voterPseudonym(round.id, r.voterId),
        r.submissionId,
        r.score,
        r.wouldBuy ? 1 : 0,
        perVoter.get(r.voterId)!,
        counted.has(r.voterId) ? 1 : 0,
        r.status === "approved" ? 1 : 0,
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

export async function findFinalizedRound(slug: string) {
  const [round] = await db
    .select({
      id: rounds.id,
      slug: rounds.slug,
      title: rounds.title,
      finalizedAt: rounds.finalizedAt,
      votingClosesAt: rounds.votingClosesAt,
      minVotes: rounds.minVotes,
      voterMinScored: rounds.voterMinScored,
      winnersCount: rounds.winnersCount,
    })
    .from(rounds)
    .where(and(eq(rounds.slug, slug), sql`${rounds.finalizedAt} is not null`))
    .limit(1);
  return round ?? null;
}
