/**
 * The integrity view's pure rules (app/domain/integrity.server.ts runs the
 * queries): which network a sign-up came from, how near-identical voters
 * are grouped, which designs lean on low-weight voters, and the hourly
 * series a chart draws.
 */

/** An account this young when it cast a ballot is "new". */
export const NEW_ACCOUNT_DAYS = 7;
/** Sign-ups from one network within one hour, at least: a burst. */
export const BURST_MIN_SIGNUPS = 3;
/** A voter weighing less than this is "low-weight". */
export const LOW_WEIGHT = 0.5;

/**
 * The network an address belongs to, the unit sign-up bursts are counted
 * in: the /24 of an IPv4 address, the /48 of an IPv6 one (a home or an
 * office; one machine's address changes within it). Only a keyed hash of
 * this ever reaches the database.
 */
export function networkPrefix(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  const v4 = mapped ? mapped[1]! : trimmed;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  if (octets && octets.slice(1).every((o) => Number(o) <= 255)) {
    return `${Number(octets[1])}.${Number(octets[2])}.${Number(octets[3])}.0/24`;
  }
  const groups = expandIpv6(trimmed.replace(/%.*$/, ""));
  if (groups) return `${groups.slice(0, 3).join(":")}::/48`;
  return "unknown";
}

/** The eight groups of an IPv6 address, each without leading zeros; null for anything else. */
function expandIpv6(address: string): string[] | null {
  if (!/^[0-9a-f:]+$/.test(address) || !address.includes(":")) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/** A pair of voters found to have near-identical ballots. */
export type CoVotingPair = { a: string; b: string };

/**
 * Pairs joined into groups: two voters are in one group when a chain of
 * near-identical pairs links them. Groups largest first; within a group,
 * voters in sorted order, so the output is stable.
 */
export function groupPairs(pairs: readonly CoVotingPair[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression: later finds on this chain take one step.
    let node = x;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const { a, b } of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const voter of parent.keys()) {
    const root = find(voter);
    groups.set(root, [...(groups.get(root) ?? []), voter]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((x, y) => y.length - x.length || (x[0]! < y[0]! ? -1 : 1));
}

/** How alike two voters' ballots must be to be called near-identical. */
export type LikenessRule = {
  /** Designs both scored, at least. */
  minCommon: number;
  /** Of the smaller ballot set, the share both scored. */
  minOverlap: number;
  /** Mean absolute score difference on the designs both scored, at most. */
  maxMeanDifference: number;
};

export const NEAR_IDENTICAL: LikenessRule = { minCommon: 5, minOverlap: 0.8, maxMeanDifference: 0.5 };

/** Whether a pair's comparison (common designs, their score differences, each voter's ballot count) is near-identical. */
export function isNearIdentical(
  comparison: { common: number; absDifferenceSum: number; ballotsA: number; ballotsB: number },
  rule: LikenessRule = NEAR_IDENTICAL,
): boolean {
  const { common, absDifferenceSum, ballotsA, ballotsB } = comparison;
  if (common < rule.minCommon) return false;
  if (common < rule.minOverlap * Math.min(ballotsA, ballotsB)) return false;
  return absDifferenceSum / common <= rule.maxMeanDifference;
}

/**
 * One design's ballots seen through voter weights: its plain mean, its
 * weighted mean, and how much of its ballots come from low-weight voters.
 */
export type WeightedDesign = {
  submissionId: string;
  ballots: number;
  lowWeightBallots: number;
  mean: number;
  weightedMean: number | null;
};

/**
 * Designs whose score leans on low-weight voters: at least `minShare` of
 * their ballots come from them, and their plain mean stands above the
 * weighted one (the low-weight ballots lift it). Largest lift first.
 */
export function leaningDesigns(
  designs: readonly WeightedDesign[],
  options: { minShare?: number; minBallots?: number; limit?: number } = {},
): (WeightedDesign & { lowWeightShare: number; lift: number })[] {
  const minShare = options.minShare ?? 0.5;
  const minBallots = options.minBallots ?? 3;
  return designs
    .filter((d) => d.ballots >= minBallots)
    .map((d) => ({
      ...d,
      lowWeightShare: d.lowWeightBallots / d.ballots,
      // With no weight at all behind it, the design's whole mean is lift.
      lift: d.mean - (d.weightedMean ?? 0),
    }))
    .filter((d) => d.lowWeightShare >= minShare && d.lift > 0)
    .sort(
      (x, y) => y.lift - x.lift || y.lowWeightShare - x.lowWeightShare || (x.submissionId < y.submissionId ? -1 : 1),
    )
    .slice(0, options.limit ?? 20);
}

/**
 * An hourly series from `from` to `to` (hours truncated), with zero for the
 * hours that have no row; at most `maxHours`, the latest ones.
 */
export function hourlySeries(
  rows: readonly { hour: Date; n: number }[],
  from: Date,
  to: Date,
  maxHours = 24 * 14,
): { hour: Date; n: number }[] {
  const HOUR = 3_600_000;
  const start = Math.floor(from.getTime() / HOUR) * HOUR;
  const end = Math.floor(to.getTime() / HOUR) * HOUR;
  if (end < start) return [];
  const first = Math.max(start, end - (maxHours - 1) * HOUR);
  const byHour = new Map(rows.map((r) => [Math.floor(r.hour.getTime() / HOUR) * HOUR, r.n]));
  const series: { hour: Date; n: number }[] = [];
  for (let t = first; t <= end; t += HOUR) series.push({ hour: new Date(t), n: byHour.get(t) ?? 0 });
  return series;
}
