import { createHash, randomInt } from "node:crypto";
import { and, asc, count, eq, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { ballots, rateLimits, rounds, submissions, users, type ArtworkImages } from "#db/schema";
import { arrayLiteral, db, preparedStatement, queryRows } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { withPublicArtwork } from "~/lib/storage.server";
import { countBallotCast } from "~/lib/metrics.server";
import { afterKey, pageOf, PAGE_SIZE } from "~/lib/pagination.server";
import { notVoided, voterVoided } from "./ballot-voids.server";
import { fail, ok, type Failure, type Outcome } from "./outcome";
import { mapPage } from "./page";
import { PHASE_LABELS, roundPhase } from "./round-phase";

export type CastBallotResult = Outcome<{ roundSlug: string }>;

type BallotTarget = {
  status: string;
  designerId: string;
  roundSlug: string;
  submissionsOpenAt: Date;
  votingOpensAt: Date;
  votingClosesAt: Date;
  finalizedAt: Date | null;
  /** Null for a draft: no ballot lands in a round an admin has not published, whatever its dates. */
  publishedAt: Date | null;
};

/** Why a ballot may not be cast, in words for the voter; null when it may. */
export function ballotRefusal(target: BallotTarget | null, voterId: string, now: Date): Failure | null {
  if (!target) return fail("not_found", "That design does not exist.");
  if (target.designerId === voterId) return fail("forbidden", "You can't score your own design.");
  if (target.status !== "approved") {
    const why =
      target.status === "withdrawn"
        ? "its designer withdrew it"
        : target.status === "disqualified"
          ? "it was disqualified"
          : "it is not in the vote";
    return fail("conflict", `This design can't be scored: ${why}.`);
  }
  const phase = roundPhase(target, now);
  if (phase === "draft" || phase === "submissions")
    return fail("conflict", "Voting has not opened for this round yet.");
  if (phase !== "voting")
    return fail("conflict", `Voting for this round has ended (${PHASE_LABELS[phase].toLowerCase()}).`);
  return null;
}

const p = (name: string) => sql.placeholder(name);

/** See castBallot. Prepared once: every ballot runs this same statement. */
const castBallotStatement = preparedStatement<BallotTarget & { roundId: string; hits: number | null; written: number }>(
  "cast_ballot",
  sql`with target as (
        select s.status, s.designer_id, r.id as round_id, r.slug, r.submissions_open_at, r.voting_opens_at, r.voting_closes_at, r.finalized_at, r.published_at
        from ${submissions} s join ${rounds} r on r.id = s.round_id
        where s.id = ${p("submissionId")}::uuid
        for share of r
      ),
      allowed as (
        select round_id from target
        where status = 'approved' and designer_id <> ${p("voterId")}::uuid
          and finalized_at is null and published_at is not null
          and voting_opens_at <= ${p("at")}::timestamptz and voting_closes_at > ${p("at")}::timestamptz
      ),
      hit as (
        insert into ${rateLimits} (key, window_started_at, hits)
        select ${p("key")}::text, ${p("at")}::timestamptz, 1 from allowed
        on conflict (key) do update set
          hits = case when ${rateLimits.windowStartedAt} <= ${p("windowStart")}::timestamptz then 1 else ${rateLimits.hits} + 1 end,
          window_started_at = case when ${rateLimits.windowStartedAt} <= ${p("windowStart")}::timestamptz then ${p("at")}::timestamptz else ${rateLimits.windowStartedAt} end
        returning hits
      ),
      written as (
        insert into ${ballots} (round_id, submission_id, voter_id, score, would_buy, created_at, updated_at)
        select allowed.round_id, ${p("submissionId")}::uuid, ${p("voterId")}::uuid, ${p("score")}::int, ${p("wouldBuy")}::boolean, ${p("at")}::timestamptz, ${p("at")}::timestamptz
        from allowed, hit where hit.hits <= ${p("limit")}::int
        on conflict (submission_id, voter_id) do update set score = excluded.score, would_buy = excluded.would_buy, updated_at = excluded.updated_at
        -- A row the upsert inserted has no xmax yet; an updated one carries the lock the update took.
        returning (xmax = 0) as inserted
      ),
      counted as (
        -- Only a voter's first ballot for a design adds to its count; a changed score does not,
        -- nor does the ballot of a voter voided in this round (it does not count: ADR 009).
        update ${submissions} set ballot_count = ballot_count + 1
        where id = ${p("submissionId")}::uuid and exists (select 1 from written where inserted)
          and not ${voterVoided(sql`(select round_id from allowed)`, sql`${p("voterId")}::uuid`)}
      )
      select target.status, target.designer_id as "designerId", target.round_id as "roundId", target.slug as "roundSlug",
        target.submissions_open_at as "submissionsOpenAt", target.voting_opens_at as "votingOpensAt",
        target.voting_closes_at as "votingClosesAt", target.finalized_at as "finalizedAt", target.published_at as "publishedAt",
        (select hits from hit) as hits, (select count(*) from written)::int as written
      from target`,
);

/**
 * When a new account's scores start to count (its sign-up plus
 * VOTER_MIN_ACCOUNT_AGE_HOURS), or null when they count already. The vote
 * page says so before the first score; castBallot refuses until then.
 */
export function scoresCountFrom(voter: { createdAt: Date }, now = new Date()): Date | null {
  const from = new Date(voter.createdAt.getTime() + getEnv().VOTER_MIN_ACCOUNT_AGE_HOURS * 3_600_000);
  return from.getTime() > now.getTime() ? from : null;
}

/**
 * Records a member's score for a design, or changes it, in one round trip:
 * the statement reads the design and its round (sharing a lock on the round,
 * so a finalize in progress waits for it or it for the finalize), counts the
 * voter's rate limit, writes the ballot only if every rule holds at that
 * moment and, when it is the voter's first for that design, adds one to the
 * design's ballot count (the vote queue's order). The rules are checked again
 * here to say which one refused.
 */
export async function castBallot(input: {
  voter: { id: string; createdAt: Date };
  submissionId: string;
  score: number;
  wouldBuy: boolean;
  now?: Date;
}): Promise<CastBallotResult> {
  const now = input.now ?? new Date();
  const env = getEnv();
  if (scoresCountFrom(input.voter, now)) {
    return fail(
      "forbidden",
      `New accounts can vote ${env.VOTER_MIN_ACCOUNT_AGE_HOURS} hours after signing up. This keeps the vote fair; please come back soon.`,
    );
  }
  const [row] = await castBallotStatement({
    submissionId: input.submissionId,
    voterId: input.voter.id,
    score: input.score,
    wouldBuy: input.wouldBuy,
    at: now.toISOString(),
    windowStart: new Date(now.getTime() - 60_000).toISOString(),
    key: `ballots:${input.voter.id}`,
    limit: env.BALLOTS_PER_MINUTE,
  });
  const target = row ? normaliseDates(row) : null;
  const refusal = ballotRefusal(target, input.voter.id, now);
  if (refusal) return refusal;
  if (!row || row.written !== 1) {
    return fail(
      "rate_limited",
      `That is more than ${env.BALLOTS_PER_MINUTE} ballots a minute. Take a breath and try again shortly.`,
      { retryAfterSeconds: 60 },
    );
  }
  countBallotCast();
  return ok({ roundSlug: row.roundSlug });
}

/** Raw rows carry timestamps as Date (postgres.js, PGlite) or, in some setups, as strings. */
function normaliseDates<T extends BallotTarget>(row: T): T {
  const date = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
  return {
    ...row,
    submissionsOpenAt: date(row.submissionsOpenAt)!,
    votingOpensAt: date(row.votingOpensAt)!,
    votingClosesAt: date(row.votingClosesAt)!,
    finalizedAt: date(row.finalizedAt),
    publishedAt: date(row.publishedAt),
  };
}

/** Tie-breaks are drawn from [0, 2^31 - 1) by the column's default; a queue walk starts at a point drawn the same way. */
const TIE_BREAK_RANGE = 2_147_483_647;

/**
 * The query that picks the design a voter is shown next, as two index walks
 * over `submissions_vote_queue_idx` (round, ballot count, tie-break):
 * `lowest` is the first one in that order (so its count is the lowest this
 * voter can be given), `from_start` the first one with that count at or after
 * a random point in the tie-break order; when none is left after that point
 * the walk wraps around to `lowest`. Each walk skips the voter's own designs
 * and probes `ballots_one_per_voter` for the ones they scored, so it reads a
 * few index entries plus, at worst, one per design the voter already scored,
 * however many designs and ballots the round has.
 *
 * The `offset 0` keeps each "not scored" check a per-design probe: without it
 * the planner may turn it into an anti-join that reads the voter's ballots
 * through another index instead.
 */
export function voteQueueQuery(roundId: unknown, voterId: unknown, start: unknown, skipped: unknown) {
  const unscored = sql`not exists (select 1 from ${ballots} b where b.submission_id = s.id and b.voter_id = ${voterId}::uuid offset 0)`;
  // Designs the voter skipped a moment ago (a short list, often empty) are passed over like scored ones.
  const notSkipped = sql`s.id <> all(${skipped}::uuid[])`;
  return sql`with lowest as (
      select s.id, s.ballot_count from ${submissions} s
      where s.round_id = ${roundId}::uuid and s.status = 'approved' and s.designer_id <> ${voterId}::uuid and ${unscored}
        and ${notSkipped}
      order by s.ballot_count, s.tie_break
      limit 1
    ),
    from_start as (
      select s.id from ${submissions} s
      where s.round_id = ${roundId}::uuid and s.status = 'approved' and s.ballot_count = (select ballot_count from lowest)
        and s.tie_break >= ${start}::int and s.designer_id <> ${voterId}::uuid and ${unscored} and ${notSkipped}
      order by s.tie_break
      limit 1
    )
    select id, title, description, images from ${submissions}
    where id = coalesce((select id from from_start), (select id from lowest))`;
}

const nextForVoterStatement = preparedStatement<{
  id: string;
  title: string;
  description: string;
  images: ArtworkImages;
}>("next_for_voter", voteQueueQuery(p("roundId"), p("voterId"), p("start"), p("skipped")));

/**
 * Fair exposure: an approved design this member has not scored, among those
 * with the fewest ballots so far; ties are broken at random. Costs a few
 * index lookups whatever the round's size (see voteQueueQuery).
 *
 * `skipped` are designs the voter chose to skip: they are passed over while
 * another is left, and come back when none is (a skip is not a ballot, so it
 * changes no count).
 */
export async function nextForVoter(roundId: string, voterId: string, skipped: readonly string[] = []) {
  const pick = (skip: readonly string[]) =>
    nextForVoterStatement({ roundId, voterId, start: randomInt(TIE_BREAK_RANGE), skipped: arrayLiteral(skip) });
  let [next] = await pick(skipped);
  if (!next && skipped.length > 0) [next] = await pick([]);
  return next ? withPublicArtwork(next) : null;
}

/**
 * Whether `shown` is the last design this voter has left to score, so the
 * vote page offers no Skip (there is nothing to skip to). `progress` settles
 * it without a query while more than one design is left unscored (scored
 * ballots can only make its count smaller than the truth, never larger);
 * otherwise one walk of the queue with `shown` passed over looks for another.
 */
export async function isLastForVoter(
  roundId: string,
  voterId: string,
  shown: string,
  progress: { scored: number; eligible: number },
) {
  if (progress.eligible - progress.scored > 1) return false;
  const [other] = await nextForVoterStatement({
    roundId,
    voterId,
    start: 0,
    skipped: arrayLiteral([shown]),
  });
  return !other;
}

/**
 * The design `submissionId`, if this voter may still score it in this round
 * (approved, not theirs, not scored yet); null otherwise. The vote page keeps
 * a design on screen with it after a refused ballot or an undo.
 */
export async function designForVoter(roundId: string, voterId: string, submissionId: string) {
  const [design] = await db
    .select({
      id: submissions.id,
      title: submissions.title,
      description: submissions.description,
      images: submissions.images,
    })
    .from(submissions)
    .where(
      and(
        eq(submissions.id, submissionId),
        eq(submissions.roundId, roundId),
        eq(submissions.status, "approved"),
        ne(submissions.designerId, voterId),
        sql`not exists (select 1 from ${ballots} b where b.submission_id = ${submissions.id} and b.voter_id = ${voterId})`,
      ),
    )
    .limit(1);
  return design ? withPublicArtwork(design) : null;
}

/**
 * What the vote page confirms after a score: the design's title and the
 * ballot as stored. `undoable` is true for a first ballot (written once, never
 * changed: undoing it removes it); a changed score cannot be undone from here,
 * since the ballot does not keep the score it replaced.
 */
export async function ballotConfirmation(roundId: string, submissionId: string, voterId: string) {
  const [row] = await db
    .select({
      submissionId: ballots.submissionId,
      title: submissions.title,
      score: ballots.score,
      wouldBuy: ballots.wouldBuy,
      undoable: sql<boolean>`${ballots.createdAt} = ${ballots.updatedAt}`,
    })
    .from(ballots)
    .innerJoin(submissions, eq(submissions.id, ballots.submissionId))
    .where(and(eq(ballots.submissionId, submissionId), eq(ballots.voterId, voterId), eq(ballots.roundId, roundId)))
    .limit(1);
  return row ?? null;
}

export type UndoBallotResult = Outcome<{ roundSlug: string; title: string; score: number }>;

type UndoRow = BallotTarget & { title: string; removedScore: number | null };

/**
 * Takes back the voter's own ballot for a design while voting is open: one
 * statement deletes it and lowers the design's `ballot_count` with it (unless
 * the voter is voided, whose ballots left the count already), so the count
 * still equals the design's ballots that count (ADR 009). Like castBallot it
 * shares a lock on the round, so no ballot leaves after (or during) finalize.
 * Only the caller's own ballot can go: the delete is keyed by their id.
 */
export async function undoBallot(input: {
  voter: { id: string };
  submissionId: string;
  now?: Date;
}): Promise<UndoBallotResult> {
  const now = input.now ?? new Date();
  const [row] = await queryRows<UndoRow>(
    db,
    sql`with target as (
        select s.status, s.designer_id, s.title, r.id as round_id, r.slug, r.submissions_open_at, r.voting_opens_at, r.voting_closes_at, r.finalized_at, r.published_at
        from ${submissions} s join ${rounds} r on r.id = s.round_id
        where s.id = ${input.submissionId}::uuid
        for share of r
      ),
      removed as (
        delete from ${ballots} b using target
        where b.submission_id = ${input.submissionId}::uuid and b.voter_id = ${input.voter.id}::uuid
          and target.finalized_at is null and target.published_at is not null
          and target.voting_opens_at <= ${now.toISOString()}::timestamptz
          and target.voting_closes_at > ${now.toISOString()}::timestamptz
        returning b.score
      ),
      counted as (
        update ${submissions} set ballot_count = ballot_count - 1
        where id = ${input.submissionId}::uuid and exists (select 1 from removed)
          -- A voided voter's ballot left the count when it was voided.
          and not ${voterVoided(sql`(select round_id from target)`, sql`${input.voter.id}::uuid`)}
      )
      select target.status, target.designer_id as "designerId", target.title, target.slug as "roundSlug",
        target.submissions_open_at as "submissionsOpenAt", target.voting_opens_at as "votingOpensAt",
        target.voting_closes_at as "votingClosesAt", target.finalized_at as "finalizedAt", target.published_at as "publishedAt",
        (select score from removed) as "removedScore"
      from target`,
  );
  if (!row) return fail("not_found", "That design does not exist.");
  const target = normaliseDates(row);
  const phase = roundPhase(target, now);
  if (phase !== "voting")
    return fail(
      "conflict",
      phase === "draft" || phase === "submissions"
        ? "Voting has not opened for this round yet."
        : `Voting for this round has ended (${PHASE_LABELS[phase].toLowerCase()}): scores can no longer be taken back.`,
    );
  if (row.removedScore === null) return fail("not_found", "You have no score for this design to take back.");
  return ok({ roundSlug: row.roundSlug, title: row.title, score: row.removedScore });
}

const voterProgressStatement = preparedStatement<{ scored: number; eligible: number }>(
  "voter_progress",
  sql`select
      (select count(*)::int from ${ballots} where round_id = ${p("roundId")}::uuid and voter_id = ${p("voterId")}::uuid) as scored,
      (select count(*)::int from ${submissions}
        where round_id = ${p("roundId")}::uuid and status = 'approved' and designer_id <> ${p("voterId")}::uuid) as eligible`,
);

/**
 * How far a member has got in a round, in one round trip: their own ballots
 * in the round (through `ballots_round_voter_idx`, never the round's other
 * ballots) and the designs they may score.
 */
export async function voterProgress(roundId: string, voterId: string) {
  const [row] = await voterProgressStatement({ roundId, voterId });
  return { scored: row?.scored ?? 0, eligible: row?.eligible ?? 0 };
}

export async function findBallot(submissionId: string, voterId: string) {
  const [ballot] = await db
    .select({ score: ballots.score, wouldBuy: ballots.wouldBuy })
    .from(ballots)
    .where(and(eq(ballots.submissionId, submissionId), eq(ballots.voterId, voterId)))
    .limit(1);
  return ballot ?? null;
}

/** A gallery cursor during voting: the last design's tie-break and id. */
export const shuffleCursor = z.tuple([z.number().int().min(0).max(TIE_BREAK_RANGE), z.uuid()]);

/** Where a viewer's shuffle starts: a point in the tie-break order drawn from their id, the same every visit. */
export function shuffleStart(viewerId: string | null): number {
  const digest = createHash("sha256")
    .update(viewerId ?? "anonymous")
    .digest();
  return digest.readUInt32BE(0) % TIE_BREAK_RANGE;
}

/**
 * A round's approved designs in an order of this viewer's own, a page at a
 * time: the designs' random tie-break order (drawn once per design), started
 * at the viewer's own point and wrapped around, so no design always sits
 * first, each viewer sees the same order on every visit, and every page is
 * one walk of `submissions_gallery_idx` from the cursor (ADR 010).
 */
export async function galleryForViewer(
  roundId: string,
  viewerId: string | null,
  options: { after?: z.output<typeof shuffleCursor>; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const start = shuffleStart(viewerId);
  const walk = (range: SQL, after: SQL | undefined, limit: number) =>
    db
      .select({
        id: submissions.id,
        title: submissions.title,
        images: submissions.images,
        tags: submissions.tags,
        designerUsername: users.username,
        tieBreak: submissions.tieBreak,
      })
      .from(submissions)
      .innerJoin(users, eq(users.id, submissions.designerId))
      .where(and(eq(submissions.roundId, roundId), eq(submissions.status, "approved"), range, after))
      .orderBy(asc(submissions.tieBreak), asc(submissions.id))
      .limit(limit);
  const fromStart = sql`${submissions.tieBreak} >= ${start}`;
  const beforeStart = sql`${submissions.tieBreak} < ${start}`;
  const after = afterKey([submissions.tieBreak, submissions.id], options.after, "asc", ["int", "uuid"]);
  // The order is [start, end) then [0, start): a cursor in the second half only continues there.
  const inSecondHalf = options.after !== undefined && options.after[0] < start;
  let rows = await walk(inSecondHalf ? beforeStart : fromStart, after, size + 1);
  if (!inSecondHalf && rows.length <= size) {
    rows = rows.concat(await walk(beforeStart, undefined, size + 1 - rows.length));
  }
  return mapPage(
    pageOf(rows, size, (r) => [r.tieBreak, r.id]),
    ({ tieBreak: _tieBreak, ...card }) => withPublicArtwork(card),
  );
}

/** During voting a designer sees how many ballots each of their designs has, and nothing else. */
export async function ballotCountsForDesigner(designerId: string) {
  const rows = await db
    .select({ submissionId: ballots.submissionId, n: count() })
    .from(ballots)
    .innerJoin(submissions, eq(submissions.id, ballots.submissionId))
    .where(and(eq(submissions.designerId, designerId), notVoided))
    .groupBy(ballots.submissionId);
  return new Map(rows.map((r) => [r.submissionId, r.n]));
}
