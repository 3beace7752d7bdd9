import { and, eq, inArray, sql } from "drizzle-orm";
import { ballots, rounds, shareEvents, signupNetworks, submissions, users } from "#db/schema";
import { arrayLiteral, db, queryRows } from "~/lib/db.server";
import { notVoided, voterVoided } from "./ballot-voids.server";
import {
  BURST_MIN_SIGNUPS,
  LOW_WEIGHT,
  NEW_ACCOUNT_DAYS,
  groupPairs,
  hourlySeries,
  isNearIdentical,
  leaningDesigns,
  NEAR_IDENTICAL,
  type CoVotingPair,
  type LikenessRule,
} from "./integrity";
import { rankByRule } from "./ranking";
import { readBallotBook } from "./round-ballots.server";
import { roundPhase } from "./round-phase";

/**
 * The integrity view of a round, for admins, live during voting. Each part is
 * one aggregate the database computes over the round's ballots (at most a few
 * passes over 500,000 rows, see scripts/bench-integrity.ts); what comes back
 * is bounded: hours of the window, a few dozen groups, designs or networks.
 */

/** How far before voting opens sign-ups are looked at. */
const BURST_LOOKBACK_DAYS = 14;

export async function findRoundForIntegrity(roundId: string, now = new Date()) {
  const [round] = await db
    .select({
      id: rounds.id,
      slug: rounds.slug,
      title: rounds.title,
      submissionsOpenAt: rounds.submissionsOpenAt,
      votingOpensAt: rounds.votingOpensAt,
      votingClosesAt: rounds.votingClosesAt,
      finalizedAt: rounds.finalizedAt,
      voterMinScored: rounds.voterMinScored,
      minVotes: rounds.minVotes,
      winnersCount: rounds.winnersCount,
      rankingRule: rounds.rankingRule,
    })
    .from(rounds)
    .where(eq(rounds.id, roundId))
    .limit(1);
  return round ? { ...round, phase: roundPhase(round, now) } : null;
}
type IntegrityRound = NonNullable<Awaited<ReturnType<typeof findRoundForIntegrity>>>;

/** Counted ballots per hour of the voting window so far (first casts; a changed score keeps its hour). */
export async function ballotsPerHour(round: IntegrityRound, now = new Date()) {
  const rows = await queryRows<{ hour: Date | string; n: number }>(
    db,
    sql`select date_trunc('hour', ${ballots.createdAt}) as hour, count(*)::int as n
      from ${ballots} where ${ballots.roundId} = ${round.id} and ${notVoided}
      group by 1`,
  );
  const until = new Date(Math.min(now.getTime(), round.votingClosesAt.getTime() - 1));
  return hourlySeries(
    rows.map((r) => ({ hour: new Date(r.hour), n: Number(r.n) })),
    round.votingOpensAt,
    until,
  );
}

/**
 * How many counted ballots came from new accounts, and how many from accounts
 * that arrived through a share link less than 48 hours before (marked when
 * the ballot was cast, app/domain/share-links.server.ts).
 */
export async function ballotSources(roundId: string) {
  const [[totals], [shared]] = await Promise.all([
    queryRows<{ total: number; fromNew: number }>(
      db,
      sql`select count(*)::int as total,
          (count(*) filter (where ${ballots.createdAt} < ${users.createdAt} + make_interval(days => ${NEW_ACCOUNT_DAYS})))::int as "fromNew"
        from ${ballots} join ${users} on ${users.id} = ${ballots.voterId}
        where ${ballots.roundId} = ${roundId} and ${notVoided}`,
    ),
    queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${shareEvents}
        join ${ballots} on ${ballots.submissionId} = ${shareEvents.submissionId} and ${ballots.voterId} = ${shareEvents.voterId}
        where ${shareEvents.roundId} = ${roundId} and ${shareEvents.kind} = 'ballot' and ${shareEvents.recentArrival} and ${notVoided}`,
    ),
  ]);
  return { total: totals?.total ?? 0, fromNewAccounts: totals?.fromNew ?? 0, viaRecentShareLink: shared?.n ?? 0 };
}

/**
 * Eight min-hashes of each voter's set of (design, score) pairs: two voters
 * with the same ballots have the same eight, and voters whose sets mostly
 * agree share at least one band of two with high probability (Jaccard 0.8:
 * 98%). Hash i of a pair t is (t·A_i + B_i) mod (2^31 − 1), in bigint.
 */
const MINHASH = [
  [1_103_515_245, 12_345],
  [214_013, 2_531_011],
  [69_069, 1],
  [1_664_525, 1_013_904_223],
  [22_695_477, 1],
  [134_775_813, 1],
  [1_140_671_485, 12_820_163],
  [16_807, 0],
] as const;
const BANDS = 4;
/** Voters kept per bucket, and pairs compared in all: bounds the work whatever the round's size. */
const BUCKET_CAP = 60;
const PAIR_CAP = 3000;

/**
 * Groups of accounts with near-identical ballots (co-voting clusters), without
 * comparing every pair of voters: one pass over the round's ballots computes
 * each voter's min-hash signature (voters with fewer than `minCommon` ballots
 * cannot be near-identical and are left out), voters sharing a band of it
 * become candidates, and only candidates' ballots are compared, pair by pair,
 * with the likeness rule. Voided voters are left out: they are dealt with.
 */
export async function coVotingGroups(roundId: string, rule: LikenessRule = NEAR_IDENTICAL, limit = 20) {
  const hashes = MINHASH.map(
    ([a, b], i) =>
      sql`min((x.t * ${sql.raw(String(a))}::bigint + ${sql.raw(String(b))}) % 2147483647) as ${sql.raw(`m${i}`)}`,
  );
  const bands = Array.from(
    { length: BANDS },
    (_, i) =>
      sql`select voter_id, ${sql.raw(String(i))} as band, m${sql.raw(String(2 * i))}::text || ':' || m${sql.raw(String(2 * i + 1))}::text as key from signatures`,
  );
  const buckets = await queryRows<{ voters: string[] | string }>(
    db,
    sql`with designs as (
        select ${submissions.id} as id, ('x' || substr(md5(${submissions.id}::text), 1, 7))::bit(28)::int::bigint as h
        from ${submissions} where ${submissions.roundId} = ${roundId}
      ),
      signatures as (
        select x.voter_id, ${sql.join(hashes, sql`, `)}
        from (
          select ${ballots.voterId} as voter_id, designs.h * 8 + ${ballots.score} as t
          from ${ballots} join designs on designs.id = ${ballots.submissionId}
          where ${ballots.roundId} = ${roundId} and ${notVoided}
        ) x
        group by x.voter_id having count(*) >= ${rule.minCommon}
      ),
      banded as (${sql.join(bands, sql` union all `)})
      select (array_agg(voter_id order by voter_id))[1:${BUCKET_CAP}] as voters
      from banded group by band, key having count(*) >= 2
      order by count(*) desc limit ${PAIR_CAP}`,
  );
  const seen = new Set<string>();
  const candidates: CoVotingPair[] = [];
  const add = (a: string, b: string) => {
    const [x, y] = a < b ? [a, b] : [b, a];
    if (x === y || seen.has(`${x}|${y}`) || candidates.length >= PAIR_CAP) return;
    seen.add(`${x}|${y}`);
    candidates.push({ a: x, b: y });
  };
  for (const bucket of buckets) {
    const voters = parseUuidArray(bucket.voters);
    // Each voter against the bucket's first and against its neighbour: a stray in the bucket breaks no chain.
    for (let i = 1; i < voters.length; i++) {
      add(voters[0]!, voters[i]!);
      add(voters[i - 1]!, voters[i]!);
    }
  }
  if (!candidates.length) return [];
  const compared = await queryRows<{ a: string; b: string; common: number; diff: number; na: number; nb: number }>(
    db,
    sql`select p.a, p.b, c.common, c.diff,
        (select count(*)::int from ${ballots} where round_id = ${roundId} and voter_id = p.a) as na,
        (select count(*)::int from ${ballots} where round_id = ${roundId} and voter_id = p.b) as nb
      from unnest(${arrayLiteral(candidates.map((c) => c.a))}::uuid[], ${arrayLiteral(candidates.map((c) => c.b))}::uuid[]) as p(a, b)
      cross join lateral (
        select count(*)::int as common, coalesce(sum(abs(x.score - y.score)), 0)::int as diff
        from ${ballots} x join ${ballots} y on y.submission_id = x.submission_id and y.voter_id = p.b
        where x.round_id = ${roundId} and x.voter_id = p.a
      ) c`,
  );
  const pairs = compared.filter((c) =>
    isNearIdentical(
      { common: Number(c.common), absDifferenceSum: Number(c.diff), ballotsA: Number(c.na), ballotsB: Number(c.nb) },
      rule,
    ),
  );
  const groups = groupPairs(pairs).slice(0, limit);
  if (!groups.length) return [];
  const members = groups.flat();
  const accounts = await db
    .select({
      id: users.id,
      username: users.username,
      createdAt: users.createdAt,
      ballots: sql<number>`(select count(*)::int from ${ballots} b where b.round_id = ${roundId} and b.voter_id = "users"."id")`,
    })
    .from(users)
    .where(inArray(users.id, members));
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return groups.map((group) => ({ accounts: group.map((id) => byId.get(id)!).filter(Boolean) }));
}

function parseUuidArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, "")
    .split(",")
    .filter(Boolean);
}

/**
 * Hours in which one network produced `BURST_MIN_SIGNUPS` or more sign-ups,
 * from two weeks before voting opened to now, biggest first, with how many
 * of those accounts voted in this round. Networks are shown by the start of
 * their keyed hash: admins can tell them apart, nobody can read an address.
 */
export async function signupBursts(round: IntegrityRound, now = new Date(), limit = 20) {
  const from = new Date(round.votingOpensAt.getTime() - BURST_LOOKBACK_DAYS * 86_400_000);
  const to = new Date(Math.min(now.getTime(), round.votingClosesAt.getTime()));
  const rows = await queryRows<{
    network: string;
    hour: Date | string;
    signups: number;
    voted: number;
    usernames: string[] | string;
  }>(
    db,
    sql`select substr(sn.network_hash, 1, 12) as network, date_trunc('hour', sn.created_at) as hour,
        count(*)::int as signups,
        (count(*) filter (where exists (select 1 from ${ballots} b where b.round_id = ${round.id} and b.voter_id = sn.user_id)))::int as voted,
        (array_agg(u.username order by u.username))[1:20] as usernames
      from ${signupNetworks} sn join ${users} u on u.id = sn.user_id
      where sn.created_at >= ${from.toISOString()}::timestamptz and sn.created_at < ${to.toISOString()}::timestamptz
      group by sn.network_hash, date_trunc('hour', sn.created_at)
      having count(*) >= ${BURST_MIN_SIGNUPS}
      order by count(*) desc, 2 desc
      limit ${limit}`,
  );
  return rows.map((r) => ({
    network: r.network,
    hour: new Date(r.hour),
    signups: Number(r.signups),
    voted: Number(r.voted),
    usernames:
      typeof r.usernames === "string"
        ? r.usernames
            .replace(/^\{|\}$/g, "")
            .split(",")
            .filter(Boolean)
        : r.usernames,
  }));
}

/**
 * A weight per voter in a round, 0 to 1, from the published ranking rule.
 * The integrity view only needs this shape: whichever rule ranks the round
 * supplies it (see `voterWeightsForIntegrity`).
 */
export type VoterWeights = ReadonlyMap<string, number>;

/**
 * Each voter's weight as the round's own frozen ranking rule would give it if
 * voting closed now: the same ballots (voids left out) and the same pure
 * function as finalize and `results:verify`. Under rule 1 a voter weighs 1
 * once they scored `voterMinScored` designs, 0 before; under rule 2 it is
 * their agreement with everyone else. One keyset read of the round's ballots.
 */
export async function voterWeightsForIntegrity(
  round: Pick<IntegrityRound, "id" | "voterMinScored" | "minVotes" | "winnersCount" | "rankingRule">,
): Promise<VoterWeights> {
  const entries = await db
    .select({ submissionId: submissions.id, createdAt: submissions.createdAt })
    .from(submissions)
    .where(and(eq(submissions.roundId, round.id), eq(submissions.status, "approved")));
  const { voters } = rankByRule(entries, await readBallotBook(db, round.id), { ...round, rule: round.rankingRule });
  return new Map(voters.map((v) => [v.voterId, v.weight]));
}

/**
 * Designs whose score leans on low-weight voters: per design, its plain and
 * weighted mean and the share of its ballots from voters under `LOW_WEIGHT`,
 * computed by the database with the weights passed in as two arrays (one
 * pass over the round's ballots); the rule picking the designs is
 * `leaningDesigns`.
 */
export async function designsLeaningOnLowWeight(roundId: string, weights: VoterWeights, limit = 20) {
  const voters = [...weights.keys()];
  const rows = await queryRows<{
    submissionId: string;
    ballots: number;
    low: number;
    mean: number;
    weighted: number | null;
  }>(
    db,
    sql`with w as (select * from unnest(${arrayLiteral(voters)}::uuid[], ${arrayLiteral(voters.map((v) => weights.get(v)!))}::float8[]) as w(voter_id, weight))
      select b.submission_id as "submissionId", count(*)::int as ballots,
        (count(*) filter (where coalesce(w.weight, 0) < ${LOW_WEIGHT}))::int as low,
        avg(b.score)::float8 as mean,
        (sum(b.score * coalesce(w.weight, 0)) / nullif(sum(coalesce(w.weight, 0)), 0))::float8 as weighted
      from ${ballots} b left join w on w.voter_id = b.voter_id
      where b.round_id = ${roundId} and not ${voterVoided(sql`b.round_id`, sql`b.voter_id`)}
      group by b.submission_id`,
  );
  const leaning = leaningDesigns(
    rows.map((r) => ({
      submissionId: r.submissionId,
      ballots: Number(r.ballots),
      lowWeightBallots: Number(r.low),
      mean: Number(r.mean),
      weightedMean: r.weighted === null ? null : Number(r.weighted),
    })),
    { limit },
  );
  if (!leaning.length) return [];
  const titles = await db
    .select({ id: submissions.id, title: submissions.title })
    .from(submissions)
    .where(
      inArray(
        submissions.id,
        leaning.map((d) => d.submissionId),
      ),
    );
  const titleOf = new Map(titles.map((t) => [t.id, t.title]));
  return leaning.map((d) => ({ ...d, title: titleOf.get(d.submissionId) ?? "" }));
}
