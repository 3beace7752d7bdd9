import { and, asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import { comments, proposals, reports, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { afterKey, pageWithPlaces, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { getEnv } from "~/lib/env.server";
import { hitRateLimit } from "~/lib/rate-limit.server";
import { recordAudit } from "./audit.server";
import type { ReportReason } from "./report-reasons";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage } from "./page";

export const REPORT_SUBJECTS = ["submission", "comment", "user", "proposal"] as const;
export type ReportSubject = (typeof REPORT_SUBJECTS)[number];

const SUBJECT_TABLES = { submission: submissions, comment: comments, user: users, proposal: proposals };

async function subjectExists(type: ReportSubject, id: string): Promise<boolean> {
  const table = SUBJECT_TABLES[type];
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.id, id)).limit(1);
  return Boolean(row);
}

/** Files a report for the moderators; a member may file only so many an hour. */
export async function fileReport(input: {
  reporterId: string;
  subjectType: ReportSubject;
  subjectId: string;
  reason: ReportReason;
  note: string;
}): Promise<Outcome> {
  if (!(await subjectExists(input.subjectType, input.subjectId)))
    return fail("not_found", "There is nothing to report at that address.");
  const limit = await hitRateLimit(`reports:${input.reporterId}`, {
    limit: getEnv().REPORTS_PER_HOUR,
    windowSeconds: 3600,
  });
  if (!limit.allowed)
    return fail(
      "rate_limited",
      "You have sent many reports in the last hour. Thank you; please wait a little before sending more.",
      { retryAfterSeconds: limit.retryAfterSeconds },
    );
  await db.insert(reports).values(input);
  return ok();
}

/** Open reports' order: oldest first, ties on time broken by id (reports_status_idx). */
export const reportCursor = z.tuple([timestampKeyShape, z.uuid()]);

/** Open reports, oldest first, a page at a time; each carries its place, so closing one returns to its page. */
export async function openReports(options: { after?: z.output<typeof reportCursor>; size?: number } = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: reports.id,
      subjectType: reports.subjectType,
      subjectId: reports.subjectId,
      reason: reports.reason,
      note: reports.note,
      createdAt: reports.createdAt,
      reporter: users.username,
      key: timestampKey(reports.createdAt),
    })
    .from(reports)
    .leftJoin(users, eq(users.id, reports.reporterId))
    .where(
      and(
        eq(reports.status, "open"),
        afterKey([reports.createdAt, reports.id], options.after, "asc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(asc(reports.createdAt), asc(reports.id))
    .limit(size + 1);
  return mapPage(
    pageWithPlaces(rows, size, (r) => [r.key, r.id], options.after),
    ({ key: _key, ...report }) => report,
  );
}

/** How many reports are open. */
export async function openReportCount(): Promise<number> {
  const [row] = await db.select({ n: count() }).from(reports).where(eq(reports.status, "open"));
  return row?.n ?? 0;
}

export async function closeReport(
  reportId: string,
  adminId: string,
  outcome: "resolved" | "dismissed",
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(reports)
      .set({ status: outcome, resolvedById: adminId, resolvedAt: new Date() })
      .where(and(eq(reports.id, reportId), eq(reports.status, "open")))
      .returning({ id: reports.id });
    if (updated.length)
      await recordAudit(tx, {
        actorId: adminId,
        action: `report.${outcome}`,
        subjectType: "report",
        subjectId: reportId,
      });
    return updated.length > 0 ? ok() : fail("conflict", "That report is already closed");
  });
}

/**
 * Where a moderator goes to look at what was reported. A proposal opens on
 * its admin page, which shows it whole and has the form that removes it.
 */
export async function reportTarget(type: ReportSubject, id: string): Promise<string> {
  if (type === "submission") return `/submissions/${id}`;
  if (type === "proposal") return `/admin/proposals/${id}`;
  if (type === "comment") {
    const [c] = await db
      .select({ submissionId: comments.submissionId, productId: comments.productId, proposalId: comments.proposalId })
      .from(comments)
      .where(eq(comments.id, id));
    if (!c) return "/admin/moderation";
    if (c.proposalId) return `/proposals/${c.proposalId}#comment-${id}`;
    return c.submissionId ? `/submissions/${c.submissionId}#comment-${id}` : `/shop/${c.productId}#comment-${id}`;
  }
  const [u] = await db.select({ username: users.username }).from(users).where(eq(users.id, id));
  return u ? `/designers/${u.username}` : "/admin/moderation";
}
