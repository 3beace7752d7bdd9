import { describe, expect, it } from "vitest";
import { groupPairs, hourlySeries, isNearIdentical, leaningDesigns, networkPrefix } from "~/domain/integrity";

describe("networkPrefix", () => {
  it("keeps the /24 of IPv4 (mapped or not) and the /48 of IPv6", () => {
    expect(networkPrefix("198.51.100.23")).toBe("198.51.100.0/24");
    expect(networkPrefix("::ffff:198.51.100.200")).toBe("198.51.100.0/24");
    expect(networkPrefix("2001:db8:1:2::5")).toBe("2001:db8:1::/48");
    expect(networkPrefix("2001:0DB8:0001:ffff:0:0:0:1")).toBe("2001:db8:1::/48");
    expect(networkPrefix("fe80::1%eth0")).toBe("fe80:0:0::/48");
  });

  it("calls anything else unknown", () => {
    for (const bad of ["unknown", "", "300.1.1.1", "1.2.3", "1::2::3", "hello:world", "1:2:3:4:5:6:7:8:9"])
      expect(networkPrefix(bad)).toBe("unknown");
  });
});

describe("groupPairs", () => {
  it("joins chains into groups, largest first, each sorted", () => {
    expect(
      groupPairs([
        { a: "c", b: "d" },
        { a: "x", b: "y" },
        { a: "b", b: "c" },
        { a: "a", b: "b" },
      ]),
    ).toEqual([
      ["a", "b", "c", "d"],
      ["x", "y"],
    ]);
    expect(groupPairs([])).toEqual([]);
  });
});

describe("isNearIdentical", () => {
  const base = { common: 6, absDifferenceSum: 0, ballotsA: 6, ballotsB: 6 };
  it("needs enough common designs, most of the smaller set, and close scores", () => {
    expect(isNearIdentical(base)).toBe(true);
    expect(isNearIdentical({ ...base, common: 4, ballotsA: 4, ballotsB: 4 })).toBe(false);
    // 6 common of 20 each: mostly different ballots.
    expect(isNearIdentical({ ...base, ballotsA: 20, ballotsB: 20 })).toBe(false);
    // 3 points apart over 6 designs = 0.5 each: still near; 4 is not.
    expect(isNearIdentical({ ...base, absDifferenceSum: 3 })).toBe(true);
    expect(isNearIdentical({ ...base, absDifferenceSum: 4 })).toBe(false);
  });
});

describe("leaningDesigns", () => {
  it("names designs lifted by low-weight ballots, largest lift first", () => {
    const picked = leaningDesigns([
      { submissionId: "a", ballots: 10, lowWeightBallots: 6, mean: 4, weightedMean: 2 },
      { submissionId: "b", ballots: 10, lowWeightBallots: 8, mean: 5, weightedMean: null },
      { submissionId: "c", ballots: 10, lowWeightBallots: 4, mean: 5, weightedMean: 1 },
      { submissionId: "d", ballots: 10, lowWeightBallots: 9, mean: 1, weightedMean: 3 },
      { submissionId: "e", ballots: 2, lowWeightBallots: 2, mean: 5, weightedMean: null },
    ]);
    expect(picked.map((d) => [d.submissionId, d.lift, d.lowWeightShare])).toEqual([
      ["b", 5, 0.8],
      ["a", 2, 0.6],
    ]);
  });
});

describe("hourlySeries", () => {
  it("fills empty hours with zero and keeps the latest maxHours", () => {
    const h = (n: number) => new Date(Date.UTC(2026, 0, 1, n));
    const rows = [
      { hour: h(1), n: 4 },
      { hour: h(3), n: 2 },
    ];
    expect(hourlySeries(rows, new Date(h(0).getTime() + 1800_000), new Date(h(3).getTime() + 60_000))).toEqual([
      { hour: h(0), n: 0 },
      { hour: h(1), n: 4 },
      { hour: h(2), n: 0 },
      { hour: h(3), n: 2 },
    ]);
    expect(hourlySeries(rows, h(0), h(3), 2)).toEqual([
      { hour: h(2), n: 0 },
      { hour: h(3), n: 2 },
    ]);
    expect(hourlySeries(rows, h(3), h(1))).toEqual([]);
  });
});
