import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import { getEnv } from "./env.server";

export type MailMessage = { to: string; subject: string; text: string };

/** Where mail goes: an SMTP server, or the local outbox folder the dev page reads. */
export interface MailTransport {
  readonly name: "smtp" | "outbox";
  send(message: MailMessage): Promise<void>;
  /** Closes pooled connections (at shutdown). */
  close(): void;
}

export type OutboxEntry = MailMessage & { id: string; from: string; writtenAt: string };

export function outboxDir() {
  return path.join(getEnv().DATA_DIR, "outbox");
}

function smtpTransport(url: string, from: string): MailTransport {
  // nodemailer is loaded with the first message, not with every start (ADR 017).
  let transporter: Promise<Transporter> | undefined;
  let opened: Transporter | undefined;
  const open = () =>
    (transporter ??= import("nodemailer").then(({ default: nodemailer }) => {
      // Short timeouts: the mailer retries later rather than hanging on a bad server.
      // Pooled: a new SMTP connection per message measured ~100 ms here, a pooled send ~4 ms (npm run bench:mail).
      opened = nodemailer.createTransport({
        url,
        pool: true,
        maxConnections: 2,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      });
      return opened;
    }));
  return {
    name: "smtp",
    async send(message) {
      await (await open()).sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => opened?.close(),
  };
}

function outboxTransport(from: string): MailTransport {
  return {
    name: "outbox",
    async send(message) {
      const dir = outboxDir();
      await mkdir(dir, { recursive: true });
      const entry: OutboxEntry = { id: randomUUID(), from, writtenAt: new Date().toISOString(), ...message };
      const file = path.join(dir, `${Date.now()}-${entry.id}.json`);
      // Written under a temporary name and renamed, so a reader never sees half a message.
      await writeFile(`${file}.tmp`, JSON.stringify(entry, null, 2));
      await rename(`${file}.tmp`, file);
      if (getEnv().NODE_ENV !== "test")
        console.log(
          `[mail] "${message.subject}" for ${message.to} is in the local outbox (/dev/outbox); set SMTP_URL to send mail`,
        );
    },
    close: () => undefined,
  };
}

let cached: MailTransport | undefined;

export function mailTransport(): MailTransport {
  if (!cached) {
    const env = getEnv();
    cached = env.SMTP_URL ? smtpTransport(env.SMTP_URL, env.MAIL_FROM) : outboxTransport(env.MAIL_FROM);
  }
  return cached;
}

/** Closes the transport's connections and forgets it, so a changed SMTP_URL is read again (shutdown, tests). */
export function resetMailTransport() {
  cached?.close();
  cached = undefined;
}

/** The newest messages in the local outbox, newest first. */
export async function readOutbox(limit = 50): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = (await readdir(outboxDir())).filter((n) => n.endsWith(".json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  names.sort().reverse();
  const entries = await Promise.all(
    names
      .slice(0, limit)
      .map(async (n) => JSON.parse(await readFile(path.join(outboxDir(), n), "utf8")) as OutboxEntry),
  );
  return entries;
}
