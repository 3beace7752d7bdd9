/**
 * `npm run rounds:tick`: tells entrants that voting opened or ended, then
 * finalizes every round whose voting has closed, then deletes expired
 * sessions (the same housekeeping as the server's tick). For
 * cron; safe beside running servers (each round is finalized once, under a
 * row lock, whoever gets there first).
 */
import { finalizeDueRounds } from "~/domain/finalize.server";
import { announceProposalRounds, refreshTrendingSupport } from "~/domain/proposal-notices.server";
import { announceRoundPhases } from "~/domain/round-announcements.server";
import { closeDatabase, getDatabaseHandle } from "~/lib/db.server";
import { deleteExpiredSessions } from "~/lib/session.server";

try {
  await getDatabaseHandle().migrate();
  const announced = await announceRoundPhases();
  console.log(
    `voting-opened news for ${announced.opened} round(s), voting-ended news for ${announced.ended} round(s).`,
  );
  console.log(`submissions-open news for ${await announceProposalRounds()} round(s) made from proposals.`);
  console.log(`trending support recounted for ${await refreshTrendingSupport()} proposal(s).`);
  const outcomes = await finalizeDueRounds();
  const finalized = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  for (const o of finalized) {
    console.log(
      `finalized round ${o.roundId}: ${o.ranked} ranked, ${o.winners} winners, ${o.products} products, ${o.prizes} prizes`,
    );
  }
  console.log(
    `${finalized.length} round(s) finalized, ${outcomes.length - finalized.length} already done by someone else.`,
  );
  console.log(`${await deleteExpiredSessions()} expired session(s) deleted.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
