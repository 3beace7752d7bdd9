import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ballots, roundResults, rounds, roundVoterWeights, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { afterKey, pageOf, PAGE_SIZE } from "~/lib/pagination.server";
import { withPublicArtwork } from "~/lib/storage.server";
import { mapPage } from "./page";
import { isCountedVoter, meanOfTotals, WILSON_Z, type RankingRule, type WeightSummary } from "./ranking";
import { rankedBallotsOf } from "./round-ballots.server";
import { roundVisibleTo } from "./rounds.server";

const resultColumns = {
  rank: roundResults.rank,
  submissionId: roundResults.submissionId,
  ballots: roundResults.ballots,
  scoreSum: roundResults.scoreSum,
  mean: roundResults.mean,
  bayesianScore: roundResults.bayesianScore,
  weight: roundResults.weight,
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
export function rankingSummary(round: {
  countedBallots: number | null;
  countedScoreSum: number | null;
  rankingRule: RankingRule;
  rankingSummary: (WeightSummary & { priorMean: number }) | null;
}) {
  const countedBallots = round.countedBallots ?? 0;
  return {
    // Rule 2's prior is the weighted mean finalize kept; rule 1's is the plain mean of the counted totals.
    priorMean: round.rankingSummary?.priorMean ?? meanOfTotals(round.countedScoreSum ?? 0, countedBallots),
    countedBallots,
    z: WILSON_Z,
    rule: round.rankingRule,
    weights: round.rankingSummary,
  };
}

/**
 * A voter's pseudonym in one round's CSV: `v1`, `v2`… in the order of their
 * first ballot there. Stable inside the round, meaningless outside it: not
 * linkable across rounds or to the account, and nothing to guess from.
 */
export function voterPseudonym(order: number) {
  return `v${order}`;
}

export const BALLOTS_CSV_HEADER =
  "voter,submission_id,score,would_buy,voter_ballots_in_round,counted,submission_in_ranking,voter_weight,voter_agreement";
/** Rows read per query: ~500 KB of CSV, so a download holds a batch or two in memory whatever the round's size. */
const BALLOTS_CSV_BATCH = 5000;

/**
 * Every ballot of a finalized round, anonymised, as CSV: enough to recompute
 * the ranking (`npm run results:verify`): the voter minimum from the per-voter
 * count, each voter's weight from their ballots, then the published formula.
 * The weight and agreement finalize computed are on every row, so a reader
 * can check them as well as the ranks. Rows in ballot order (`ballots.id`),
 * read in keyset batches as the reader asks for them: PGlite has no
 * server-side cursor, and a batch query works on both drivers. A finalized
 * round takes no more ballots (ADR 005), so the batches read one unchanging
 * set. What is held for the whole download is one entry per voter and per
 * design, never the ballots.
 */
export function ballotsCsvStream(
  round: { id: string; voterMinScored: number },
  options: { batchSize?: number } = {},
): ReadableStream<Uint8Array> {
  const batchSize = options.batchSize ?? BALLOTS_CSV_BATCH;
  const encoder = new TextEncoder();
  let voters: Map<string, { pseudonym: string; tail: string; weights: string }> | undefined;
  let approved: Set<string> | undefined;
  let after = 0;
  let last = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!voters || !approved) {
          const [perVoter, designs, weights] = await Promise.all([
            db
              .select({
                voterId: ballots.voterId,
                ballots: sql<number>`count(*)::int`,
                firstId: sql<number>`min(${ballots.id})::bigint`.mapWith(Number),
                lastId: sql<number>`max(${ballots.id})::bigint`.mapWith(Number),
              })
              .from(ballots)
              .where(rankedBallotsOf(round.id))
              .groupBy(ballots.voterId),
            db
              .select({ id: submissions.id })
              .from(submissions)
              .where(and(eq(submissions.roundId, round.id), eq(submissions.status, "approved"))),
            db
              .select({
                voterId: roundVoterWeights.voterId,
                weight: roundVoterWeights.weight,
                agreement: roundVoterWeights.agreement,
              })
              .from(roundVoterWeights)
              .where(eq(roundVoterWeights.roundId, round.id)),
          ]);
          const weightOf = new Map(weights.map((w) => [w.voterId, w]));
          perVoter.sort((a, b) => a.firstId - b.firstId);
          // Each voter's columns, computed once: pseudonym, ballot count, whether they count, weight, agreement.
          voters = new Map(
            perVoter.map((v, i) => {
              const counted = isCountedVoter(v.ballots, round.voterMinScored);
              // A round finalized before weights were kept weighed every counted voter 1 (rule 1).
              const w = weightOf.get(v.voterId) ?? { weight: counted ? 1 : 0, agreement: null };
              return [
                v.voterId,
                {
                  pseudonym: voterPseudonym(i + 1),
                  tail: `${v.ballots},${counted ? 1 : 0},`,
                  weights: `,${w.weight},${w.agreement ?? ""}`,
                },
              ];
            }),
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
          .where(and(rankedBallotsOf(round.id), sql`${ballots.id} > ${after}`, sql`${ballots.id} <= ${last}`))
          .orderBy(asc(ballots.id))
          .limit(batchSize);
        let chunk = "";
        for (const r of rows) {
          const voter = voters.get(r.voterId)!;
          chunk += `${voter.pseudonym},${r.submissionId},${r.score},${r.wouldBuy ? 1 : 0},${voter.tail}${approved.has(r.submissionId) ? 1 : 0}${voter.weights}\n`;
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
      rankingRule: rounds.rankingRule,
      rankingSummary: rounds.rankingSummary,
    })
    .from(rounds)
    // Finalize refuses drafts, so a finalized round is published; the rule is applied all the same.
    .where(and(eq(rounds.slug, slug), sql`${rounds.finalizedAt} is not null`, roundVisibleTo(null)))
    .limit(1);
  return round ?? null;
}

/** Results per query in the results file. */
const RESULTS_FILE_BATCH = 1000;

/**
 * A finalized round's published ranking as one JSON document, for
 * `results:verify`: the frozen rule, the parameters, the prior, and each
 * design's rank, score and submission time (the last tie-break). Streamed a
 * keyset batch of ranks at a time, like the ballots CSV.
 */
export function publishedResultsStream(
  round: NonNullable<Awaited<ReturnType<typeof findFinalizedRound>>>,
  options: { batchSize?: number } = {},
): ReadableStream<Uint8Array> {
  const batchSize = options.batchSize ?? RESULTS_FILE_BATCH;
  const encoder = new TextEncoder();
  let after: number | undefined;
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (after === undefined) {
          const head = {
            round: round.slug,
            rule: round.rankingRule,
            minVotes: round.minVotes,
            voterMinScored: round.voterMinScored,
            winnersCount: round.winnersCount,
            priorMean: rankingSummary(round).priorMean,
          };
          controller.enqueue(encoder.encode(JSON.stringify(head).slice(0, -1) + ',"results":['));
          after = 0;
          return;
        }
        const rows = await db
          .select({
            rank: roundResults.rank,
            submissionId: roundResults.submissionId,
            createdAt: submissions.createdAt,
            bayesianScore: roundResults.bayesianScore,
            ballots: roundResults.ballots,
            winner: roundResults.winner,
          })
          .from(roundResults)
          .innerJoin(submissions, eq(submissions.id, roundResults.submissionId))
          .where(and(eq(roundResults.roundId, round.id), sql`${roundResults.rank} > ${after}`))
          .orderBy(asc(roundResults.rank))
          .limit(batchSize);
        let chunk = "";
        for (const r of rows) {
          chunk += (first ? "\n" : ",\n") + JSON.stringify({ ...r, createdAt: r.createdAt.toISOString() });
          first = false;
        }
        if (rows.length) after = rows[rows.length - 1]!.rank;
        if (rows.length < batchSize) {
          controller.enqueue(encoder.encode(chunk + "\n]}\n"));
          controller.close();
        } else controller.enqueue(encoder.encode(chunk));
      },
    },
    { highWaterMark: 0 },
  );
}
