import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { auditLog, nearDuplicates, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { afterKey, pageOf, pageWithPlaces, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { publicArtwork, withPublicArtwork } from "~/lib/storage.server";
import { recordAudit } from "./audit.server";
import { notifyFollowersOfNewDesign } from "./follows.server";
import { notify } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage } from "./page";

const earlier = alias(submissions, "earlier");
const earlierDesigner = alias(users, "earlier_designer");

/** The queue's order: oldest first, ties on time broken by id (submissions_pending_idx). */
export const queueCursor = z.tuple([timestampKeyShape, z.uuid()]);

// Literals, not bind parameters, so every plan can use the partial indexes they name.
const isPending = sql`${submissions.status} = 'pending'`;
const isDecision = sql`${auditLog.action} in ('submission.approved', 'submission.rejected')`;

/**
 * Pending submissions, oldest first, a page at a time, each with the earlier
 * uploads it resembles (read for this page's rows only). Each row carries its
 * place, so a decision returns the moderator to the page they were on.
 */
export async function moderationQueue(options: { after?: z.output<typeof queueCursor>; size?: number } = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: submissions.id,
      title: submissions.title,
      description: submissions.description,
      tags: submissions.tags,
      images: submissions.images,
      artworkWidth: submissions.artworkWidth,
      artworkHeight: submissions.artworkHeight,
      createdAt: submissions.createdAt,
      designerUsername: users.username,
      roundTitle: rounds.title,
      roundSlug: rounds.slug,
      key: timestampKey(submissions.createdAt),
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .innerJoin(rounds, eq(rounds.id, submissions.roundId))
    .where(
      and(isPending, afterKey([submissions.createdAt, submissions.id], options.after, "asc", ["timestamptz", "uuid"])),
    )
    .orderBy(asc(submissions.createdAt), asc(submissions.id))
    .limit(size + 1);
  const page = pageWithPlaces(rows, size, (r) => [r.key, r.id], options.after);
  const flags = page.items.length
    ? await db
        .select({
          submissionId: nearDuplicates.submissionId,
          distance: nearDuplicates.distance,
          earlierId: earlier.id,
          earlierTitle: earlier.title,
          earlierStatus: earlier.status,
          earlierImages: earlier.images,
          earlierDesigner: earlierDesigner.username,
        })
        .from(nearDuplicates)
        .innerJoin(earlier, eq(earlier.id, nearDuplicates.earlierSubmissionId))
        .innerJoin(earlierDesigner, eq(earlierDesigner.id, earlier.designerId))
        .where(
          inArray(
            nearDuplicates.submissionId,
            page.items.map((p) => p.id),
          ),
        )
        .orderBy(asc(nearDuplicates.distance))
    : [];
  return mapPage(page, ({ key: _key, ...p }) => ({
    ...withPublicArtwork(p),
    nearDuplicates: flags
      .filter((f) => f.submissionId === p.id)
      .map((f) => ({ ...f, earlierImages: publicArtwork(f.earlierImages) })),
  }));
}

/** How many submissions wait for a decision (counted on the pending index). */
export async function pendingCount(): Promise<number> {
  const [row] = await db.select({ n: count() }).from(submissions).where(isPending);
  return row?.n ?? 0;
}

export type ModerationResult = Outcome;

async function decide(
  submissionId: string,
  adminId: string,
  decision: "approved" | "rejected",
  reason?: string,
): Promise<ModerationResult> {
  return db.transaction(async (tx) => {
    // Only a pending submission can be decided; two moderators at once cannot both decide it.
    const updated = await tx
      .update(submissions)
      .set({
        status: decision,
        rejectionReason: decision === "rejected" ? reason! : null,
        moderatedById: adminId,
        moderatedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(submissions.id, submissionId), eq(submissions.status, "pending")))
      .returning({ id: submissions.id, title: submissions.title, designerId: submissions.designerId });
    if (updated.length === 0) return fail("conflict", "That submission is no longer waiting for a decision.");
    if (decision === "approved") await notifyFollowersOfNewDesign(tx, submissionId);
    await notify(tx, {
      userId: updated[0]!.designerId,
      actorId: adminId,
      kind: decision === "approved" ? "submission_approved" : "submission_rejected",
      title:
        decision === "approved"
          ? `"${updated[0]!.title}" was approved and is in its round`
          : `"${updated[0]!.title}" was not accepted: ${reason}`,
      url: `/submissions/${submissionId}`,
    });
    await recordAudit(tx, {
      actorId: adminId,
      action: `submission.${decision}`,
      subjectType: "submission",
      subjectId: submissionId,
      detail: reason ? { reason, title: updated[0]!.title } : { title: updated[0]!.title },
    });
    return ok();
  });
}

export function approveSubmission(submissionId: string, adminId: string) {
  return decide(submissionId, adminId, "approved");
}

/** A submission still waiting for a decision, named as the reject question names it; null when none waits. */
export async function pendingForDecision(
  submissionId: string,
): Promise<Outcome<{ title: string; designer: string; roundTitle: string }>> {
  const [row] = await db
    .select({ title: submissions.title, designer: users.username, roundTitle: rounds.title })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .innerJoin(rounds, eq(rounds.id, submissions.roundId))
    .where(and(eq(submissions.id, submissionId), isPending))
    .limit(1);
  return row ? ok(row) : fail("conflict", "That submission is no longer waiting for a decision.");
}

export function rejectSubmission(submissionId: string, adminId: string, reason: string) {
  return decide(submissionId, adminId, "rejected", reason);
}

/** The decisions' order: newest first, ties on time broken by id (audit_log_decisions_idx). */
export const decisionCursor = z.tuple([timestampKeyShape, z.uuid()]);

/** Moderation decisions, newest first, a page at a time, for the queue page. */
export async function recentDecisions(options: { after?: z.output<typeof decisionCursor>; size?: number } = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      subjectId: auditLog.subjectId,
      detail: auditLog.detail,
      createdAt: auditLog.createdAt,
      actor: users.username,
      key: timestampKey(auditLog.createdAt),
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(isDecision, afterKey([auditLog.createdAt, auditLog.id], options.after, "desc", ["timestamptz", "uuid"])))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...decision }) => decision,
  );
}
