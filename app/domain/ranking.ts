/**
 * How a round is ranked — the published rules. Pure functions: the finalize
 * step feeds them tallies from the database, the results page prints their
 * parameters, and anyone can recompute a round from its ballots CSV.
 *
 * 1. Only ballots from members who scored at least `voterMinScored` designs in
 *    the round count. A throwaway account that casts one ballot counts for
 *    nothing.
 * 2. Score: Bayesian average of the counted 0–5 scores,
 *      (C·m + Σscores) / (m + n)
 *    where C is the mean of all counted scores in the round, m is the round's
 *    minimum-votes setting and n the design's counted ballots. Few ballots
 *    pull a design towards the round's mean; many let it speak for itself.
 * 3. Second signal: the Wilson lower bound (95%) of the "I'd buy this" share.
 * 4. Ties: more counted ballots first, then the earlier submission.
 * 5. Winners: the first `winnersCount` designs with at least m counted ballots.
 */

export type Ballot = { submissionId: string; voterId: string; score: number; wouldBuy: boolean };

export type Tally = {
  submissionId: string;
  ballots: number;
  scoreSum: number;
  wouldBuy: number;
  /** Counted ballots per score, index 0..5. */
  distribution: number[];
};

export type RankingParams = { minVotes: number; voterMinScored: number; winnersCount: number };

export type RankedEntry = Tally & {
  rank: number;
  mean: number | null;
  bayesianScore: number;
  wouldBuyLowerBound: number;
  qualified: boolean;
  winner: boolean;
};

export const WILSON_Z = 1.96;
/** The prior mean when a round has no counted ballot at all: the middle of the scale. */
export const EMPTY_ROUND_MEAN = 2.5;

export function emptyTally(submissionId: string): Tally {
  return { submissionId, ballots: 0, scoreSum: 0, wouldBuy: 0, distribution: [0, 0, 0, 0, 0, 0] };
}

/** How many designs each member scored in the round. */
export function ballotsPerVoter(ballots: Pick<Ballot, "voterId">[]): Map<string, number> {
  const perVoter = new Map<string, number>();
  for (const b of ballots) perVoter.set(b.voterId, (perVoter.get(b.voterId) ?? 0) + 1);
  return perVoter;
}

/** Whether a member who scored `scored` designs in a round counts (rule 1). */
export function isCountedVoter(scored: number, voterMinScored: number): boolean {
  return scored >= voterMinScored;
}

/** Members whose ballots count: those who scored at least `voterMinScored` designs. */
export function countedVoters(ballots: Pick<Ballot, "voterId">[], voterMinScored: number): Set<string> {
  return new Set(
    [...ballotsPerVoter(ballots)].filter(([, n]) => isCountedVoter(n, voterMinScored)).map(([voter]) => voter),
  );
}

/** Tallies the counted ballots per design (the database does the same in SQL at finalize). */
export function tallyBallots(ballots: Ballot[], voterMinScored: number): Map<string, Tally> {
  const counted = countedVoters(ballots, voterMinScored);
  const tallies = new Map<string, Tally>();
  for (const b of ballots) {
    if (!counted.has(b.voterId)) continue;
    const t = tallies.get(b.submissionId) ?? emptyTally(b.submissionId);
    t.ballots += 1;
    t.scoreSum += b.score;
    t.wouldBuy += b.wouldBuy ? 1 : 0;
    t.distribution[b.score]! += 1;
    tallies.set(b.submissionId, t);
  }
  return tallies;
}

export function bayesianAverage(scoreSum: number, ballots: number, priorMean: number, priorWeight: number): number {
  if (priorWeight + ballots === 0) return priorMean;
  return (priorMean * priorWeight + scoreSum) / (priorWeight + ballots);
}

/** Lower bound of the Wilson score interval for `successes` out of `n`. */
export function wilsonLowerBound(successes: number, n: number, z = WILSON_Z): number {
  if (n === 0) return 0;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

export function roundMean(tallies: Iterable<Tally>): number {
  let sum = 0;
  let n = 0;
  for (const t of tallies) {
    sum += t.scoreSum;
    n += t.ballots;
  }
  return meanOfTotals(sum, n);
}

/** The round mean from its counted totals (the results page keeps only those); a round nobody scored sits mid-scale. */
export function meanOfTotals(scoreSum: number, ballots: number): number {
  return ballots === 0 ? EMPTY_ROUND_MEAN : scoreSum / ballots;
}

const EPSILON = 1e-9;

/**
 * Ranks every design of a round. `entries` are the designs eligible for the
 * ranking (approved, not disqualified) with their submission time.
 */
export function rankRound(
  entries: { submissionId: string; createdAt: Date }[],
  tallies: Map<string, Tally>,
  params: RankingParams,
): { priorMean: number; ranked: RankedEntry[] } {
  const eligible = entries.map((e) => ({
    ...(tallies.get(e.submissionId) ?? emptyTally(e.submissionId)),
    createdAt: e.createdAt,
  }));
  const priorMean = roundMean(eligible);
  const scored = eligible.map((t) => ({
    ...t,
    mean: t.ballots ? t.scoreSum / t.ballots : null,
    bayesianScore: bayesianAverage(t.scoreSum, t.ballots, priorMean, params.minVotes),
    wouldBuyLowerBound: wilsonLowerBound(t.wouldBuy, t.ballots),
    qualified: t.ballots >= params.minVotes,
  }));
  scored.sort((a, b) => {
    if (Math.abs(a.bayesianScore - b.bayesianScore) > EPSILON) return b.bayesianScore - a.bayesianScore;
    if (Math.abs(a.wouldBuyLowerBound - b.wouldBuyLowerBound) > EPSILON)
      return b.wouldBuyLowerBound - a.wouldBuyLowerBound;
    if (a.ballots !== b.ballots) return b.ballots - a.ballots;
    if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt.getTime() - b.createdAt.getTime();
    return a.submissionId < b.submissionId ? -1 : 1;
  });
  let winners = 0;
  const ranked = scored.map(({ createdAt: _createdAt, ...entry }, index) => {
    const winner = entry.qualified && winners < params.winnersCount;
    if (winner) winners += 1;
    return { ...entry, rank: index + 1, winner };
  });
  return { priorMean, ranked };
}
