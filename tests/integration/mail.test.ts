import { eq } from "drizzle-orm";
import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { notifications, outgoingMail } from "#db/schema";
import { createUser } from "#tests/factories/index";
import { startSmtpDouble } from "#tests/support/smtp-double";
import { RETRY_DELAYS_MINUTES, sendDueMail } from "~/domain/mailer.server";
import { notify, saveNotificationPrefs } from "~/domain/notifications.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { outboxDir, readOutbox, resetMailTransport } from "~/lib/mail.server";

function useEnv(values: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetMailTransport();
}

beforeEach(() => rm(outboxDir(), { recursive: true, force: true }));
afterEach(() => useEnv({ SMTP_URL: undefined, APP_ORIGIN: undefined, MAIL_MAX_ATTEMPTS: undefined }));

async function queueOneMail() {
  const member = await createUser({ email: "inbox@crowdthread.test" });
  await saveNotificationPrefs(member.id, { comment_reply: { email: true } });
  await db.transaction((tx) =>
    notify(tx, {
      userId: member.id,
      actorId: null,
      kind: "comment_reply",
      title: "New reply to your comment",
      url: "/submissions/x#comment-y",
    }),
  );
  return member;
}

describe("the mail queue", () => {
  it("queues without touching the mail server, then retries a refusing server until it accepts", async () => {
    const smtp = await startSmtpDouble();
    try {
      useEnv({ SMTP_URL: smtp.url, APP_ORIGIN: "https://crowdthread.example" });
      await queueOneMail();
      const [queued] = await db.select().from(outgoingMail);
      expect(queued).toMatchObject({
        status: "pending",
        attempts: 0,
        toAddress: "inbox@crowdthread.test",
        subject: "New reply to your comment",
        category: "comment_reply",
      });
      expect(smtp.connections).toBe(0);

      smtp.refuse(2);
      const t0 = new Date();
      expect(await sendDueMail({ now: t0 })).toEqual({ sent: 0, retrying: 1, failed: 0 });
      let [row] = await db.select().from(outgoingMail);
      expect(row).toMatchObject({ status: "pending", attempts: 1, lockedUntil: null });
      expect(row!.lastError).toMatch(/451/);
      expect(row!.nextAttemptAt.getTime()).toBe(t0.getTime() + RETRY_DELAYS_MINUTES[0]! * 60_000);

      // Not due yet: nothing is sent, the server sees no new message.
      expect(await sendDueMail({ now: new Date(t0.getTime() + 30_000) })).toEqual({ sent: 0, retrying: 0, failed: 0 });

      const t1 = new Date(t0.getTime() + 61_000);
      expect(await sendDueMail({ now: t1 })).toEqual({ sent: 0, retrying: 1, failed: 0 });
      [row] = await db.select().from(outgoingMail);
      expect(row!.attempts).toBe(2);
      expect(row!.nextAttemptAt.getTime()).toBe(t1.getTime() + RETRY_DELAYS_MINUTES[1]! * 60_000);

      expect(await sendDueMail({ now: new Date(t1.getTime() + 5 * 60_000 + 1000) })).toEqual({
        sent: 1,
        retrying: 0,
        failed: 0,
      });
      [row] = await db.select().from(outgoingMail);
      expect(row).toMatchObject({ status: "sent", attempts: 3, lastError: null });
      expect(row!.sentAt).toBeInstanceOf(Date);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toEqual(["inbox@crowdthread.test"]);
      expect(smtp.received[0]!.raw).toContain("Subject: New reply to your comment");
      expect(smtp.received[0]!.text).toContain(
        "See it on Crowdthread: https://crowdthread.example/submissions/x#comment-y",
      );

      // Sent mail is never sent again.
      expect(await sendDueMail({ now: new Date(t1.getTime() + 3_600_000) })).toEqual({
        sent: 0,
        retrying: 0,
        failed: 0,
      });
      expect(smtp.received).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it("gives up after MAIL_MAX_ATTEMPTS and keeps the last error", async () => {
    const smtp = await startSmtpDouble();
    try {
      useEnv({ SMTP_URL: smtp.url, APP_ORIGIN: "https://crowdthread.example", MAIL_MAX_ATTEMPTS: "2" });
      await queueOneMail();
      smtp.refuse(5);
      const t0 = new Date();
      expect(await sendDueMail({ now: t0 })).toEqual({ sent: 0, retrying: 1, failed: 0 });
      expect(await sendDueMail({ now: new Date(t0.getTime() + 3_600_000) })).toEqual({
        sent: 0,
        retrying: 0,
        failed: 1,
      });
      const [row] = await db.select().from(outgoingMail);
      expect(row).toMatchObject({ status: "failed", attempts: 2 });
      expect(row!.lastError).toMatch(/Mailbox busy/);
      expect(await sendDueMail({ now: new Date(t0.getTime() + 86_400_000) })).toEqual({
        sent: 0,
        retrying: 0,
        failed: 0,
      });
      expect(smtp.received).toHaveLength(0);
    } finally {
      await smtp.close();
    }
  });

  it("retries when the mail server is down altogether", async () => {
    const smtp = await startSmtpDouble();
    const url = smtp.url;
    await smtp.close();
    useEnv({ SMTP_URL: url, APP_ORIGIN: "https://crowdthread.example" });
    await queueOneMail();
    expect(await sendDueMail()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [row] = await db.select().from(outgoingMail);
    expect(row!.lastError).toMatch(/ECONNREFUSED/);
  });

  it("without SMTP_URL writes mail to the local outbox", async () => {
    await queueOneMail();
    expect(await sendDueMail()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const outbox = await readOutbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ to: "inbox@crowdthread.test", subject: "New reply to your comment" });
    expect(outbox[0]!.text).toContain("Turn it off in your settings: http://localhost:3000/settings#notifications");
  });

  it("a rolled-back change queues no mail", async () => {
    const member = await createUser();
    await saveNotificationPrefs(member.id, { design_won: { email: true } });
    await expect(
      db.transaction(async (tx) => {
        await notify(tx, { userId: member.id, actorId: null, kind: "design_won", title: "You won", url: "/" });
        throw new Error("finalize failed");
      }),
    ).rejects.toThrow("finalize failed");
    expect(await db.select().from(outgoingMail)).toHaveLength(0);
    expect(await db.select().from(notifications).where(eq(notifications.userId, member.id))).toHaveLength(0);
  });
});

describe("the local outbox page", () => {
  it("shows written mail, and is gone when SMTP_URL is set", async () => {
    const { loader } = await import("~/routes/dev.outbox");
    const { context, getRequest, settle } = await import("#tests/support/requests");
    await queueOneMail();
    await sendDueMail();
    const page = await settle(() => loader({ request: getRequest("/dev/outbox"), params: {}, context: context() }));
    expect(page.status).toBe(200);
    expect(page.data.queue).toEqual({ pending: 0, sent: 1, failed: 0 });
    expect(page.data.messages).toMatchObject([{ to: "inbox@crowdthread.test", subject: "New reply to your comment" }]);

    useEnv({ SMTP_URL: "smtp://127.0.0.1:1", APP_ORIGIN: "https://crowdthread.example" });
    expect(
      (await settle(() => loader({ request: getRequest("/dev/outbox"), params: {}, context: context() }))).status,
    ).toBe(404);
  });

  it("in production only admins may read it", async () => {
    const { loader } = await import("~/routes/dev.outbox");
    const { context, getRequest, settle } = await import("#tests/support/requests");
    const { createLoggedInUser } = await import("#tests/factories/index");
    const member = await createLoggedInUser();
    const admin = await createLoggedInUser({ role: "admin" });
    useEnv({ NODE_ENV: "production" });
    try {
      expect(
        (
          await settle(() =>
            loader({ request: getRequest("/dev/outbox", { cookie: member.cookie }), params: {}, context: context() }),
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await settle(() =>
            loader({ request: getRequest("/dev/outbox", { cookie: admin.cookie }), params: {}, context: context() }),
          )
        ).status,
      ).toBe(200);
    } finally {
      useEnv({ NODE_ENV: "test" });
    }
  });
});
