import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ballots, roundResults, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { afterKey, pageOf, PAGE_SIZE } from "~/lib/pagination.server";
import { withPublicArtwork } from "~/lib/storage.server";
import { mapPage } from "./page";
import { ballotsPerVoter, countedVoters, meanOfTotals, WILSON_Z } from "./ranking";

const resultColumns = {
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
};

/** Where a page of the ranking ends: the last row's rank (ranks are 1, 2, 3… with no ties, see rankRound). */
export const rankCursor = z.tuple([z.number().int().min(1).max(2_147_483_647)]);

/** A finalized round's published ranking, best first, a page at a time (one walk of `round_results_rank_idx`). */
export async function rankingPage(
  roundId: string,
  options: { after?: z.output<typeof rankCursor>; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select(resultColumns)
    .from(roundResults)
    .innerJoin(submissions, eq(submissions.id, roundResults.submissionId))
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(and(eq(roundResults.roundId, roundId), afterKey([roundResults.rank], options.after, "asc", ["int"])))
    .orderBy(asc(roundResults.rank))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.rank]),
    (r) => withPublicArtwork(r),
  );
}

/**
 * A round's winners, best first: the podium. A design with too few ballots
 * can rank above a winner, so the winners are not simply the first ranks;
 * there are at most `winnersCount` (at most 100) of them.
 */
export async function roundWinners(roundId: string) {
  const rows = await db
    .select(resultColumns)
    .from(roundResults)
    .innerJoin(submissions, eq(submissions.id, roundResults.submissionId))
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(and(eq(roundResults.roundId, roundId), eq(roundResults.winner, true)))
    .orderBy(asc(roundResults.rank));
  return rows.map(withPublicArtwork);
}

/** What the results page says about the whole ranking, from the totals finalize kept on the round. */
export function rankingSummary(round: { countedBallots: number | null; countedScoreSum: number | null }) {
  const countedBallots = round.countedBallots ?? 0;
  return {
    priorMean: meanOfTotals(round.countedScoreSum ?? 0, countedBallots),
    countedBallots,
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
      countedBallots: rounds.countedBallots,
      countedScoreSum: rounds.countedScoreSum,
    })
    .from(rounds)
    .where(and(eq(rounds.slug, slug), sql`${rounds.finalizedAt} is not null`))
    .limit(1);
  return round ?? null;
}
