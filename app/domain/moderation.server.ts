import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { auditLog, nearDuplicates, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { publicArtwork, withPublicArtwork } from "~/lib/storage.server";
import { recordAudit } from "./audit.server";
import { notifyFollowersOfNewDesign } from "./follows.server";
import { notify } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";

const earlier = alias(submissions, "earlier");
const earlierDesigner = alias(users, "earlier_designer");

/** Pending submissions, oldest first, each with the earlier uploads it resembles. */
export async function moderationQueue() {
  const pending = await db
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
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .innerJoin(rounds, eq(rounds.id, submissions.roundId))
    .where(eq(submissions.status, "pending"))
    .orderBy(asc(submissions.createdAt));
  if (pending.length === 0) return [];
  const flags = await db
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
        pending.map((p) => p.id),
      ),
    )
    .orderBy(asc(nearDuplicates.distance));
  return pending.map((p) => ({
    ...withPublicArtwork(p),
    nearDuplicates: flags
      .filter((f) => f.submissionId === p.id)
      .map((f) => ({ ...f, earlierImages: publicArtwork(f.earlierImages) })),
  }));
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

export function rejectSubmission(submissionId: string, adminId: string, reason: string) {
  return decide(submissionId, adminId, "rejected", reason);
}

/** The latest moderation decisions, for the queue page. */
export async function recentDecisions(limit = 20) {
  return db
    .select({
      action: auditLog.action,
      subjectId: auditLog.subjectId,
      detail: auditLog.detail,
      createdAt: auditLog.createdAt,
      actor: users.username,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(inArray(auditLog.action, ["submission.approved", "submission.rejected"]))
    .orderBy(desc(auditLog.createdAt))
    .limit(limit);
}
