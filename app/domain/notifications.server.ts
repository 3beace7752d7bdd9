import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { notifications, users, type NotificationPrefs } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { afterKey, pageOf, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { absoluteUrl, enqueueMail } from "./mailer.server";
import { channelsFor, NOTIFICATION_KINDS, type NotificationKind } from "./notification-kinds";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage } from "./page";

export type { NotificationKind } from "./notification-kinds";

type Notice = {
  actorId: string | null;
  kind: NotificationKind;
  title: string;
  url: string;
  /** Lines the email carries under its title (a receipt's items and totals); the bell shows the title only. */
  body?: string[];
};

/**
 * Tells a member about something, never about what they did themselves: in
 * the bell and/or by email, as their preferences for that kind say. The email
 * is queued in the caller's transaction and sent later by the mailer.
 */
export async function notify(runner: DbOrTx, input: Notice & { userId: string | null }) {
  await notifyAll(runner, { ...input, userIds: input.userId ? [input.userId] : [] });
}

/** `notify` for many members at once (followers, entrants): one read of their preferences, one insert per channel. */
export async function notifyAll(runner: DbOrTx, input: Notice & { userIds: string[] }) {
  const ids = [...new Set(input.userIds)].filter((id) => id !== input.actorId);
  if (ids.length === 0) return;
  const members = await runner
    .select({ id: users.id, email: users.email, prefs: users.notificationPrefs })
    .from(users)
    .where(and(inArray(users.id, ids), isNull(users.deletedAt)));
  const bell = members.filter((m) => channelsFor(m.prefs, input.kind).inApp);
  const mail = members.filter((m) => channelsFor(m.prefs, input.kind).email);
  if (bell.length)
    await runner
      .insert(notifications)
      .values(bell.map((m) => ({ userId: m.id, kind: input.kind, title: input.title, url: input.url })));
  if (mail.length) {
    const label = NOTIFICATION_KINDS.find((k) => k.kind === input.kind)!.label;
    const text = [
      input.title,
      "",
      ...(input.body?.length ? [...input.body, ""] : []),
      `See it on Crowdthread: ${absoluteUrl(input.url)}`,
      "",
      "--",
      `You get this email because email is on for "${label}".`,
      `Turn it off in your settings: ${absoluteUrl("/settings#notifications")}`,
    ].join("\n");
    await enqueueMail(
      runner,
      mail.map((m) => ({ userId: m.id, to: m.email, subject: input.title, category: input.kind, text })),
    );
  }
}

/** Saves a member's choices; kinds not mentioned keep the defaults. */
export async function saveNotificationPrefs(userId: string, prefs: NotificationPrefs) {
  await db.update(users).set({ notificationPrefs: prefs }).where(eq(users.id, userId));
}

export async function unreadCount(userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** A member's notifications run newest first, ties on time broken by id; a cursor is the last one's (created_at, id). */
export const notificationCursor = z.tuple([timestampKeyShape, z.uuid()]);

/** A member's notifications, newest first, a page at a time (notifications_user_idx). */
export async function notificationsFor(
  userId: string,
  options: { after?: z.output<typeof notificationCursor>; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      url: notifications.url,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      key: timestampKey(notifications.createdAt),
    })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        afterKey([notifications.createdAt, notifications.id], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...notification }) => notification,
  );
}

export async function markAllRead(userId: string) {
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}

/** Marks one of the member's notifications read and returns where it points (a path on this site). */
export async function openNotification(userId: string, id: string): Promise<Outcome<string>> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning({ url: notifications.url });
  return row && row.url.startsWith("/") && !row.url.startsWith("//")
    ? ok(row.url)
    : fail("not_found", "That notification was not found.");
}
