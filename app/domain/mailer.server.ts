import { and, eq, sql } from "drizzle-orm";
import { outgoingMail } from "#db/schema";
import { db, queryRows, type DbOrTx } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { mailTransport, type MailTransport } from "~/lib/mail.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { countMailFailure } from "~/lib/metrics.server";

/** Minutes to wait before attempt n+1 after attempt n failed (the last step repeats). */
export const RETRY_DELAYS_MINUTES = [1, 5, 30, 120, 360];

/** Messages claimed at a time. */
const MAIL_BATCH = 20;

/** How long a sender holds a claimed row; a crashed sender's rows come back after it. */
const LEASE_SECONDS = 120;

export function retryDelayMs(attempts: number) {
  const step = RETRY_DELAYS_MINUTES[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MINUTES.length) - 1]!;
  return step * 60_000;
}

/** The public origin for links in emails, which are written outside any request. */
export function absoluteUrl(pathname: string) {
  return new URL(pathname, publicOrigin()).toString();
}

/**
 * Queues an email in the caller's transaction: if the work that caused it
 * rolls back, no mail goes out. Nothing here talks to a mail server.
 */
type QueuedMail = { userId: string | null; to: string; subject: string; text: string; category: string };

export async function enqueueMail(runner: DbOrTx, input: QueuedMail | QueuedMail[]) {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) return;
  await runner.insert(outgoingMail).values(
    list.map((m) => ({
      userId: m.userId,
      toAddress: m.to,
      subject: m.subject,
      textBody: m.text,
      category: m.category,
    })),
  );
}

/** Account mail (reset links, password changed, account deleted) is not a notification kind: it always goes out. */
export async function sendAccountMail(
  runner: DbOrTx,
  user: { id: string; email: string },
  subject: string,
  lines: string[],
) {
  await enqueueMail(runner, {
    userId: user.id,
    to: user.email,
    subject,
    category: "account",
    text: [...lines, "", "-- ", "Crowdthread"].join("\n"),
  });
}

type Claimed = { id: string; to_address: string; subject: string; text_body: string; attempts: number };

export type SendOutcome = { sent: number; retrying: number; failed: number };

/**
 * Sends what is due: claims a batch (SKIP LOCKED, so several servers can run
 * this at once), sends each message outside any transaction, then records
 * the outcome. A failure waits per RETRY_DELAYS_MINUTES; after
 * MAIL_MAX_ATTEMPTS the message is marked failed with its last error.
 */
export async function sendDueMail(
  options: { now?: Date; limit?: number; transport?: MailTransport } = {},
): Promise<SendOutcome> {
  const now = options.now ?? new Date();
  const transport = options.transport ?? mailTransport();
  const maxAttempts = getEnv().MAIL_MAX_ATTEMPTS;
  const at = now.toISOString();
  const claimed = await queryRows<Claimed>(
    db,
    sql`update ${outgoingMail} set locked_until = ${at}::timestamptz + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
        where id in (
          select id from ${outgoingMail}
          where status = 'pending' and next_attempt_at <= ${at}::timestamptz and (locked_until is null or locked_until <= ${at}::timestamptz)
          order by next_attempt_at
          limit ${options.limit ?? MAIL_BATCH}
          for update skip locked)
        returning id, to_address, subject, text_body, attempts`,
  );
  const outcome: SendOutcome = { sent: 0, retrying: 0, failed: 0 };
  for (const mail of claimed) {
    try {
      await transport.send({ to: mail.to_address, subject: mail.subject, text: mail.text_body });
      await db
        .update(outgoingMail)
        .set({ status: "sent", sentAt: new Date(), lockedUntil: null, lastError: null })
        .where(eq(outgoingMail.id, mail.id));
      outcome.sent++;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const giveUp = mail.attempts >= maxAttempts;
      await db
        .update(outgoingMail)
        .set(
          giveUp
            ? { status: "failed", lockedUntil: null, lastError: message }
            : {
                nextAttemptAt: new Date(now.getTime() + retryDelayMs(mail.attempts)),
                lockedUntil: null,
                lastError: message,
              },
        )
        .where(and(eq(outgoingMail.id, mail.id), eq(outgoingMail.status, "pending")));
      if (giveUp) outcome.failed++;
      else outcome.retrying++;
      countMailFailure(giveUp);
      console.warn(
        `[mail] ${giveUp ? "gave up on" : "will retry"} ${mail.id} after attempt ${mail.attempts}: ${message}`,
      );
    }
  }
  return outcome;
}

/** Sends batch after batch until a batch comes back short: everything due now has had its attempt. */
export async function sendAllDueMail(): Promise<SendOutcome> {
  const total: SendOutcome = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const outcome = await sendDueMail();
    total.sent += outcome.sent;
    total.retrying += outcome.retrying;
    total.failed += outcome.failed;
    if (outcome.sent + outcome.retrying + outcome.failed < MAIL_BATCH) return total;
  }
}

/** Counts for the admin overview and the outbox page. */
export async function mailQueueSummary() {
  const rows = await queryRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from ${outgoingMail} group by status`,
  );
  const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  return { pending: by.pending ?? 0, sent: by.sent ?? 0, failed: by.failed ?? 0 };
}
