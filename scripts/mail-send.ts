/**
 * `npm run mail:send`: sends every queued email that is due, once, and says
 * what happened. Servers already do this every MAIL_TICK_SECONDS; this is for
 * cron or for draining the queue by hand.
 */
import { sendAllDueMail } from "~/domain/mailer.server";
import { closeDatabase, getDatabaseHandle } from "~/lib/db.server";
import { resetMailTransport } from "~/lib/mail.server";

try {
  await getDatabaseHandle().migrate();
  const total = await sendAllDueMail();
  console.log(`${total.sent} sent, ${total.retrying} to retry later, ${total.failed} given up.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  resetMailTransport();
  await closeDatabase();
}
