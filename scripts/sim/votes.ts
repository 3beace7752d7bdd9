/**
 * A simulated round, to measure a ranking rule against honest voters and
 * two rings (issue 14). Pure and seeded: the same options give the same
 * figures on any machine. `npm run sim:votes` runs it at full size;
 * tests/unit/vote-simulation.test.ts at a small one.
 *
 * The model:
 * - each design has a true quality q ~ N(0, 1);
 * - each honest voter is harsh or generous (a bias of ±0.3 to ±1.2 points,
 *   half each way) and scores round(2.5 + q + bias + noise), noise ~ N(0, 0.9),
 *   clamped to 0–5; they tick "I'd buy this" above 3.5;
 * - honest voters arrive one after another and each scores `ballotsPerVoter`
 *   designs served by the vote queue: the design with the fewest ballots they
 *   have not scored, ties broken by a random order drawn once per design (as
 *   `submissions.tie_break` does, ADR 009);
 * - the target is the design ranked `targetRank` by the honest round under
 *   the rule measured (by default the median: where designs sit closest
 *   together, so a ring gains most); its rivals are the five best-ranked other designs;
 * - the naive ring: `ringSize` fresh accounts, one ballot each, a 5 for the
 *   target; the smart ring: `ringSize` accounts each scoring the target 5 and
 *   the five rivals 0 (six ballots each, enough for the voter minimum). Ring
 *   ballots bypass the queue, as the vote action accepts any design's id.
 */
import { BallotBook, rankByRule, type RankingRule } from "~/domain/ranking";

export type SimulationOptions = {
  seed: number;
  designs: number;
  voters: number;
  ballotsPerVoter: number;
  rounds: number;
  ringSize: number;
  /** The honest rank of the ring's target. */
  targetRank: number;
  minVotes: number;
  voterMinScored: number;
};

export const FULL_SIZE: SimulationOptions = {
  seed: 14,
  designs: 200,
  voters: 2000,
  ballotsPerVoter: 25,
  rounds: 20,
  ringSize: 20,
  targetRank: 100,
  minVotes: 5,
  voterMinScored: 5,
};

export type RuleFigures = {
  name: string;
  /** Means over the rounds. */
  rankCorrelation: number;
  topTenFound: number;
  naiveRingGain: number;
  smartRingGain: number;
  /** The worst round's smart-ring gain. */
  smartRingGainMax: number;
};

export type SimulationReport = {
  options: SimulationOptions;
  /** Honest ballots per design: the most and the fewest (means over the rounds). */
  exposureMax: number;
  exposureMin: number;
  rules: RuleFigures[];
};

/** mulberry32: a small seeded generator, good enough for a simulation. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

type HonestRound = {
  quality: number[];
  ballots: { voter: number; design: number; score: number; wouldBuy: boolean }[];
  exposure: number[];
};

/** One honest round through the fewest-ballots queue. */
export function honestRound(options: SimulationOptions, random: () => number): HonestRound {
  const n = options.designs;
  const quality = Array.from({ length: n }, () => normal(random));
  const tieBreak = Array.from({ length: n }, () => random());
  const exposure = new Array<number>(n).fill(0);
  const ballots: HonestRound["ballots"] = [];
  const seen = new Uint8Array(n);
  for (let v = 0; v < options.voters; v++) {
    const bias = (random() < 0.5 ? -1 : 1) * (0.3 + 0.9 * random());
    seen.fill(0);
    for (let b = 0; b < Math.min(options.ballotsPerVoter, n); b++) {
      let pick = -1;
      for (let d = 0; d < n; d++) {
        if (seen[d]) continue;
        if (
          pick < 0 ||
          exposure[d]! < exposure[pick]! ||
          (exposure[d] === exposure[pick] && tieBreak[d]! < tieBreak[pick]!)
        )
          pick = d;
      }
      seen[pick] = 1;
      exposure[pick]! += 1;
      const felt = 2.5 + quality[pick]! + bias + 0.9 * normal(random);
      ballots.push({
        voter: v,
        design: pick,
        score: Math.max(0, Math.min(5, Math.round(felt))),
        wouldBuy: felt > 3.5,
      });
    }
  }
  return { quality, ballots, exposure };
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000);
const designId = (d: number) => `d${d}`;

function rankedIds(
  round: HonestRound,
  extra: { voter: string; design: number; score: number }[],
  rule: RankingRule,
  options: SimulationOptions,
) {
  const book = new BallotBook();
  for (const b of round.ballots) book.add(`h${b.voter}`, designId(b.design), b.score, b.wouldBuy);
  for (const b of extra) book.add(b.voter, designId(b.design), b.score, b.score === 5);
  const entries = round.quality.map((_, d) => ({ submissionId: designId(d), createdAt: at(d) }));
  const { ranked } = rankByRule(entries, book, {
    rule,
    minVotes: options.minVotes,
    voterMinScored: options.voterMinScored,
    winnersCount: 10,
  });
  return ranked.map((r) => Number(r.submissionId.slice(1)));
}

/** Spearman's rank correlation of a ranking (best first) with the true qualities. */
function rankCorrelation(order: number[], quality: number[]) {
  const n = order.length;
  const trueOrder = quality.map((q, d) => [q, d] as const).sort((a, b) => b[0] - a[0]);
  const trueRank = new Array<number>(n);
  trueOrder.forEach(([, d], i) => (trueRank[d] = i));
  let d2 = 0;
  order.forEach((d, i) => (d2 += (i - trueRank[d]!) ** 2));
  return 1 - (6 * d2) / (n * (n * n - 1));
}

function topTenFound(order: number[], quality: number[]) {
  const best = new Set(
    quality
      .map((q, d) => [q, d] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 10)
      .map(([, d]) => d),
  );
  return order.slice(0, 10).filter((d) => best.has(d)).length / Math.min(10, order.length);
}

export function simulate(options: SimulationOptions, rules: { name: string; rule: RankingRule }[]): SimulationReport {
  const random = seededRandom(options.seed);
  const sums = rules.map(() => ({ corr: 0, top: 0, naive: 0, smart: 0, smartMax: -Infinity }));
  let exposureMax = 0;
  let exposureMin = 0;
  for (let r = 0; r < options.rounds; r++) {
    const round = honestRound(options, random);
    exposureMax += Math.max(...round.exposure);
    exposureMin += Math.min(...round.exposure);
    rules.forEach(({ rule }, i) => {
      const honest = rankedIds(round, [], rule, options);
      const target = honest[options.targetRank - 1]!;
      const rivals = honest.filter((d) => d !== target).slice(0, 5);
      const naive = Array.from({ length: options.ringSize }, (_, a) => ({
        voter: `naive${a}`,
        design: target,
        score: 5,
      }));
      const smart = Array.from({ length: options.ringSize }, (_, a) => [
        { voter: `ring${a}`, design: target, score: 5 },
        ...rivals.map((design) => ({ voter: `ring${a}`, design, score: 0 })),
      ]).flat();
      const rankOf = (order: number[]) => order.indexOf(target) + 1;
      const s = sums[i]!;
      s.corr += rankCorrelation(honest, round.quality);
      s.top += topTenFound(honest, round.quality);
      s.naive += options.targetRank - rankOf(rankedIds(round, naive, rule, options));
      const smartGain = options.targetRank - rankOf(rankedIds(round, smart, rule, options));
      s.smart += smartGain;
      s.smartMax = Math.max(s.smartMax, smartGain);
    });
  }
  const n = options.rounds;
  return {
    options,
    exposureMax: exposureMax / n,
    exposureMin: exposureMin / n,
    rules: rules.map(({ name }, i) => ({
      name,
      rankCorrelation: sums[i]!.corr / n,
      topTenFound: sums[i]!.top / n,
      naiveRingGain: sums[i]!.naive / n,
      smartRingGain: sums[i]!.smart / n,
      smartRingGainMax: sums[i]!.smartMax,
    })),
  };
}

export function formatReport(report: SimulationReport): string {
  const o = report.options;
  const lines = [
    `${o.designs} designs, ${o.voters} honest voters × ${o.ballotsPerVoter} ballots through the fewest-ballots queue, mean of ${o.rounds} rounds (seed ${o.seed})`,
    `rings: ${o.ringSize} accounts; target ranked ${o.targetRank} by the honest round; minimum votes ${o.minVotes}, voter minimum ${o.voterMinScored}`,
    `exposure: ${report.exposureMax.toFixed(1)} ballots at most, ${report.exposureMin.toFixed(1)} at least (max/min ${(report.exposureMax / report.exposureMin).toFixed(3)})`,
    "",
    "rule                           rank corr.  top-10 found  naive ring gain  smart ring gain (worst round)",
  ];
  for (const r of report.rules) {
    lines.push(
      `${r.name.padEnd(30)} ${r.rankCorrelation.toFixed(4).padStart(10)}  ${r.topTenFound.toFixed(3).padStart(12)}  ${r.naiveRingGain.toFixed(2).padStart(15)}  ${r.smartRingGain.toFixed(2).padStart(15)} (${r.smartRingGainMax})`,
    );
  }
  return lines.join("\n");
}
