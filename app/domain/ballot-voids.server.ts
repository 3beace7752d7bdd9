import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { ballots, ballotVoids, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { recordAudit } from "./audit.server";
import { fail, ok, type Outcome } from "./outcome";
import { roundPhase } from "./round-phase";

/** At most this many accounts in one void (a co-voting group is far smaller). */
export const MAX_VOIDED_PER_DECISION = 200;

/**
 * The one condition that leaves voided ballots out: a ballot counts unless an
 * admin voided its voter in its round. Finalize, the ballots CSV and every
 * count shown add it to their reads of `ballots` (a probe of
 * `ballot_voids_round_voter`, usually empty). `voterVoided` is the condition
 * itself, for statements that name the round and voter their own way (an
 * alias, a parameter).
 */
export function voterVoided(roundId: SQL, voterId: SQL): SQL {
  return sql`exists (select 1 from ${ballotVoids} where ${ballotVoids.roundId} = ${roundId} and ${ballotVoids.voterId} = ${voterId})`;
}

/** The same condition for a read of `ballots` under its own name. */
export const notVoided = sql`not ${voterVoided(sql`${ballots.roundId}`, sql`${ballots.voterId}`)}`;

export type VoidReport = { accounts: number; ballots: number };

/**
 * An admin voids the ballots of some accounts in a round, with a reason:
 * during voting or after it closes, never once results are published (they
 * stand, as the royalties and products made from them do). Each account's
 * decision is audited. The round row is locked first, as finalize locks it,
 * so a void and a finalize cannot interleave: whichever comes second sees
 * the other's result. Ids that are not voters in this round are refused and
 * nothing is voided (`not_found` on the `voterIds` field; a `not_found`
 * without a field is the round itself); an account voided already is left
 * as it was.
 *
 * Each design's `ballot_count` (the vote queue's order) counts the ballots
 * that count (ADR 009), so the newly voided accounts' ballots leave it in the
 * same transaction, each once: an account voided already is not subtracted
 * again, and the ballot statement and Undo leave the count alone for a
 * voided voter. The round lock keeps ballots of this round from landing
 * while the void runs.
 */
export async function voidBallots(input: {
  roundId: string;
  voterIds: readonly string[];
  reason: string;
  adminId: string;
  now?: Date;
}): Promise<Outcome<VoidReport>> {
  const now = input.now ?? new Date();
  const voterIds = [...new Set(input.voterIds)];
  if (!voterIds.length) return fail("invalid", "Choose the accounts whose ballots to void.");
  if (voterIds.length > MAX_VOIDED_PER_DECISION)
    return fail("invalid", `Void at most ${MAX_VOIDED_PER_DECISION} accounts at a time.`);
  return db.transaction(async (tx) => {
    const [round] = await tx
      .select({
        submissionsOpenAt: rounds.submissionsOpenAt,
        votingOpensAt: rounds.votingOpensAt,
        votingClosesAt: rounds.votingClosesAt,
        finalizedAt: rounds.finalizedAt,
      })
      .from(rounds)
      .where(eq(rounds.id, input.roundId))
      .for("update");
    if (!round) return fail("not_found", "There is no such round.");
    const phase = roundPhase(round, now);
    if (phase === "finalized") return fail("conflict", "This round's results are published; its ballots stand.");
    if (phase !== "voting" && phase !== "closed")
      return fail("conflict", "Voting has not opened yet: there are no ballots to void.");
    const perVoter = await tx
      .select({ voterId: ballots.voterId, ballots: sql<number>`count(*)::int` })
      .from(ballots)
      .where(and(eq(ballots.roundId, input.roundId), inArray(ballots.voterId, voterIds)))
      .groupBy(ballots.voterId);
    if (perVoter.length !== voterIds.length)
      return fail("not_found", "Some of these accounts cast no ballot in this round; nothing was voided.", {
        field: "voterIds",
      });
    const inserted = await tx
      .insert(ballotVoids)
      .values(
        perVoter.map((v) => ({
          roundId: input.roundId,
          voterId: v.voterId,
          reason: input.reason,
          voidedById: input.adminId,
          ballotsAtVoid: v.ballots,
          createdAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ voterId: ballotVoids.voterId, ballots: ballotVoids.ballotsAtVoid });
    if (inserted.length) {
      const newlyVoided = inserted.map((v) => v.voterId);
      const lost = tx
        .select({ submissionId: ballots.submissionId, n: sql<number>`count(*)::int`.as("n") })
        .from(ballots)
        .where(and(eq(ballots.roundId, input.roundId), inArray(ballots.voterId, newlyVoided)))
        .groupBy(ballots.submissionId)
        .as("lost");
      await tx
        .update(submissions)
        .set({ ballotCount: sql`${submissions.ballotCount} - ${lost.n}` })
        .from(lost)
        .where(eq(submissions.id, lost.submissionId));
    }
    for (const v of inserted) {
      await recordAudit(tx, {
        actorId: input.adminId,
        action: "ballots.voided",
        subjectType: "user",
        subjectId: v.voterId,
        detail: { roundId: input.roundId, reason: input.reason, ballots: v.ballots },
      });
    }
    return ok({ accounts: inserted.length, ballots: inserted.reduce((n, v) => n + v.ballots, 0) });
  });
}

/** How many of a round's ballots are voided (a walk of the voided voters' ballots only). */
export async function voidedBallotCount(roundId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(ballots)
    .innerJoin(ballotVoids, and(eq(ballotVoids.roundId, ballots.roundId), eq(ballotVoids.voterId, ballots.voterId)))
    .where(eq(ballotVoids.roundId, roundId));
  return row?.n ?? 0;
}

/** The accounts voided in a round, oldest decision first (a short list: admins make each one by hand). */
export async function voidsInRound(roundId: string, limit = 500) {
  return db
    .select({
      voterId: ballotVoids.voterId,
      username: users.username,
      reason: ballotVoids.reason,
      ballots: ballotVoids.ballotsAtVoid,
      at: ballotVoids.createdAt,
    })
    .from(ballotVoids)
    .innerJoin(users, eq(users.id, ballotVoids.voterId))
    .where(eq(ballotVoids.roundId, roundId))
    .orderBy(asc(ballotVoids.createdAt), asc(ballotVoids.voterId))
    .limit(limit);
}

/**
 * What a void of these accounts would take, for the question asked first: each
 * account not yet voided in the round, with its username and its ballots there.
 * The form names at most MAX_VOIDED_PER_DECISION accounts, so this is a short read.
 */
export async function voidPreview(roundId: string, voterIds: string[]) {
  if (!voterIds.length) return [];
  return db
    .select({ username: users.username, ballots: sql<number>`count(${ballots.id})::int` })
    .from(users)
    .leftJoin(ballots, and(eq(ballots.voterId, users.id), eq(ballots.roundId, roundId)))
    .where(
      and(
        inArray(users.id, voterIds.slice(0, MAX_VOIDED_PER_DECISION)),
        sql`not ${voterVoided(sql`${roundId}::uuid`, sql`${users.id}`)}`,
      ),
    )
    .groupBy(users.id, users.username)
    .orderBy(sql`${users.username} collate "C"`);
}
