import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ballots, roundResults, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { afterKey, pageOf, PAGE_SIZE } from "~/lib/pagination.server";
import { withPublicArtwork } from "~/lib/storage.server";
import { notVoided } from "./ballot-voids.server";
import { mapPage } from "./page";
import { isCountedVoter, meanOfTotals, WILSON_Z } from "./ranking";

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

const BALLOTS_CSV_HEADER = "voter,submission_id,score,would_buy,voter_ballots_in_round,counted,submission_in_ranking";
/** Rows read per query: ~450 KB of CSV, so a download holds a batch or two in memory whatever the round's size. */
const BALLOTS_CSV_BATCH = 5000;

/**
 * Every ballot of a finalized round, anonymised, as CSV: enough to recompute
 * the ranking (apply the voter minimum, then the published formula). Rows in
 * ballot order (`ballots.id`), read in keyset batches as the reader asks for
 * them: PGlite has no server-side cursor, and a batch query works on both
 * drivers. A finalized round takes no more ballots (ADR 005), so the batches
 * read one unchanging set. What is held for the whole download is one entry
 * per voter and per design (the per-voter counts the file repeats on each row),
 * never the ballots.
 */
export function ballotsCsvStream(
  round: { id: string; voterMinScored: number },
  options: { batchSize?: number } = {},
): ReadableStream<Uint8Array> {
  const batchSize = options.batchSize ?? BALLOTS_CSV_BATCH;
  const encoder = new TextEncoder();
  let voters: Map<string, { pseudonym: string; tail: string }> | undefined;
  let approved: Set<string> | undefined;
  let after = 0;
  let last = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!voters || !approved) {
          const [perVoter, designs] = await Promise.all([
            db
              .select({
                voterId: ballots.voterId,
                ballots: sql<number>`count(*)::int`,
                firstId: sql<number>`min(${ballots.id})::bigint`.mapWith(Number),
                lastId: sql<number>`max(${ballots.id})::bigint`.mapWith(Number),
              })
              .from(ballots)
              .where(and(eq(ballots.roundId, round.id), notVoided))
              .groupBy(ballots.voterId),
            db
              .select({ id: submissions.id })
              .from(submissions)
              .where(and(eq(submissions.roundId, round.id), eq(submissions.status, "approved"))),
          ]);
          // Each voter's columns, computed once: the pseudonym, their ballot count and whether they count.
          voters = new Map(
            perVoter.map((v) => [
              v.voterId,
              {
                pseudonym: voterPseudonym(round.id, v.voterId),
                tail: `${v.ballots},${isCountedVoter(v.ballots, round.voterMinScored) ? 1 : 0}`,
              },
            ]),
          );
          approved = new Set(designs.map((d) => d.id));
          // The round's ballots lie between its first and last id: the batches walk the
          // primary key inside that range and never scan other rounds' ballots before or after it.
          after = perVoter.reduce((min, v) => Math.min(min, v.firstId - 1), Number.MAX_SAFE_INTEGER);
          last = perVoter.reduce((max, v) => Math.max(max, v.lastId), 0);
          controller.enqueue(encoder.encode(BALLOTS_CSV_HEADER + "\n"));
          if (!perVoter.length) controller.close();
          return;
        }
        const rows = await db
          .select({
            id: ballots.id,
            voterId: ballots.voterId,
            submissionId: ballots.submissionId,
            score: ballots.score,
            wouldBuy: ballots.wouldBuy,
          })
          .from(ballots)
          .where(
            and(eq(ballots.roundId, round.id), sql`${ballots.id} > ${after}`, sql`${ballots.id} <= ${last}`, notVoided),
          )
          .orderBy(asc(ballots.id))
          .limit(batchSize);
        let chunk = "";
        for (const r of rows) {
          const voter = voters.get(r.voterId)!;
          chunk += `${voter.pseudonym},${r.submissionId},${r.score},${r.wouldBuy ? 1 : 0},${voter.tail},${approved.has(r.submissionId) ? 1 : 0}\n`;
        }
        if (rows.length) {
          after = rows[rows.length - 1]!.id;
          controller.enqueue(encoder.encode(chunk));
        }
        if (rows.length < batchSize || after >= last) controller.close();
      },
    },
    // Ask for the next batch only once the last one has been taken.
    { highWaterMark: 0 },
  );
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
