import { eq, sql } from "drizzle-orm";
import { proposalSupports } from "#db/schema";
import { db, queryRows, type DbOrTx } from "~/lib/db.server";
import { formatDay } from "~/lib/format";
import { notifyAll } from "./notifications.server";

/** Everyone who supports a proposal now (a withdrawn support is no longer "theirs"). */
export async function supportersOf(runner: DbOrTx, proposalId: string): Promise<string[]> {
  const rows = await runner
    .select({ userId: proposalSupports.userId })
    .from(proposalSupports)
    .where(eq(proposalSupports.proposalId, proposalId));
  return rows.map((r) => r.userId);
}

type RoundNews = { slug: string; title: string; proposalId: string | null; submissionsOpenAt: Date };

/** Supporters hear that the proposal they backed is a public round now, or that its submissions opened. */
export async function tellSupportersOfRound(runner: DbOrTx, round: RoundNews, news: "published" | "open") {
  if (!round.proposalId) return;
  await notifyAll(runner, {
    userIds: await supportersOf(runner, round.proposalId),
    actorId: null,
    kind: "proposal_round",
    title:
      news === "open"
        ? `A proposal you supported is a round, and submissions are open: ${round.title}`
        : `A proposal you supported is now a round: ${round.title} (submissions open ${formatDay(round.submissionsOpenAt)})`,
    url: `/rounds/${round.slug}`,
  });
}

type Opened = { slug: string; title: string; proposal_id: string; submissions_open_at: string };

/**
 * Tells supporters of proposals that became rounds that submissions opened.
 * The marker is set by the UPDATE that picks the round, in the transaction
 * that writes the notifications, so it happens once however many servers tick.
 */
export async function announceProposalRounds(now = new Date()): Promise<number> {
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const opened = await queryRows<Opened>(
      tx,
      sql`update rounds set submissions_opened_notified_at = ${at}::timestamptz
          where proposal_id is not null and published_at is not null and submissions_opened_notified_at is null
            and submissions_open_at <= ${at}::timestamptz
          returning slug, title, proposal_id, submissions_open_at`,
    );
    for (const round of opened) {
      await tellSupportersOfRound(
        tx,
        {
          slug: round.slug,
          title: round.title,
          proposalId: round.proposal_id,
          submissionsOpenAt: new Date(round.submissions_open_at),
        },
        "open",
      );
    }
    return opened.length;
  });
}

/**
 * Brings each proposal's `recent_support` (the trending key) down as its
 * supports age past 7 days. Only proposals with recent support are looked at
 * (a partial index holds them), and each is recounted from its supports'
 * (proposal_id, created_at) index; supports raise and lower the key
 * themselves, so between ticks it is at most one tick stale.
 */
export async function refreshTrendingSupport(now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - TRENDING_WINDOW_MS).toISOString();
  // Lock first, count after: the rows are locked in one statement (waiting for any support that
  // holds one), and counted in the next, whose snapshot is taken once those supports committed.
  // Counting in the locking statement would recheck the re-read row against supports as of its
  // own, older snapshot, and write a concurrent support's increment over.
  const changed = await db.transaction(async (tx) => {
    const locked = await queryRows<{ id: string }>(
      tx,
      sql`select id from proposals where recent_support > 0 order by id for update`,
    );
    if (!locked.length) return [];
    return queryRows<{ id: string }>(
      tx,
      sql`update proposals p set recent_support = fresh.n
          from (
            select q.id, (select count(*)::int from proposal_supports s
                          where s.proposal_id = q.id and s.created_at > ${since}::timestamptz) as n
            from proposals q where q.id in (${sql.join(
              locked.map((r) => sql`${r.id}::uuid`),
              sql`, `,
            )})
          ) fresh
          where p.id = fresh.id and p.recent_support <> fresh.n
          returning p.id`,
    );
  });
  return changed.length;
}

/** Trending counts the supports of the last 7 days. */
export const TRENDING_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
