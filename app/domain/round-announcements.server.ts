import { sql } from "drizzle-orm";
import { rounds, submissions } from "#db/schema";
import { db, queryRows, type Transaction } from "~/lib/db.server";
import { notifyAll } from "./notifications.server";

type Announced = { id: string; slug: string; title: string; still_open: boolean };

async function entrants(tx: Transaction, roundId: string) {
  const rows = await queryRows<{ designer_id: string }>(
    tx,
    sql`select distinct designer_id from ${submissions} where round_id = ${roundId} and status = 'approved'`,
  );
  return rows.map((r) => r.designer_id);
}

/**
 * Tells designers with an approved design in a round that its voting opened
 * and, later, that it ended. Each round's marker is set by the same UPDATE
 * that picks it, in the transaction that writes the notifications, so every
 * message goes out once however many servers tick. A round whose voting had
 * already ended before anyone looked gets only the "ended" message, and one
 * already finalized gets neither (its results notification says it all).
 */
export async function announceRoundPhases(now = new Date()) {
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const opened = await queryRows<Announced>(
      tx,
      sql`update ${rounds} set voting_opened_notified_at = ${at}::timestamptz
          where voting_opens_at <= ${at}::timestamptz and voting_opened_notified_at is null and published_at is not null
          returning id, slug, title, voting_closes_at > ${at}::timestamptz as still_open`,
    );
    for (const round of opened.filter((r) => r.still_open)) {
      await notifyAll(tx, {
        userIds: await entrants(tx, round.id),
        actorId: null,
        kind: "voting_opened",
        title: `Voting is open in ${round.title}: your design is in it`,
        url: `/rounds/${round.slug}`,
      });
    }
    const ended = await queryRows<Announced>(
      tx,
      sql`update ${rounds} set voting_ended_notified_at = ${at}::timestamptz
          where voting_closes_at <= ${at}::timestamptz and voting_ended_notified_at is null and published_at is not null
          returning id, slug, title, finalized_at is null as still_open`,
    );
    for (const round of ended.filter((r) => r.still_open)) {
      await notifyAll(tx, {
        userIds: await entrants(tx, round.id),
        actorId: null,
        kind: "voting_ended",
        title: `Voting has ended in ${round.title}; results follow shortly`,
        url: `/rounds/${round.slug}`,
      });
    }
    return { opened: opened.filter((r) => r.still_open).length, ended: ended.filter((r) => r.still_open).length };
  });
}
