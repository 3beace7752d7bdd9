/**
 * `npm run sim:votes`: the vote simulation at full size (scripts/sim/votes.ts),
 * for the old rule, the plain weighting and the published rule.
 * SIM_ROUNDS, SIM_SEED, SIM_TARGET_RANK override the defaults.
 */
import { CURRENT_RANKING_RULE } from "~/domain/ranking";
import { formatReport, FULL_SIZE, simulate } from "./votes";

const options = {
  ...FULL_SIZE,
  rounds: Number(process.env.SIM_ROUNDS ?? FULL_SIZE.rounds),
  seed: Number(process.env.SIM_SEED ?? FULL_SIZE.seed),
  targetRank: Number(process.env.SIM_TARGET_RANK ?? FULL_SIZE.targetRank),
};
const started = performance.now();
const report = simulate(options, [
  { name: "1: Bayesian average", rule: { version: 1 } },
  { name: "2, plain (f = 1, issue 14)", rule: { version: 2, shrinkBallots: 5, shrinkTowards: 0.5, fullWeightAt: 1 } },
  { name: "2, published (f = 0.5)", rule: CURRENT_RANKING_RULE },
]);
console.log(formatReport(report));
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
