/**
 * `npm run fulfilment:send`: sends every paid order waiting for Printful that
 * is due, once, and says what happened. Servers already do this every
 * FULFILMENT_TICK_SECONDS; this is for cron or for draining the queue by hand.
 */
import { sendDueFulfilment } from "~/domain/fulfilment.server";
import { closeDatabase, getDatabaseHandle } from "~/lib/db.server";

try {
  await getDatabaseHandle().migrate();
  const total = { sent: 0, retrying: 0, failed: 0, cancelled: 0, skipped: 0 };
  for (;;) {
    const batch = await sendDueFulfilment();
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += batch[key];
    if (Object.values(batch).reduce((a, b) => a + b, 0) === 0) break;
  }
  console.log(
    `${total.sent} sent, ${total.retrying} to retry later, ${total.failed} need an admin, ${total.cancelled + total.skipped} no longer needed.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
