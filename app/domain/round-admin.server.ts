import { and, desc, eq } from "drizzle-orm";
import { auditLog, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { isUniqueViolation } from "~/lib/db-errors.server";
import { recordAudit } from "./audit.server";
import { tellSupportersOfRound } from "./proposal-notices.server";
import { fail, ok, type Outcome } from "./outcome";
import { CURRENT_RANKING_RULE } from "./ranking";
import { roundPhase } from "./round-phase";
import type { RoundFormValue } from "./round-forms";

/** The value is the round's id (the round a disqualified design was in). */
export type RoundChange = Outcome<{ id: string }>;

function columnsFrom(value: RoundFormValue) {
  return {
    title: value.title,
    slug: value.slug,
    brief: value.brief,
    submissionsOpenAt: value.submissionsOpenAt,
    votingOpensAt: value.votingOpensAt,
    votingClosesAt: value.votingClosesAt,
    maxSubmissionsPerDesigner: value.maxSubmissionsPerDesigner,
    minArtworkWidth: value.minArtworkWidth,
    minArtworkHeight: value.minArtworkHeight,
    autoApprove: value.autoApprove,
    winnersCount: value.winnersCount,
    minVotes: value.minVotes,
    voterMinScored: value.voterMinScored,
    // A draft takes the current ranking rule whenever it is saved; it freezes when submissions open.
    rankingRule: CURRENT_RANKING_RULE,
    prizeCents: value.prize,
    royaltyBps: value.royaltyPercent,
    productTypes: [
      ...(value.offerTee ? [{ type: "tee" as const, basePriceCents: value.teePrice! }] : []),
      ...(value.offerPoster ? [{ type: "poster" as const, basePriceCents: value.posterPrice! }] : []),
    ],
  };
}

const slugTaken = () => fail("conflict", "Another round already uses this address", { field: "slug" });
const NO_ROUND = "There is no such round.";

/** A new round, kept as a draft only admins see unless `publish` says to show it at once. */
export async function createRound(
  value: RoundFormValue,
  adminId: string,
  options: { publish?: boolean } = {},
): Promise<RoundChange> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(rounds)
        .values({ ...columnsFrom(value), createdById: adminId, publishedAt: options.publish ? new Date() : null })
        .returning({ id: rounds.id });
      await recordAudit(tx, {
        actorId: adminId,
        action: "round.created",
        subjectType: "round",
        subjectId: row!.id,
        detail: { title: value.title },
      });
      return ok({ id: row!.id });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return slugTaken();
    throw error;
  }
}

/**
 * Everything can change while a round is a draft; once it is published (or,
 * for rounds from before drafts, once submissions open) the rules designers
 * read are frozen.
 */
export async function updateDraftRound(
  roundId: string,
  value: RoundFormValue,
  adminId: string,
  now = new Date(),
): Promise<RoundChange> {
  try {
    return await db.transaction(async (tx) => {
      const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
      if (!round) return fail("not_found", NO_ROUND);
      if (roundPhase(round, now) !== "draft") {
        return fail("conflict", "Submissions have opened, so the rules are frozen. Only the schedule can be extended.");
      }
      if (round.publishedAt) {
        return fail("conflict", "The round is published, so its rules are frozen. Only the schedule can be extended.");
      }
      await tx.update(rounds).set(columnsFrom(value)).where(eq(rounds.id, roundId));
      await recordAudit(tx, {
        actorId: adminId,
        action: "round.edited",
        subjectType: "round",
        subjectId: roundId,
        detail: { title: value.title },
      });
      return ok({ id: roundId });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return slugTaken();
    throw error;
  }
}

export type ScheduleChange =
  { change: "extend-submissions"; until: Date } | { change: "extend-voting"; until: Date } | { change: "end-voting" };

/**
 * The only changes allowed once a round is open: more time for submissions,
 * more time for voting, or voting ended now. Each is audited and shown on
 * the round's page.
 */
export async function changeSchedule(
  roundId: string,
  change: ScheduleChange,
  adminId: string,
  now = new Date(),
): Promise<RoundChange> {
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
    if (!round) return fail("not_found", NO_ROUND);
    const phase = roundPhase(round, now);
    const refuse = (message: string) => fail("conflict", message);
    let set: Partial<typeof rounds.$inferInsert>;
    let from: Date;
    let to: Date;
    if (change.change === "extend-submissions") {
      if (phase !== "submissions") return refuse("Submissions can only be extended while they are open.");
      if (change.until <= round.votingOpensAt)
        return refuse("The new date must be later than the current one; windows can only be extended.");
      if (change.until >= round.votingClosesAt)
        return refuse("Voting must still close after it opens: extend voting first.");
      [set, from, to] = [{ votingOpensAt: change.until }, round.votingOpensAt, change.until];
    } else if (change.change === "extend-voting") {
      if (phase !== "submissions" && phase !== "voting")
        return refuse("Voting can only be extended before it has closed.");
      if (change.until <= round.votingClosesAt)
        return refuse("The new date must be later than the current one; windows can only be extended.");
      [set, from, to] = [{ votingClosesAt: change.until }, round.votingClosesAt, change.until];
    } else {
      if (phase !== "voting") return refuse("Voting can only be ended early while it is open.");
      [set, from, to] = [{ votingClosesAt: now }, round.votingClosesAt, now];
    }
    await tx.update(rounds).set(set).where(eq(rounds.id, roundId));
    await recordAudit(tx, {
      actorId: adminId,
      action: "round.schedule_changed",
      subjectType: "round",
      subjectId: roundId,
      detail: { change: change.change, from: from.toISOString(), to: to.toISOString() },
    });
    return ok({ id: roundId });
  });
}

export async function scheduleChanges(roundId: string) {
  const rows = await db
    .select({ detail: auditLog.detail, createdAt: auditLog.createdAt, actor: users.username })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        eq(auditLog.subjectType, "round"),
        eq(auditLog.subjectId, roundId),
        eq(auditLog.action, "round.schedule_changed"),
      ),
    )
    .orderBy(desc(auditLog.createdAt));
  return rows.map((r) => ({
    change: String(r.detail.change) as ScheduleChange["change"],
    from: new Date(String(r.detail.from)),
    to: new Date(String(r.detail.to)),
    at: r.createdAt,
    by: r.actor,
  }));
}

/** A design of this round as the disqualify question names it; null when the round has no such design. */
export async function findEntryForAdmin(roundId: string, submissionId: string) {
  const [entry] = await db
    .select({ id: submissions.id, title: submissions.title, designer: users.username })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(and(eq(submissions.id, submissionId), eq(submissions.roundId, roundId)))
    .limit(1);
  return entry ?? null;
}

/** Takes an approved design out of the running before finalize, with a reason the designer sees. */
export async function disqualifySubmission(
  roundId: string,
  submissionId: string,
  adminId: string,
  reason: string,
): Promise<RoundChange> {
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({
        status: submissions.status,
        roundId: submissions.roundId,
        finalizedAt: rounds.finalizedAt,
        title: submissions.title,
      })
      .from(submissions)
      .innerJoin(rounds, eq(rounds.id, submissions.roundId))
      .where(eq(submissions.id, submissionId))
      .for("update", { of: rounds });
    // A design of another round is not this round's to disqualify, whatever the form says.
    if (!target || target.roundId !== roundId) return fail("not_found", "There is no such design in this round.");
    if (target.finalizedAt) return fail("conflict", "The round is finalized; its results stand.");
    if (target.status !== "approved") return fail("conflict", "Only an approved design can be disqualified.");
    await tx
      .update(submissions)
      .set({
        status: "disqualified",
        rejectionReason: reason,
        moderatedById: adminId,
        moderatedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(submissions.id, submissionId));
    await recordAudit(tx, {
      actorId: adminId,
      action: "submission.disqualified",
      subjectType: "submission",
      subjectId: submissionId,
      detail: { reason, title: target.title },
    });
    return ok({ id: target.roundId });
  });
}

export async function listRoundsForAdmin(now = new Date()) {
  const rows = await db.select().from(rounds).orderBy(desc(rounds.submissionsOpenAt));
  return rows.map((r) => ({ ...r, phase: roundPhase(r, now) }));
}

/** `roundId` is a uuid already (the route parses it with idParam). */
export async function findRoundForAdmin(roundId: string, now = new Date()) {
  const [row] = await db.select().from(rounds).where(eq(rounds.id, roundId)).limit(1);
  return row ? { ...row, phase: roundPhase(row, now) } : null;
}

/**
 * Shows a draft round to everyone. One-way: from here its rules are frozen,
 * as opening submissions froze them before drafts existed. The supporters of
 * the proposal it came from hear that it is a round now.
 */
export async function publishRound(roundId: string, adminId: string, now = new Date()): Promise<RoundChange> {
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
    if (!round) return fail("not_found", NO_ROUND);
    if (round.publishedAt) return fail("conflict", "The round is already published.");
    if (round.votingOpensAt.getTime() <= now.getTime())
      return fail("conflict", "Voting would already be open: move the dates later before publishing.");
    const submissionsOpen = round.submissionsOpenAt.getTime() <= now.getTime();
    await tx
      .update(rounds)
      .set({ publishedAt: now, ...(submissionsOpen ? { submissionsOpenedNotifiedAt: now } : {}) })
      .where(eq(rounds.id, roundId));
    await recordAudit(tx, {
      actorId: adminId,
      action: "round.published",
      subjectType: "round",
      subjectId: roundId,
      detail: { title: round.title },
    });
    if (round.proposalId) await tellSupportersOfRound(tx, round, submissionsOpen ? "open" : "published");
    return ok({ id: roundId });
  });
}
