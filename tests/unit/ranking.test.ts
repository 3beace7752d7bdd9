import { describe, expect, it } from "vitest";
import { bayesianAverage, rankRound, tallyBallots, wilsonLowerBound, type Ballot } from "~/domain/ranking";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

function ballots(
  submissionId: string,
  scores: number[],
  options: { wouldBuy?: number; voterPrefix?: string } = {},
): Ballot[] {
  return scores.map((score, i) => ({
    submissionId,
    voterId: `${options.voterPrefix ?? "v"}${i}`,
    score,
    wouldBuy: i < (options.wouldBuy ?? 0),
  }));
}

describe("bayesianAverage and wilsonLowerBound, worked by hand", () => {
  it("pulls a design with few ballots towards the round's mean", () => {
    // C = 4, m = 2: one 5 → (4·2 + 5) / 3 = 13/3
    expect(bayesianAverage(5, 1, 4, 2)).toBeCloseTo(13 / 3, 12);
    // Many ballots: the design's own mean dominates. 100 × 3 → (8 + 300) / 102
    expect(bayesianAverage(300, 100, 4, 2)).toBeCloseTo(308 / 102, 12);
    expect(bayesianAverage(0, 0, 3.2, 0)).toBe(3.2);
  });

  it("gives the Wilson lower bound at 95%", () => {
    // 8 of 10: p = .8, z² = 3.8416 → (0.8 + 0.19208 − 1.96·√0.025604) / 1.38416 = 0.49016
    expect(wilsonLowerBound(8, 10)).toBeCloseTo(0.49016, 4);
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.20654, 4);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });
});

describe("rankRound", () => {
  it("ranks a small round as worked out by hand", () => {
    // m = 2. Counted ballots: A 5,5 · B 4,4,4,4 · C 3 · D none. C̄ = 29/7.
    const all = [...ballots("A", [5, 5]), ...ballots("B", [4, 4, 4, 4], { wouldBuy: 4 }), ...ballots("C", [3])];
    const { priorMean, ranked } = rankRound(
      [
        { submissionId: "A", createdAt: at(1) },
        { submissionId: "B", createdAt: at(2) },
        { submissionId: "C", createdAt: at(3) },
        { submissionId: "D", createdAt: at(4) },
      ],
      tallyBallots(all, 0),
      { minVotes: 2, voterMinScored: 0, winnersCount: 2 },
    );
    const C = 29 / 7;
    expect(priorMean).toBeCloseTo(C, 12);
    expect(ranked.map((r) => r.submissionId)).toEqual(["A", "D", "B", "C"]);
    const byId = Object.fromEntries(ranked.map((r) => [r.submissionId, r]));
    expect(byId.A!.bayesianScore).toBeCloseTo((2 * C + 10) / 4, 12); // 4.5714
    expect(byId.D!.bayesianScore).toBeCloseTo(C, 12); // 4.1429: no ballots, the prior alone
    expect(byId.B!.bayesianScore).toBeCloseTo((2 * C + 16) / 6, 12); // 4.0476
    expect(byId.C!.bayesianScore).toBeCloseTo((2 * C + 3) / 3, 12); // 3.7619
    // D has no ballots, so it cannot win: the second prize goes to B.
    expect(ranked.filter((r) => r.winner).map((r) => r.submissionId)).toEqual(["A", "B"]);
    expect(byId.D).toMatchObject({ qualified: false, mean: null, ballots: 0 });
    expect(byId.B!.distribution).toEqual([0, 0, 0, 0, 4, 0]);
    expect(byId.B!.wouldBuyLowerBound).toBeCloseTo(wilsonLowerBound(4, 4), 12);
  });

  it("breaks ties by would-buy, then ballots, then submission time", () => {
    const all = [
      ...ballots("early", [4, 4]),
      ...ballots("late", [4, 4]),
      ...ballots("buyers", [4, 4], { wouldBuy: 2 }),
      ...ballots("many", [4, 4, 4, 4]),
    ];
    const { ranked } = rankRound(
      [
        { submissionId: "late", createdAt: at(9) },
        { submissionId: "early", createdAt: at(1) },
        { submissionId: "buyers", createdAt: at(5) },
        { submissionId: "many", createdAt: at(7) },
      ],
      tallyBallots(all, 0),
      { minVotes: 2, voterMinScored: 0, winnersCount: 1 },
    );
    // Every design scores exactly the round mean, 4.
    expect(ranked.map((r) => r.submissionId)).toEqual(["buyers", "many", "early", "late"]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
  });

  it("ignores ballots from members who scored too few designs", () => {
    const honest = [...ballots("A", [3, 3, 3], { voterPrefix: "h" }), ...ballots("B", [3, 3, 3], { voterPrefix: "h" })];
    const drive = [{ submissionId: "A", voterId: "puppet", score: 5, wouldBuy: true }];
    const tallies = tallyBallots([...honest, ...drive], 2);
    expect(tallies.get("A")).toMatchObject({ ballots: 3, scoreSum: 9, wouldBuy: 0 });
  });
});

/** A small deterministic PRNG, so the simulation is the same on every run. */
function prng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

function simulateRound(voterMinScored: number, withPuppets: boolean) {
  const rnd = prng(42);
  const designs = Array.from({ length: 200 }, (_, i) => ({
    submissionId: `d${i}`,
    createdAt: at(i),
    quality: 1 + rnd() * 3,
  }));
  const all: Ballot[] = [];
  // 120 honest members each score 40 random designs: true quality plus noise.
  for (let v = 0; v < 120; v++) {
    const seen = new Set<number>();
    while (seen.size < 40) seen.add(Math.floor(rnd() * designs.length));
    for (const d of seen) {
      const noisy = designs[d]!.quality + (rnd() - 0.5) * 2;
      all.push({
        submissionId: `d${d}`,
        voterId: `member${v}`,
        score: Math.max(0, Math.min(5, Math.round(noisy))),
        wouldBuy: noisy > 3.5,
      });
    }
  }
  const target = "d17";
  if (withPuppets) {
    // A ring of 25 fresh accounts, each casting a single 5 for the target.
    for (let p = 0; p < 25; p++) all.push({ submissionId: target, voterId: `puppet${p}`, score: 5, wouldBuy: true });
  }
  const { ranked } = rankRound(designs, tallyBallots(all, voterMinScored), {
    minVotes: 5,
    voterMinScored,
    winnersCount: 3,
  });
  return ranked.find((r) => r.submissionId === target)!.rank;
}

describe("a simulated round with a sock-puppet ring", () => {
  it("lifts the target without the minimum-scored rule, and not at all with it", () => {
    const honestRank = simulateRound(5, false);
    const climbWithoutRule = simulateRound(1, false) - simulateRound(1, true);
    const climbWithRule = honestRank - simulateRound(5, true);
    console.log(
      `[simulation] target honest rank ${honestRank}/200; ring climbs ${climbWithoutRule} places without the rule, ${climbWithRule} with it`,
    );
    expect(climbWithRule).toBe(0);
    expect(climbWithoutRule).toBeGreaterThanOrEqual(15);
  });
});
