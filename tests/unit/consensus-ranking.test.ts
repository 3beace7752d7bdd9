import { describe, expect, it } from "vitest";
import {
  BallotBook,
  consensusWeight,
  CURRENT_RANKING_RULE,
  pearson,
  rankByRule,
  rankRound,
  summarizeWeights,
  tallyBallots,
  type Ballot,
  type RankingRule,
} from "~/domain/ranking";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const rule2 = CURRENT_RANKING_RULE as Extract<RankingRule, { version: 2 }>;
const plain = { ...rule2, fullWeightAt: 1 };

function scoresOf(rows: [voter: string, design: string, score: number][]): Ballot[] {
  return rows.map(([voterId, submissionId, score]) => ({ voterId, submissionId, score, wouldBuy: score >= 4 }));
}

describe("consensusWeight and pearson, worked by hand", () => {
  it("shrinks agreement towards 0.5 by 5 ballots' worth, then scales by the full-weight point", () => {
    // k = 5, r = 1: s = (5 + 2.5) / 10 = 0.75 → 0.75 / 0.5 = 1.5, capped at 1
    expect(consensusWeight(1, 5, rule2)).toBe(1);
    // k = 5, r = 0: s = 2.5 / 10 = 0.25 → 0.5
    expect(consensusWeight(0, 5, rule2)).toBeCloseTo(0.5, 12);
    // k = 5, r = −1: s = (−5 + 2.5) / 10 = −0.25 → floored at 0
    expect(consensusWeight(-1, 5, rule2)).toBe(0);
    // undefined r counts as 0: k = 1, s = 2.5 / 6 → 0.8333
    expect(consensusWeight(null, 1, rule2)).toBeCloseTo(5 / 6, 12);
    // the plain rule (f = 1) is the shrunk correlation itself: k = 5, r = 1 → 0.75
    expect(consensusWeight(1, 5, plain)).toBeCloseTo(0.75, 12);
    // k = 25, r = 0.2: s = (5 + 2.5) / 30 = 0.25 → 0.5
    expect(consensusWeight(0.2, 25, rule2)).toBeCloseTo(0.5, 12);
  });

  it("computes Pearson's r from sums, and none when a list has no spread", () => {
    // x = (5, 3, 1), y = (3, 2, 1): perfectly aligned
    expect(pearson(3, 9, 6, 35, 14, 22)).toBeCloseTo(1, 12);
    // x = (1, 2, 3), y = (2, 1, 3): n·Σxy − ΣxΣy = 3·13 − 36 = 3; √((3·14 − 36)(3·14 − 36)) = 6 → 0.5
    expect(pearson(3, 6, 6, 14, 14, 13)).toBeCloseTo(0.5, 12);
    // x all 3s: no spread
    expect(pearson(3, 9, 6, 27, 14, 18)).toBeNull();
    expect(pearson(1, 5, 3, 25, 9, 15)).toBeNull();
  });
});

describe("rankByRule with the consensus rule, worked by hand", () => {
  // Four voters score designs X and Y; d scores against everyone else.
  //   a: X5 Y1   b: X4 Y2   c: X5 Y2   d: X1 Y5       X: 15 over 4, Y: 10 over 4
  // Leave-one-out means (X, Y) and the voter's scores:
  //   a: (10/3, 9/3)  vs (5, 1) → both fall from X to Y: r = +1
  //   b: (11/3, 8/3)  vs (4, 2) → r = +1
  //   c: (10/3, 8/3)  vs (5, 2) → r = +1
  //   d: (14/3, 5/3)  vs (1, 5) → r = −1
  // k = 2: r = +1 → s = (2 + 2.5)/7 = 9/14 ≥ 0.5 → w = 1; r = −1 → s = 0.5/7 = 1/14 → w = 1/7.
  // e cast one ballot (X5): below the voter minimum of 2, so it counts for nothing.
  const book = BallotBook.of(
    scoresOf([
      ["a", "X", 5],
      ["a", "Y", 1],
      ["b", "X", 4],
      ["b", "Y", 2],
      ["c", "X", 5],
      ["c", "Y", 2],
      ["d", "X", 1],
      ["d", "Y", 5],
      ["e", "X", 5],
    ]),
  );
  const entries = [
    { submissionId: "X", createdAt: at(1) },
    { submissionId: "Y", createdAt: at(2) },
    { submissionId: "Z", createdAt: at(3) },
  ];
  const params = { minVotes: 1, voterMinScored: 2, winnersCount: 1 };

  it("weighs each voter by agreement with the others", () => {
    const { voters } = rankByRule(entries, book, { ...params, rule: rule2 });
    const byId = Object.fromEntries(voters.map((v) => [v.voterId, v]));
    expect(byId.a).toMatchObject({ ballots: 2, scored: 2, counted: true, weight: 1 });
    expect(byId.a!.agreement).toBeCloseTo(1, 12);
    expect(byId.d!.agreement).toBeCloseTo(-1, 12);
    expect(byId.d!.weight).toBeCloseTo(1 / 7, 12);
    expect(byId.e).toMatchObject({ ballots: 1, counted: false, weight: 0, agreement: null });
  });

  it("ranks by the weighted Bayesian average around the weighted round mean", () => {
    const { priorMean, ranked } = rankByRule(entries, book, { ...params, rule: rule2 });
    // X: Σw = 3 + 1/7 = 22/7, Σw·s = 14 + 1/7 = 99/7.  Y: Σw = 22/7, Σw·s = 5 + 5/7 = 40/7.
    // C_w = (99/7 + 40/7) / (44/7) = 139/44 ≈ 3.159.  m = 1.
    const C = 139 / 44;
    expect(priorMean).toBeCloseTo(C, 12);
    const byId = Object.fromEntries(ranked.map((r) => [r.submissionId, r]));
    expect(byId.X!.weight).toBeCloseTo(22 / 7, 12);
    expect(byId.X!.bayesianScore).toBeCloseTo((C + 99 / 7) / (1 + 22 / 7), 12); // ≈ 4.177
    expect(byId.Y!.bayesianScore).toBeCloseTo((C + 40 / 7) / (1 + 22 / 7), 12); // ≈ 2.142
    expect(byId.Z!.bayesianScore).toBeCloseTo(C, 12); // no ballots: the prior alone
    expect(ranked.map((r) => r.submissionId)).toEqual(["X", "Z", "Y"]);
    // The plain tallies (counted ballots, unweighted) are still published beside the weights.
    expect(byId.X).toMatchObject({ ballots: 4, scoreSum: 15, distribution: [0, 1, 0, 0, 1, 2], winner: true });
    expect(byId.Y!.mean).toBeCloseTo(2.5, 12);
  });

  it("gives the old rule's ranking under rule version 1", () => {
    const all = [...Array(book.length).keys()].map((i) => ({
      voterId: book.voterIds[book.voter[i]!]!,
      submissionId: book.submissionIds[book.submission[i]!]!,
      score: book.score[i]!,
      wouldBuy: book.wouldBuy[i] === 1,
    }));
    const old = rankRound(entries, tallyBallots(all, 2), params);
    const v1 = rankByRule(entries, book, { ...params, rule: { version: 1 } });
    expect(v1.priorMean).toBeCloseTo(old.priorMean, 12);
    // C = 25/8; X = (25/8 + 15) / 5 = 3.625
    expect(v1.ranked.find((r) => r.submissionId === "X")!.bayesianScore).toBeCloseTo(3.625, 12);
    expect(v1.ranked.map((r) => [r.submissionId, r.rank, r.bayesianScore, r.winner])).toEqual(
      old.ranked.map((r) => [r.submissionId, r.rank, r.bayesianScore, r.winner]),
    );
    expect(v1.voters.filter((v) => v.weight === 1).map((v) => v.voterId)).toEqual(["a", "b", "c", "d"]);
  });

  it("counts ballots on a design out of the ranking towards the voter minimum only", () => {
    // f scored X 0 and the withdrawn design W 5: 2 ballots (counted), 1 on a ranked design: r undefined,
    // s = 2.5/6 → w = 5/6. X gains Σw = 5/6 and Σw·s = 0.
    const withF = BallotBook.of(
      scoresOf([
        ["f", "X", 0],
        ["f", "W", 5],
        ["a", "X", 5],
        ["a", "Y", 1],
      ]),
    );
    const { voters, ranked } = rankByRule(entries, withF, { ...params, rule: rule2 });
    const f = voters.find((v) => v.voterId === "f")!;
    expect(f).toMatchObject({ ballots: 2, scored: 1, counted: true, agreement: null });
    expect(f.weight).toBeCloseTo(5 / 6, 12);
    expect(ranked.find((r) => r.submissionId === "X")!.ballots).toBe(2);
    expect(ranked.some((r) => r.submissionId === "W")).toBe(false);
  });

  it("summarizes the weights for the results page", () => {
    const { voters } = rankByRule(entries, book, { ...params, rule: rule2 });
    const summary = summarizeWeights(voters);
    // a, b, c at 1 (last bucket); d at 1/7 (bucket 0.1–0.2); e not counted.
    expect(summary).toEqual({
      voterHistogram: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3],
      reducedBallots: 2,
      zeroBallots: 0,
      countedVoters: 4,
    });
  });

  it("refuses a score off the scale", () => {
    expect(() => BallotBook.of(scoresOf([["a", "X", 6]]))).toThrow(RangeError);
  });
});

describe("a BallotBook from interned columns (how finalize reads a round)", () => {
  const columns = (voter: number[], submission: number[], score: number[], wouldBuy: number[]) => ({
    voter: Int32Array.from(voter),
    submission: Int32Array.from(submission),
    score: Uint8Array.from(score),
    wouldBuy: Uint8Array.from(wouldBuy),
  });

  it("holds the same ballots, ids and order as one filled a ballot at a time", () => {
    const byOne = BallotBook.of([
      { voterId: "a", submissionId: "X", score: 5, wouldBuy: true },
      { voterId: "b", submissionId: "X", score: 0, wouldBuy: false },
      { voterId: "a", submissionId: "Y", score: 3, wouldBuy: false },
    ]);
    const packed = BallotBook.ofColumns(["a", "b"], ["X", "Y"], columns([0, 1, 0], [0, 0, 1], [5, 0, 3], [1, 0, 0]));
    for (const book of [byOne, packed]) {
      expect(book.length).toBe(3);
      expect(book.voterIds).toEqual(["a", "b"]);
      expect(book.submissionIds).toEqual(["X", "Y"]);
    }
    expect([...packed.voter.subarray(0, 3)]).toEqual([...byOne.voter.subarray(0, 3)]);
    expect([...packed.submission.subarray(0, 3)]).toEqual([...byOne.submission.subarray(0, 3)]);
    expect([...packed.score.subarray(0, 3)]).toEqual([...byOne.score.subarray(0, 3)]);
    expect([...packed.wouldBuy.subarray(0, 3)]).toEqual([...byOne.wouldBuy.subarray(0, 3)]);
  });

  it("refuses a ballot naming a voter or design it does not list, a score off the scale, or a listed id twice", () => {
    expect(() => BallotBook.ofColumns(["a"], ["X"], columns([1], [0], [2], [0]))).toThrow(RangeError);
    expect(() => BallotBook.ofColumns(["a"], ["X"], columns([0], [1], [2], [0]))).toThrow(RangeError);
    expect(() => BallotBook.ofColumns(["a"], ["X"], columns([0], [0], [6], [0]))).toThrow(RangeError);
    expect(() => BallotBook.ofColumns(["a", "a"], ["X"], columns([0], [0], [2], [0]))).toThrow(RangeError);
  });
});
