import { and, count, desc, eq, isNull } from "drizzle-orm";
import { notifications } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";

export type NotificationKind =
  | "comment_on_design"
  | "comment_reply"
  | "new_design"
  | "submission_approved"
  | "submission_rejected"
  | "design_won"
  | "results_published"
  | "royalty_credited";

/** Tells a member about something; never about what they did themselves. */
export async function notify(runner: DbOrTx, input: { userId: string | null; actorId: string | null; kind: NotificationKind; title: string; url: string }) {
  if (!input.userId || input.userId === input.actorId) return;
  await runner.insert(notifications).values({ userId: input.userId, kind: input.kind, title: input.title, url: input.url });
}

export async function unreadCount(userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function notificationsFor(userId: string) {
  return db
    .select({ id: notifications.id, kind: notifications.kind, title: notifications.title, url: notifications.url, createdAt: notifications.createdAt, readAt: notifications.readAt })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt))
    .limit(100);
}

export async function markAllRead(userId: string) {
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
