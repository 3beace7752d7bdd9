import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterEach, describe, expect, it } from "vitest";
import { migrationsFolder } from "#db/client";
import { ballots, rounds, submissions, type ArtworkImages } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { deleteAccount } from "~/domain/account-deletion.server";
import { notVoided, voidBallots } from "~/domain/ballot-voids.server";
import { disqualifySubmission } from "~/domain/round-admin.server";
import { castBallot, nextForVoter, undoBallot, voteQueueQuery, voterProgress } from "~/domain/voting.server";
import { db, queryRows } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";

const OLD_ENOUGH = new Date(Date.now() - 3 * 24 * 3600 * 1000);

afterEach(() => {
  delete process.env.BALLOTS_PER_MINUTE;
  resetEnvCache();
});

/** A round in its voting phase with `entries` approved designs, one designer each (as the real pipeline makes them). */
async function votingRound(entries: number) {
  const round = await createRound({ phase: "submissions" });
  const admin = await createUser({ role: "admin" });
  const designers = await Promise.all(Array.from({ length: entries }, () => createUser({ createdAt: OLD_ENOUGH })));
  const ids: string[] = [];
  for (const [i, designer] of designers.entries()) {
    ids.push(
      await createSubmission({
        round,
        designerId: designer.id,
        seed: 500 + i,
        title: `Entry ${i}`,
        moderate: { adminId: admin.id, decision: "approved" },
      }),
    );
  }
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 60_000) })
    .where(eq(rounds.id, round.id));
  return { round, admin, designers, ids };
}

function voters(n: number) {
  return Promise.all(Array.from({ length: n }, () => createUser({ createdAt: OLD_ENOUGH })));
}

function allowManyBallots() {
  process.env.BALLOTS_PER_MINUTE = "1000";
  resetEnvCache();
}

/** Each design's stored count beside the number of its ballot rows that count (not voided: ADR 009). */
async function countsAndTruth(ids: string[]) {
  const rows = await queryRows<{ id: string; stored: number; real: number }>(
    db,
    sql`select s.id, s.ballot_count as stored,
          (select count(*)::int from ${ballots} where ${ballots.submissionId} = s.id and ${notVoided}) as real
        from ${submissions} s where s.id in ${ids}`,
  );
  return new Map(rows.map((r) => [r.id, { stored: r.stored, real: r.real }]));
}

describe("ballot counts", () => {
  it("stay right when 20 voters score the same designs at once, and do not move when they change their scores", async () => {
    allowManyBallots();
    const { ids } = await votingRound(4);
    const crowd = await voters(20);
    const everyBallot = (score: (v: number, d: number) => number) =>
      Promise.all(
        crowd.flatMap((voter, v) =>
          ids.map((submissionId, d) =>
            castBallot({ voter, submissionId, score: score(v, d), wouldBuy: (v + d) % 2 === 0 }),
          ),
        ),
      );

    const first = await everyBallot((v, d) => (v + d) % 6);
    expect(first.every((r) => r.ok)).toBe(true);
    for (const id of ids) expect((await countsAndTruth(ids)).get(id)).toEqual({ stored: 20, real: 20 });

    const changed = await everyBallot((v, d) => (v + d + 3) % 6);
    expect(changed.every((r) => r.ok)).toBe(true);
    const counts = await countsAndTruth(ids);
    for (const id of ids) expect(counts.get(id)).toEqual({ stored: 20, real: 20 });
    const [sample] = await db
      .select({ score: ballots.score })
      .from(ballots)
      .where(sql`${ballots.submissionId} = ${ids[1]} and ${ballots.voterId} = ${crowd[2]!.id}`);
    expect(sample?.score).toBe((2 + 1 + 3) % 6);
  });

  it("count one voter once when the same ballot arrives 30 times at once", async () => {
    allowManyBallots();
    const { ids } = await votingRound(1);
    const [voter] = await voters(1);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        castBallot({ voter: voter!, submissionId: ids[0]!, score: i % 6, wouldBuy: false }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await countsAndTruth(ids)).get(ids[0]!)).toEqual({ stored: 1, real: 1 });
  });

  it("do not move for a refused ballot", async () => {
    process.env.BALLOTS_PER_MINUTE = "1";
    resetEnvCache();
    const { ids, designers } = await votingRound(2);
    const [voter] = await voters(1);
    expect((await castBallot({ voter: voter!, submissionId: ids[0]!, score: 3, wouldBuy: false })).ok).toBe(true);
    const limited = await castBallot({ voter: voter!, submissionId: ids[1]!, score: 3, wouldBuy: false });
    expect(limited).toMatchObject({ ok: false, code: "rate_limited" });
    const own = await castBallot({ voter: designers[1]!, submissionId: ids[1]!, score: 5, wouldBuy: false });
    expect(own).toMatchObject({ ok: false, code: "forbidden" });
    const counts = await countsAndTruth(ids);
    expect(counts.get(ids[0]!)).toEqual({ stored: 1, real: 1 });
    expect(counts.get(ids[1]!)).toEqual({ stored: 0, real: 0 });
  });

  it("stay with a withdrawn or disqualified design, which leaves the queue and takes no more ballots", async () => {
    allowManyBallots();
    const { round, ids, designers, admin } = await votingRound(3);
    const crowd = await voters(3);
    for (const voter of crowd.slice(0, 2))
      expect((await castBallot({ voter, submissionId: ids[0]!, score: 4, wouldBuy: false })).ok).toBe(true);
    // Entry 0 now has the most ballots; entries 1 and 2 have none, so they would come first…
    expect((await disqualifySubmission(round.id, ids[1]!, admin.id, "Traced from a stock photo")).ok).toBe(true);
    // …but one is disqualified and the other withdrawn (during voting, deleting the account is what withdraws).
    expect((await deleteAccount(designers[2]!.id, designers[2]!.password)).ok).toBe(true);
    const voter = crowd[2]!;
    expect((await nextForVoter(round.id, voter.id))?.id).toBe(ids[0]);
    for (const gone of [ids[1]!, ids[2]!])
      expect(await castBallot({ voter, submissionId: gone, score: 5, wouldBuy: false })).toMatchObject({
        ok: false,
        code: "conflict",
      });
    expect((await castBallot({ voter, submissionId: ids[0]!, score: 5, wouldBuy: false })).ok).toBe(true);
    expect(await nextForVoter(round.id, voter.id)).toBeNull();
    expect(await voterProgress(round.id, voter.id)).toEqual({ scored: 1, eligible: 1 });
    const counts = await countsAndTruth(ids);
    expect(counts.get(ids[0]!)).toEqual({ stored: 3, real: 3 });
    expect(counts.get(ids[1]!)).toEqual({ stored: 0, real: 0 });
    expect(counts.get(ids[2]!)).toEqual({ stored: 0, real: 0 });
  });

  it("leave out voided ballots, each once: a void lowers them, and a voided voter's undo, re-cast or new ballot moves nothing", async () => {
    allowManyBallots();
    const { round, ids, admin } = await votingRound(3);
    const [ring0, ring1, honest, newcomer] = await voters(4);
    for (const voter of [ring0!, ring1!])
      for (const submissionId of [ids[0]!, ids[1]!])
        expect((await castBallot({ voter, submissionId, score: 5, wouldBuy: true })).ok).toBe(true);
    expect((await castBallot({ voter: honest!, submissionId: ids[2]!, score: 3, wouldBuy: false })).ok).toBe(true);
    const stored = async () => {
      const counts = await countsAndTruth(ids);
      for (const c of counts.values()) expect(c.stored).toBe(c.real);
      return ids.map((id) => counts.get(id)!.stored);
    };
    expect(await stored()).toEqual([2, 2, 1]);

    const voided = await voidBallots({
      roundId: round.id,
      voterIds: [ring0!.id, ring1!.id],
      reason: "ring",
      adminId: admin.id,
    });
    expect(voided).toMatchObject({ ok: true, value: { accounts: 2, ballots: 4 } });
    expect(await stored()).toEqual([0, 0, 1]);
    // The queue now serves the ring's designs first: they have no ballot that counts.
    expect([ids[0], ids[1]]).toContain((await nextForVoter(round.id, newcomer!.id))?.id);

    // Voided again: nothing is subtracted twice.
    expect(
      await voidBallots({ roundId: round.id, voterIds: [ring0!.id], reason: "ring again", adminId: admin.id }),
    ).toMatchObject({ ok: true, value: { accounts: 0 } });
    expect(await stored()).toEqual([0, 0, 1]);
    // A changed score, an undo, the ballot cast again and a first ballot on another design: the counts stay.
    expect((await castBallot({ voter: ring0!, submissionId: ids[0]!, score: 1, wouldBuy: false })).ok).toBe(true);
    expect((await undoBallot({ voter: ring0!, submissionId: ids[1]! })).ok).toBe(true);
    expect(await stored()).toEqual([0, 0, 1]);
    expect((await castBallot({ voter: ring0!, submissionId: ids[1]!, score: 5, wouldBuy: true })).ok).toBe(true);
    expect((await castBallot({ voter: ring1!, submissionId: ids[2]!, score: 5, wouldBuy: true })).ok).toBe(true);
    expect(await stored()).toEqual([0, 0, 1]);
    // An honest voter's ballots still count as before.
    expect((await castBallot({ voter: honest!, submissionId: ids[0]!, score: 2, wouldBuy: false })).ok).toBe(true);
    expect((await undoBallot({ voter: honest!, submissionId: ids[2]! })).ok).toBe(true);
    expect(await stored()).toEqual([1, 0, 0]);
  });

  it("are kept when a voter deletes their account: the ballots stay, anonymised, and so does the count", async () => {
    allowManyBallots();
    const { round, ids } = await votingRound(2);
    const leaving = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    expect((await castBallot({ voter: leaving.user, submissionId: ids[0]!, score: 4, wouldBuy: true })).ok).toBe(true);
    expect((await deleteAccount(leaving.user.id, leaving.user.password)).ok).toBe(true);
    expect((await countsAndTruth(ids)).get(ids[0]!)).toEqual({ stored: 1, real: 1 });
    // Entry 1 still has the fewest ballots.
    const [voter] = await voters(1);
    expect((await nextForVoter(round.id, voter!.id))?.id).toBe(ids[1]);
  });
});

describe("the vote queue", () => {
  it("serves every design a voter may score exactly once, never their own, then nothing", async () => {
    allowManyBallots();
    const { round, ids, designers } = await votingRound(6);
    // The voter is also a designer in this round: entry 3 is theirs.
    const voter = designers[3]!;
    const served: string[] = [];
    for (let next = await nextForVoter(round.id, voter.id); next; next = await nextForVoter(round.id, voter.id)) {
      expect(served).not.toContain(next.id);
      served.push(next.id);
      expect((await castBallot({ voter, submissionId: next.id, score: 3, wouldBuy: false })).ok).toBe(true);
      if (served.length > ids.length) break;
    }
    expect(served.sort()).toEqual(ids.filter((_, i) => i !== 3).sort());
    expect(await voterProgress(round.id, voter.id)).toEqual({ scored: 5, eligible: 5 });
  });

  it("keeps exposure balanced: after 40 ballots on 8 designs, max/min ballots ≤ 1.5", async () => {
    allowManyBallots();
    const { round, ids } = await votingRound(8);
    const crowd = await voters(10);
    for (let pass = 0; pass < 4; pass++) {
      for (const voter of crowd) {
        const next = await nextForVoter(round.id, voter.id);
        expect(next).not.toBeNull();
        expect((await castBallot({ voter, submissionId: next!.id, score: pass, wouldBuy: false })).ok).toBe(true);
      }
    }
    const counts = [...(await countsAndTruth(ids)).values()];
    expect(counts.every((c) => c.stored === c.real)).toBe(true);
    const stored = counts.map((c) => c.stored);
    expect(stored.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...stored) / Math.min(...stored)).toBeLessThanOrEqual(1.5);
  });

  it("breaks ties at random instead of always serving the same design", async () => {
    const { round, ids } = await votingRound(6);
    const [voter] = await voters(1);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add((await nextForVoter(round.id, voter!.id))!.id);
    expect(seen.size).toBeGreaterThan(1);
    for (const id of seen) expect(ids).toContain(id);
  });
});

const IMAGES: ArtworkImages = {
  master: "private/bench/master.png",
  preview: { webp: "public/bench/preview.webp", width: 1200, height: 1200 },
  thumb: { webp: "public/bench/thumb.webp", width: 400, height: 400 },
  mockups: { tee: "public/bench/tee.webp", poster: "public/bench/poster.webp" },
  share: "public/bench/share.png",
};

type ExplainRow = { "QUERY PLAN": [{ Plan: PlanNode }] };

/** EXPLAIN ANALYZE of the queue query as a prepared statement forced onto its generic plan. */
async function explainGeneric(values: { roundId: string; voterId: string; start: number; skipped: string }) {
  const query = new PgDialect().sqlToQuery(
    voteQueueQuery(
      sql.placeholder("roundId"),
      sql.placeholder("voterId"),
      sql.placeholder("start"),
      sql.placeholder("skipped"),
    ),
  );
  // Our own uuids, an integer and an array literal of our uuids: safe to inline as literals.
  const args = query.params.map((param) => `'${values[(param as { name: keyof typeof values }).name]}'`).join(", ");
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw("set local plan_cache_mode = force_generic_plan"));
    await tx.execute(sql.raw(`prepare vote_queue_generic as ${query.sql}`));
    const [row] = await queryRows<ExplainRow>(
      tx,
      sql.raw(`explain (analyze, format json) execute vote_queue_generic(${args})`),
    );
    await tx.execute(sql.raw("deallocate vote_queue_generic"));
    return row;
  });
}

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe("the queue query's plan", () => {
  it("walks the queue index and probes the voter's ballots, never scanning the round's ballots", async () => {
    const DESIGNS = 1_500;
    const VOTERS = 200;
    const round = await createRound({ phase: "voting" });
    const [voter] = await voters(1);
    await db.execute(sql`insert into users (email, username, password_hash)
      select 'crowd' || g || '@example.test', 'crowd' || g, '!' from generate_series(1, ${VOTERS}) g`);
    // 500 designers with three designs each, as in a real round (the planner's estimates depend on it).
    await db.execute(sql`insert into users (email, username, password_hash)
      select 'maker' || g || '@example.test', 'maker' || g, '!' from generate_series(1, ${DESIGNS / 3}) g`);
    await db.execute(sql`insert into ${submissions} (round_id, designer_id, title, status, images, artwork_width, artwork_height, perceptual_hash)
      select ${round.id}, maker.id, 'Seeded ' || g, 'approved', ${JSON.stringify(IMAGES)}::jsonb, 1400, 1400, lpad(to_hex(g), 16, '0')
      from generate_series(1, ${DESIGNS}) g
      join (select id, row_number() over (order by id) as n from users where username like 'maker%') maker on maker.n = g % ${DESIGNS / 3} + 1`);
    // The crowd puts 10 ballots on every design but the first 60 (by tie-break), which get 2…
    await db.execute(sql`insert into ${ballots} (round_id, submission_id, voter_id, score)
      select ${round.id}, s.id, u.id, 3
      from (select id, row_number() over (order by tie_break) as n from ${submissions} where round_id = ${round.id}) s
      join (select id, row_number() over (order by id) as n from users where username like 'crowd%') u
        on u.n <= case when s.n <= 60 then 2 else 10 end`);
    // …and the voter scored exactly those 60, so the queue must walk past all of them before it finds one to serve.
    await db.execute(sql`insert into ${ballots} (round_id, submission_id, voter_id, score)
      select ${round.id}, s.id, ${voter!.id}, 4
      from (select id from ${submissions} where round_id = ${round.id} order by tie_break limit 60) s`);
    await db.execute(sql`update ${submissions} set ballot_count = counted.n
      from (select submission_id, count(*)::int as n from ${ballots} group by submission_id) counted
      where counted.submission_id = ${submissions.id}`);
    await db.execute(sql`analyze ${ballots}`);
    await db.execute(sql`analyze ${submissions}`);
    const [{ roundBallots } = { roundBallots: 0 }] = await queryRows<{ roundBallots: number }>(
      db,
      sql`select count(*)::int as "roundBallots" from ${ballots} where round_id = ${round.id}`,
    );
    expect(roundBallots).toBe(60 * 3 + (DESIGNS - 60) * 10);

    // Both plans PostgreSQL may use: the one made for these values, and the generic one a prepared statement
    // (as nextForVoter runs it) switches to after a few runs.
    for (const [start, generic] of [
      [0, false],
      [1_000_000_000, false],
      [2_147_483_646, false],
      [0, true],
      [2_147_483_646, true],
    ] as const) {
      const explained = generic
        ? await explainGeneric({ roundId: round.id, voterId: voter!.id, start, skipped: "{}" })
        : (
            await queryRows<ExplainRow>(
              db,
              sql`explain (analyze, format json) ${voteQueueQuery(round.id, voter!.id, start, "{}")}`,
            )
          )[0];
      const nodes = planNodes(explained!["QUERY PLAN"][0].Plan);
      const onBallots = nodes.filter((n) => n["Relation Name"] === "ballots");
      expect(onBallots.length).toBeGreaterThan(0);
      for (const node of onBallots) {
        expect(node["Node Type"]).toMatch(/^Index (Only )?Scan$/);
        expect(node["Index Name"]).toBe("ballots_one_per_voter");
      }
      // One probe per design walked past: the 60 the voter scored, plus the one served (twice at most: two walks).
      // (EXPLAIN gives rows per loop, rounded, so rows × loops may overstate by the loops' rounding.)
      const ballotRowsRead = onBallots.reduce((n, b) => n + b["Actual Rows"]! * b["Actual Loops"]!, 0);
      const probes = onBallots.reduce((n, b) => n + b["Actual Loops"]!, 0);
      expect(ballotRowsRead).toBeLessThanOrEqual(60 + 2);
      expect(probes).toBeLessThanOrEqual(60 + 2);
      // The queue index, or, for a start point near the end of the tie-break range, the gallery index
      // (round, tie-break) over that short range: either way an index walk, counted below.
      for (const node of nodes.filter((n) => n["Relation Name"] === "submissions"))
        expect(node["Index Name"]).toMatch(/^submissions_(vote_queue_idx|gallery_idx|pkey)$/);
      const queueEntries = nodes
        .filter(
          (n) => n["Index Name"] === "submissions_vote_queue_idx" || n["Index Name"] === "submissions_gallery_idx",
        )
        .reduce((n, s) => n + s["Actual Rows"]! * s["Actual Loops"]! + (s["Rows Removed by Filter"] ?? 0), 0);
      expect(queueEntries).toBeLessThanOrEqual(60 + 2);
    }

    // The design served has the fewest ballots among those the voter has not scored.
    const next = await nextForVoter(round.id, voter!.id);
    const [served] = await db
      .select({ ballotCount: submissions.ballotCount })
      .from(submissions)
      .where(eq(submissions.id, next!.id));
    expect(served?.ballotCount).toBe(10);
    expect(await voterProgress(round.id, voter!.id)).toEqual({ scored: 60, eligible: DESIGNS });
  });
});

describe("migration 0012_vote_queue", () => {
  it("backfills each design's count from the ballots it already has", async () => {
    const round = await createRound({ phase: "voting" });
    const crowd = await voters(4);
    await db.execute(sql`insert into ${submissions} (round_id, designer_id, title, status, images, artwork_width, artwork_height, perceptual_hash)
      select ${round.id}, ${crowd[0]!.id}, 'Before ' || g, 'approved', ${JSON.stringify(IMAGES)}::jsonb, 1400, 1400, lpad(to_hex(g), 16, '0')
      from generate_series(1, 3) g`);
    const ids = (
      await db.select({ id: submissions.id }).from(submissions).where(eq(submissions.roundId, round.id))
    ).map((r) => r.id);
    // Ballots from before the migration: rows only, no counts (3, 1 and 0 ballots).
    for (const [i, n] of [3, 1, 0].entries())
      for (const voter of crowd.slice(1, 1 + n))
        await db.insert(ballots).values({ roundId: round.id, submissionId: ids[i]!, voterId: voter.id, score: 2 });
    const statements = readFileSync(path.join(migrationsFolder, "0012_vote_queue.sql"), "utf8").split(
      "--> statement-breakpoint",
    );
    const backfill = statements.find((s) => s.includes('UPDATE "submissions" SET "ballot_count"'));
    expect(backfill).toBeDefined();
    await db.execute(sql.raw(backfill!));
    const counts = await countsAndTruth(ids);
    expect(ids.map((id) => counts.get(id))).toEqual([
      { stored: 3, real: 3 },
      { stored: 1, real: 1 },
      { stored: 0, real: 0 },
    ]);
  });
});
