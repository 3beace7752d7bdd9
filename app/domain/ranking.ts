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
  return { priorMean, ranked: orderAndCrown(scored, params) };
}

/* ───────────────────────── Rule 2: consensus-weighted ranking ─────────────────────────
 *
 * Rule 1 (above) stops throwaway accounts, but not a ring whose accounts each
 * score enough designs: scoring the target 5 and its strongest rivals 0 clears
 * the voter minimum. Rule 2 weighs each counted voter by how well their scores
 * agree with everyone else's:
 *
 *   r  = Pearson correlation between the voter's scores and the leave-one-out
 *        means of the designs they scored (each design's mean without this
 *        voter's ballot; the round's mean when nobody else scored it),
 *   s  = (k·r + t·K) / (k + K)   for k scored designs: little evidence pulls r
 *        towards t (0.5 by default, K = 5),
 *   w  = min(1, max(0, s / f))   (f = 0.5 by default: a voter whose shrunk
 *        agreement reaches f counts in full; less agreement counts less; a
 *        voter who scores against the crowd counts for nothing).
 *
 * A design's score is the weighted Bayesian average
 *   (C_w·m + Σ w·score) / (m + Σ w),   C_w = Σ w·score / Σ w over the round,
 * and the rest (second signal, ties, winners) is rule 1's. Harsh and generous
 * voters keep full weight: a correlation does not care where a voter's scale
 * starts. The simulation in scripts/sim/ measures all of this.
 */

/** A round's ranking rule, frozen with its other rules when submissions open. */
export type RankingRule =
  | { version: 1 }
  | {
      version: 2;
      /** K: how many ballots' worth of evidence the shrinkage target carries. */
      shrinkBallots: number;
      /** t: the agreement assumed of a voter with no evidence. */
      shrinkTowards: number;
      /** f: shrunk agreement at which a voter counts in full (1 = the plain shrunk correlation). */
      fullWeightAt: number;
    };

export const CURRENT_RANKING_RULE: RankingRule = {
  version: 2,
  shrinkBallots: 5,
  shrinkTowards: 0.5,
  fullWeightAt: 0.5,
};

export type RuleParams = RankingParams & { rule: RankingRule };

/**
 * A round's ballots held compactly: ids interned once, one slot per ballot in
 * typed arrays (about 10 bytes a ballot, so 500,000 ballots take ~5 MB).
 * Finalize fills it from the database a batch at a time; `results:verify`
 * fills it from the CSV; tests from a list.
 */
export class BallotBook {
  readonly voterIds: string[] = [];
  readonly submissionIds: string[] = [];
  private readonly voterIndex = new Map<string, number>();
  private readonly submissionIndex = new Map<string, number>();
  voter = new Int32Array(1024);
  submission = new Int32Array(1024);
  score = new Uint8Array(1024);
  wouldBuy = new Uint8Array(1024);
  length = 0;

  static of(ballots: Iterable<Ballot>): BallotBook {
    const book = new BallotBook();
    for (const b of ballots) book.add(b.voterId, b.submissionId, b.score, b.wouldBuy);
    return book;
  }

  /**
   * A book from columns interned by the database (finalize's read): ids in
   * first-ballot order, and per ballot the index of its voter and design, its
   * score and would-buy. Checked as `add` checks one ballot.
   */
  static ofColumns(
    voterIds: string[],
    submissionIds: string[],
    columns: { voter: Int32Array; submission: Int32Array; score: Uint8Array; wouldBuy: Uint8Array },
  ): BallotBook {
    const book = new BallotBook();
    const { length } = columns.voter;
    for (let i = 0; i < length; i++) {
      const v = columns.voter[i]!;
      const d = columns.submission[i]!;
      const s = columns.score[i]!;
      if (v < 0 || v >= voterIds.length || d < 0 || d >= submissionIds.length)
        throw new RangeError(`Ballot ${i} names a voter or design the book does not hold`);
      if (s > 5) throw new RangeError(`A score is 0 to 5, not ${s}`);
    }
    voterIds.forEach((id) => intern(id, book.voterIds, book.voterIndex));
    submissionIds.forEach((id) => intern(id, book.submissionIds, book.submissionIndex));
    if (book.voterIds.length !== voterIds.length || book.submissionIds.length !== submissionIds.length)
      throw new RangeError("A voter or design is listed twice");
    Object.assign(book, { ...columns, length });
    return book;
  }

  add(voterId: string, submissionId: string, score: number, wouldBuy: boolean) {
    if (!Number.isInteger(score) || score < 0 || score > 5) throw new RangeError(`A score is 0 to 5, not ${score}`);
    if (this.length === this.voter.length) this.grow();
    this.voter[this.length] = intern(voterId, this.voterIds, this.voterIndex);
    this.submission[this.length] = intern(submissionId, this.submissionIds, this.submissionIndex);
    this.score[this.length] = score;
    this.wouldBuy[this.length] = wouldBuy ? 1 : 0;
    this.length += 1;
  }

  private grow() {
    const size = this.voter.length * 2;
    const copy = <T extends Int32Array | Uint8Array>(from: T, to: T) => (to.set(from), to);
    this.voter = copy(this.voter, new Int32Array(size));
    this.submission = copy(this.submission, new Int32Array(size));
    this.score = copy(this.score, new Uint8Array(size));
    this.wouldBuy = copy(this.wouldBuy, new Uint8Array(size));
  }
}

function intern(id: string, ids: string[], index: Map<string, number>): number {
  let i = index.get(id);
  if (i === undefined) {
    i = ids.length;
    ids.push(id);
    index.set(id, i);
  }
  return i;
}

export type VoterWeight = {
  voterId: string;
  /** Ballots in the round (rule 1 counts these). */
  ballots: number;
  counted: boolean;
  /** k: the voter's ballots on designs in the ranking. */
  scored: number;
  /** r, or null when it is undefined (fewer than 2 designs, or no spread in either list). */
  agreement: number | null;
  /** w: 0 for a voter rule 1 leaves out. */
  weight: number;
};

/** Shrunk agreement → weight (rule 2, step 3). r = null counts as no agreement either way (0). */
export function consensusWeight(
  agreement: number | null,
  scored: number,
  rule: Extract<RankingRule, { version: 2 }>,
): number {
  const r = agreement ?? 0;
  const shrunk = (scored * r + rule.shrinkTowards * rule.shrinkBallots) / (scored + rule.shrinkBallots);
  return Math.min(1, Math.max(0, shrunk / rule.fullWeightAt));
}

/** Pearson's r from running sums; null when either list has no spread. */
export function pearson(n: number, sx: number, sy: number, sxx: number, syy: number, sxy: number): number | null {
  if (n < 2) return null;
  const vx = n * sxx - sx * sx;
  const vy = n * syy - sy * sy;
  // Scores are whole numbers, so vx is exact; vy is a sum of floats and gets a tolerance.
  if (vx <= 0 || vy <= 1e-9 * Math.max(1, n * syy)) return null;
  return Math.max(-1, Math.min(1, (n * sxy - sx * sy) / Math.sqrt(vx * vy)));
}

export type WeightedRankedEntry = RankedEntry & {
  /** Σ w over the design's counted ballots. */
  weight: number;
  /** Σ w·score. */
  weightedScoreSum: number;
};

export type RuleRanking = {
  rule: RankingRule;
  /** C (rule 1) or C_w (rule 2). */
  priorMean: number;
  ranked: WeightedRankedEntry[];
  /** Every voter of the round, in first-ballot order. */
  voters: VoterWeight[];
};

/**
 * Ranks a round under its frozen rule, from every ballot of the round (a
 * design not among `entries` is out of the ranking, but its ballots still
 * count towards rule 1's minimum, as they always have).
 */
export function rankByRule(
  entries: { submissionId: string; createdAt: Date }[],
  book: BallotBook,
  params: RuleParams,
): RuleRanking {
  const nVoters = book.voterIds.length;
  // The book's columns as locals: the passes below are the hot loops of finalize.
  const { voter, submission, score, wouldBuy, length } = book;
  const perVoter = new Int32Array(nVoters);
  for (let i = 0; i < length; i++) perVoter[voter[i]!]! += 1;
  const counted = new Uint8Array(nVoters);
  for (let v = 0; v < nVoters; v++) counted[v] = isCountedVoter(perVoter[v]!, params.voterMinScored) ? 1 : 0;

  // Designs in the ranking, by the book's index (-1: not in it).
  const eligibleIndex = new Map(entries.map((e, i) => [e.submissionId, i]));
  const slot = Int32Array.from(book.submissionIds, (id) => eligibleIndex.get(id) ?? -1);

  // Pass 1: counted tallies per design (rule 1's numbers, which rule 2 also publishes).
  const tallies = entries.map((e) => emptyTally(e.submissionId));
  for (let i = 0; i < length; i++) {
    const d = slot[submission[i]!]!;
    if (d < 0 || !counted[voter[i]!]) continue;
    const t = tallies[d]!;
    const s = score[i]!;
    t.ballots += 1;
    t.scoreSum += s;
    t.wouldBuy += wouldBuy[i]!;
    t.distribution[s]! += 1;
  }
  const plainMean = roundMean(tallies);
  const weights = new Float64Array(nVoters);
  const scored = new Int32Array(nVoters);
  const agreements: (number | null)[] = new Array<number | null>(nVoters).fill(null);

  const rule = params.rule;
  if (rule.version === 1) {
    for (let v = 0; v < nVoters; v++) weights[v] = counted[v] ? 1 : 0;
  } else {
    // Pass 2: each counted voter's running sums against the leave-one-out means.
    const sums = new Float64Array(nVoters * 5); // Σx, Σy, Σxx, Σyy, Σxy
    for (let i = 0; i < length; i++) {
      const v = voter[i]!;
      const d = slot[submission[i]!]!;
      if (d < 0 || !counted[v]) continue;
      const t = tallies[d]!;
      const x = score[i]!;
      const y = t.ballots > 1 ? (t.scoreSum - x) / (t.ballots - 1) : plainMean;
      const o = v * 5;
      scored[v]! += 1;
      sums[o]! += x;
      sums[o + 1]! += y;
      sums[o + 2]! += x * x;
      sums[o + 3]! += y * y;
      sums[o + 4]! += x * y;
    }
    for (let v = 0; v < nVoters; v++) {
      if (!counted[v]) continue;
      const o = v * 5;
      const r = pearson(scored[v]!, sums[o]!, sums[o + 1]!, sums[o + 2]!, sums[o + 3]!, sums[o + 4]!);
      agreements[v] = r;
      weights[v] = consensusWeight(r, scored[v]!, rule);
    }
  }
  if (rule.version === 1) {
    for (let i = 0; i < length; i++) {
      const v = voter[i]!;
      if (counted[v] && slot[submission[i]!]! >= 0) scored[v]! += 1;
    }
  }

  // Pass 3: weighted sums per design.
  const weightSum = new Float64Array(entries.length);
  const weightedScoreSum = new Float64Array(entries.length);
  for (let i = 0; i < length; i++) {
    const v = voter[i]!;
    const d = slot[submission[i]!]!;
    if (d < 0 || !counted[v]) continue;
    weightSum[d]! += weights[v]!;
    weightedScoreSum[d]! += weights[v]! * score[i]!;
  }
  let totalWeight = 0;
  let totalWeighted = 0;
  for (let d = 0; d < entries.length; d++) {
    totalWeight += weightSum[d]!;
    totalWeighted += weightedScoreSum[d]!;
  }
  const priorMean = rule.version === 1 ? plainMean : totalWeight > 0 ? totalWeighted / totalWeight : plainMean;

  const scoredEntries = entries.map((e, d) => {
    const t = tallies[d]!;
    return {
      ...t,
      createdAt: e.createdAt,
      mean: t.ballots ? t.scoreSum / t.ballots : null,
      weight: weightSum[d]!,
      weightedScoreSum: weightedScoreSum[d]!,
      bayesianScore: bayesianAverage(weightedScoreSum[d]!, weightSum[d]!, priorMean, params.minVotes),
      wouldBuyLowerBound: wilsonLowerBound(t.wouldBuy, t.ballots),
      qualified: t.ballots >= params.minVotes,
    };
  });
  const voters = book.voterIds.map((voterId, v) => ({
    voterId,
    ballots: perVoter[v]!,
    counted: counted[v] === 1,
    scored: scored[v]!,
    agreement: agreements[v]!,
    weight: weights[v]!,
  }));
  return { rule, priorMean, ranked: orderAndCrown(scoredEntries, params), voters };
}

/** Sorts scored designs by the published order (score, would-buy, ballots, submission time) and marks winners. */
function orderAndCrown<T extends Omit<RankedEntry, "rank" | "winner"> & { createdAt: Date }>(
  scored: T[],
  params: Pick<RankingParams, "winnersCount">,
): (Omit<T, "createdAt"> & { rank: number; winner: boolean })[] {
  scored.sort((a, b) => {
    if (Math.abs(a.bayesianScore - b.bayesianScore) > EPSILON) return b.bayesianScore - a.bayesianScore;
    if (Math.abs(a.wouldBuyLowerBound - b.wouldBuyLowerBound) > EPSILON)
      return b.wouldBuyLowerBound - a.wouldBuyLowerBound;
    if (a.ballots !== b.ballots) return b.ballots - a.ballots;
    if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt.getTime() - b.createdAt.getTime();
    return a.submissionId < b.submissionId ? -1 : 1;
  });
  let winners = 0;
  return scored.map(({ createdAt: _createdAt, ...entry }, index) => {
    const winner = entry.qualified && winners < params.winnersCount;
    if (winner) winners += 1;
    return { ...entry, rank: index + 1, winner };
  });
}

/** Buckets of voter weight for the results page: [0, 0.1), [0.1, 0.2) … [0.9, 1) and exactly 1. */
export const WEIGHT_BUCKETS = 11;

export function weightBucket(weight: number): number {
  return weight >= 1 ? WEIGHT_BUCKETS - 1 : Math.min(WEIGHT_BUCKETS - 2, Math.floor(weight * 10 + 1e-9));
}

export type WeightSummary = {
  /** Counted voters per weight bucket (see weightBucket). */
  voterHistogram: number[];
  /** Counted ballots on ranked designs cast by voters of weight below 1. */
  reducedBallots: number;
  /** …of which at weight 0. */
  zeroBallots: number;
  countedVoters: number;
};

export function summarizeWeights(voters: VoterWeight[]): WeightSummary {
  const voterHistogram = new Array<number>(WEIGHT_BUCKETS).fill(0);
  let reducedBallots = 0;
  let zeroBallots = 0;
  let countedVoters = 0;
  for (const v of voters) {
    if (!v.counted) continue;
    countedVoters += 1;
    voterHistogram[weightBucket(v.weight)]! += 1;
    if (v.weight < 1) reducedBallots += v.scored;
    if (v.weight === 0) zeroBallots += v.scored;
  }
  return { voterHistogram, reducedBallots, zeroBallots, countedVoters };
}
