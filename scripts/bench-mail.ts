/**
 * `npm run bench:mail`, on an in-memory PGlite database (nothing to set up).
 *
 * 1. "A slow mail server never slows a page": the time to post a comment whose
 *    designer opted into email, with SMTP_URL pointing at a server that
 *    accepts connections and never answers, against the same with no mail
 *    server configured at all. Same run, same database; the ratio should be
 *    about 1, since a request only queues the message.
 * 2. Sending: messages per second from the queue to a local SMTP server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 600);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 300);

const dataDir = mkdtempSync(path.join(tmpdir(), "crowdthread-bench-mail-"));
process.env.DATA_DIR = dataDir;
process.env.PGLITE_DATA_DIR = "memory://";
process.env.NODE_ENV = "test";
process.env.APP_ORIGIN = "https://crowdthread.example";

const { resetEnvCache } = await import("~/lib/env.server");
const { resetMailTransport } = await import("~/lib/mail.server");
const { closeDatabase, getDatabaseHandle, db } = await import("~/lib/db.server");
const { createRound, createSubmission, createUser } = await import("#tests/factories/index");
const { addComment } = await import("~/domain/comments.server");
const { saveNotificationPrefs } = await import("~/domain/notifications.server");
const { sendAllDueMail } = await import("~/domain/mailer.server");
const { startSmtpDouble } = await import("#tests/support/smtp-double");
const { outgoingMail } = await import("#db/schema");

function pointMailAt(url: string | undefined) {
  if (url) process.env.SMTP_URL = url;
  else delete process.env.SMTP_URL;
  resetEnvCache();
  resetMailTransport();
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeComments(times: number[], count: number, subject: string, authorId: string, label: string) {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const result = await addComment({
      subject: { kind: "submission", id: subject },
      authorId,
      body: `${label} comment ${i}`,
    });
    times.push(performance.now() - started);
    if (!result.ok) throw new Error(result.message);
  }
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

// A "mail server" that takes connections and never says a word.
const sockets = new Set<Socket>();
const silent: Server = createServer((socket) => sockets.add(socket));
await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
const silentPort = (silent.address() as AddressInfo).port;

try {
  await getDatabaseHandle().migrate();
  const admin = await createUser({ role: "admin" });
  const designer = await createUser();
  const critic = await createUser();
  const round = await createRound({ phase: "submissions" });
  const design = await createSubmission({
    round,
    designerId: designer.id,
    seed: 7,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await saveNotificationPrefs(designer.id, { comment_on_design: { email: true } });

  // Warm-up, then alternate in blocks so neither side gets the warmer cache or the quieter moment.
  pointMailAt(undefined);
  await timeComments([], 50, design, critic.id, "warm-up");
  const noneTimes: number[] = [];
  const silentTimes: number[] = [];
  const BLOCKS = 6;
  for (let block = 0; block < BLOCKS; block++) {
    pointMailAt(undefined);
    await timeComments(noneTimes, COMMENTS / BLOCKS, design, critic.id, "no-smtp");
    pointMailAt(`smtp://127.0.0.1:${silentPort}`);
    await timeComments(silentTimes, COMMENTS / BLOCKS, design, critic.id, "silent-smtp");
  }
  const none = summary(noneTimes);
  const hanging = summary(silentTimes);
  console.log(`comment with email queued, ${COMMENTS} each way:`);
  console.log(`  no mail server:      median ${none.median.toFixed(2)} ms, p99 ${none.p99.toFixed(2)} ms`);
  console.log(`  silent mail server:  median ${hanging.median.toFixed(2)} ms, p99 ${hanging.p99.toFixed(2)} ms`);
  console.log(`  ratio (silent / none): median ${(hanging.median / none.median).toFixed(2)}×`);
  console.log(`  connections the requests made to the mail server: ${sockets.size}`);

  // Sending: empty the queue of what the comments queued, then time a fresh batch.
  await db.delete(outgoingMail);
  const smtp = await startSmtpDouble();
  pointMailAt(smtp.url);
  const values = Array.from({ length: MESSAGES }, (_, i) => ({
    userId: designer.id,
    toAddress: "designer@example.test",
    subject: `Message ${i}`,
    textBody: "Hello",
    category: "account",
  }));
  await db.insert(outgoingMail).values(values);
  const started = performance.now();
  const { sent } = await sendAllDueMail();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `sending: ${sent} messages to a local SMTP server in ${seconds.toFixed(2)} s (${(sent / seconds).toFixed(0)} messages/s over pooled connections)`,
  );
  resetMailTransport();
  await smtp.close();
} finally {
  for (const socket of sockets) socket.destroy();
  silent.close();
  await closeDatabase();
  rmSync(dataDir, { recursive: true, force: true });
}
