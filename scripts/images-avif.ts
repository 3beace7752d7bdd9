/**
 * `npm run images:avif`: makes every queued AVIF rendition, once, and says
 * what happened. Servers already do this after each upload and every
 * AVIF_TICK_SECONDS; this is for cron where that is turned off, or for
 * draining the queue by hand.
 */
import { encodeAllDueAvif } from "~/domain/avif-renditions.server";
import { closeDatabase, getDatabaseHandle } from "~/lib/db.server";

try {
  await getDatabaseHandle().migrate();
  const total = await encodeAllDueAvif();
  console.log(
    `AVIF made for ${total.encoded} design(s)` +
      (total.failed ? `; ${total.failed} failed (each is retried later or given up on, as the lines above say).` : "."),
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
