/**
 * Recomputing a finalized round from what it published: the ballots CSV and
 * the results file (rule, parameters, ranks). Pure: `results:verify` feeds it
 * lines from a file, the site or the database, and the tests feed it strings.
 * Nothing here trusts the CSV's own weight column: weights are recomputed from
 * the ballots and then compared with it.
 */
import { BallotBook, rankByRule, type RankingRule } from "./ranking";

export type PublishedResults = {
  round: string;
  rule: RankingRule;
  minVotes: number;
  voterMinScored: number;
  winnersCount: number;
  priorMean: number;
  results: {
    rank: number;
    submissionId: string;
    createdAt: string;
    bayesianScore: number;
    ballots: number;
    winner: boolean;
  }[];
};

const COLUMNS = ["voter", "submission_id", "score", "would_buy", "voter_ballots_in_round", "counted"] as const;

/** Reads the ballots CSV a line at a time into a BallotBook, keeping each voter's published weight. */
export class BallotsCsvReader {
  readonly book = new BallotBook();
  readonly publishedWeight = new Map<string, number>();
  readonly problems: string[] = [];
  private index: Record<string, number> | undefined;
  private line = 0;

  push(text: string) {
    this.line += 1;
    if (text.trim() === "") return;
    const cells = text.trim().split(",");
    if (!this.index) {
      this.index = Object.fromEntries(cells.map((c, i) => [c, i]));
      for (const c of COLUMNS) if (!(c in this.index)) this.problems.push(`The CSV has no "${c}" column.`);
      return;
    }
    const cell = (name: string) => cells[this.index![name] ?? -1] ?? "";
    const score = Number(cell("score"));
    if (!Number.isInteger(score) || score < 0 || score > 5) {
      this.problems.push(`Line ${this.line}: "${cell("score")}" is not a score from 0 to 5.`);
      return;
    }
    const voter = cell("voter");
    this.book.add(voter, cell("submission_id"), score, cell("would_buy") === "1");
    const weight = cell("voter_weight");
    if (weight !== "" && !this.publishedWeight.has(voter)) this.publishedWeight.set(voter, Number(weight));
  }
}

export type DesignCheck = {
  submissionId: string;
  publishedRank: number;
  recomputedRank: number | null;
  publishedScore: number;
  recomputedScore: number | null;
  publishedWinner: boolean;
  recomputedWinner: boolean | null;
  matches: boolean;
};

export type Verification = {
  matches: boolean;
  designs: DesignCheck[];
  /** Voters whose weight in the CSV is not the one their ballots give. */
  weightMismatches: { voter: string; published: number; recomputed: number }[];
  problems: string[];
};

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

export function verifyRound(reader: BallotsCsvReader, published: PublishedResults): Verification {
  const problems = [...reader.problems];
  const entries = published.results.map((r) => ({ submissionId: r.submissionId, createdAt: new Date(r.createdAt) }));
  const { ranked, voters, priorMean } = rankByRule(entries, reader.book, {
    rule: published.rule,
    minVotes: published.minVotes,
    voterMinScored: published.voterMinScored,
    winnersCount: published.winnersCount,
  });
  if (!close(priorMean, published.priorMean))
    problems.push(`The round's prior mean is ${priorMean}, but ${published.priorMean} was published.`);
  const byId = new Map(ranked.map((r) => [r.submissionId, r]));
  const designs = published.results.map((p): DesignCheck => {
    const r = byId.get(p.submissionId);
    return {
      submissionId: p.submissionId,
      publishedRank: p.rank,
      recomputedRank: r?.rank ?? null,
      publishedScore: p.bayesianScore,
      recomputedScore: r?.bayesianScore ?? null,
      publishedWinner: p.winner,
      recomputedWinner: r?.winner ?? null,
      matches:
        !!r &&
        r.rank === p.rank &&
        r.winner === p.winner &&
        r.ballots === p.ballots &&
        close(r.bayesianScore, p.bayesianScore),
    };
  });
  const weightMismatches = [];
  if (published.rule.version !== 1 || reader.publishedWeight.size) {
    for (const v of voters) {
      const shown = reader.publishedWeight.get(v.voterId);
      if (shown === undefined || !close(shown, v.weight))
        weightMismatches.push({ voter: v.voterId, published: shown ?? NaN, recomputed: v.weight });
    }
  }
  return {
    matches: problems.length === 0 && weightMismatches.length === 0 && designs.every((d) => d.matches),
    designs,
    weightMismatches,
    problems,
  };
}

/** The report `results:verify` prints: one line per design, then the verdict. */
export function formatVerification(
  v: Verification,
  published: PublishedResults,
  options: { onlyMismatches?: boolean } = {},
) {
  const lines = [
    `Round ${published.round}: rule ${published.rule.version} ${JSON.stringify(published.rule)}, minimum votes ${published.minVotes}, voter minimum ${published.voterMinScored}, ${published.winnersCount} winners`,
  ];
  const fmt = (n: number | null) => (n === null ? "—" : n.toFixed(6));
  for (const d of v.designs) {
    if (options.onlyMismatches && d.matches) continue;
    lines.push(
      `${d.matches ? "ok      " : "MISMATCH"} ${d.submissionId}  rank ${d.publishedRank} → ${d.recomputedRank ?? "—"}  score ${fmt(d.publishedScore)} → ${fmt(d.recomputedScore)}${d.publishedWinner ? "  winner" : ""}${d.recomputedWinner !== null && d.recomputedWinner !== d.publishedWinner ? " (recomputed: " + (d.recomputedWinner ? "winner" : "not a winner") + ")" : ""}`,
    );
  }
  for (const w of v.weightMismatches.slice(0, 20))
    lines.push(`MISMATCH voter ${w.voter}: weight ${w.published} in the CSV, ${w.recomputed} from their ballots`);
  if (v.weightMismatches.length > 20) lines.push(`… and ${v.weightMismatches.length - 20} more voters`);
  for (const p of v.problems) lines.push(`PROBLEM  ${p}`);
  const bad = v.designs.filter((d) => !d.matches).length;
  lines.push(
    v.matches
      ? `MATCH: all ${v.designs.length} designs recompute to their published rank and score.`
      : `DOES NOT MATCH: ${bad} of ${v.designs.length} designs differ, ${v.weightMismatches.length} voter weights differ, ${v.problems.length} other problems.`,
  );
  return lines.join("\n");
}
