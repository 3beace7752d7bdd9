import { describe, expect, it } from "vitest";
import { CURRENT_RANKING_RULE } from "~/domain/ranking";
import { FULL_SIZE, simulate } from "../../scripts/sim/votes";

describe("the vote simulation (scripts/sim), small and seeded", () => {
  // 100 designs × 200 honest ballots each, as the full run's 250; 4 rounds instead of 20.
  const report = simulate({ ...FULL_SIZE, designs: 100, voters: 800, rounds: 4, targetRank: 50, seed: 7 }, [
    { name: "old", rule: { version: 1 } },
    { name: "published", rule: CURRENT_RANKING_RULE },
  ]);
  const [old, published] = report.rules;

  it("serves every design about equally through the queue", () => {
    expect(report.exposureMax - report.exposureMin).toBeLessThanOrEqual(1);
  });

  it("keeps the smart ring to at most 3 places under the published rule, where the old rule let it climb", () => {
    expect(published!.smartRingGain).toBeLessThanOrEqual(3);
    expect(published!.smartRingGainMax).toBeLessThanOrEqual(3);
    expect(old!.smartRingGain).toBeGreaterThan(5);
    expect(published!.naiveRingGain).toBe(0);
  });

  it("finds the honest top 10 as well as the old rule does", () => {
    expect(published!.topTenFound).toBeGreaterThanOrEqual(0.85);
    expect(published!.rankCorrelation).toBeGreaterThanOrEqual(old!.rankCorrelation - 0.005);
  });
});
