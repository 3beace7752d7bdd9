import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { ballots } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { notVoided } from "./ballot-voids.server";
import { BallotBook } from "./ranking";

/**
 * The ballots a round's ranking reads: the one place that says which they
 * are, for finalize, the published CSV and the integrity view's weights
 * alike (ADR 005): the round's ballots, less those of voters an admin voided.
 */
export function rankedBallotsOf(roundId: string): SQL {
  return and(eq(ballots.roundId, roundId), notVoided)!;
}

/** Rows per query when finalize reads a round: ~1 MB of rows at a time. */
const BOOK_BATCH = 20_000;

/**
 * Every ballot of the round, read in keyset batches (ballot id order, the
 * CSV's order) into a compact BallotBook: 500,000 ballots take ~5 MB, and no
 * query returns more than a batch. PGlite has no server-side cursor, so
 * batches rather than a cursor.
 */
export async function readBallotBook(
  tx: DbOrTx,
  roundId: string,
  options: { batchSize?: number } = {},
): Promise<BallotBook> {
  const batchSize = options.batchSize ?? BOOK_BATCH;
  const book = new BallotBook();
  const [range] = await tx
    .select({
      first: sql<number | null>`min(${ballots.id})`.mapWith((v) => (v === null ? null : Number(v))),
      last: sql<number | null>`max(${ballots.id})`.mapWith((v) => (v === null ? null : Number(v))),
    })
    .from(ballots)
    .where(rankedBallotsOf(roundId));
  if (!range || range.first === null || range.last === null) return book;
  let after = range.first - 1;
  for (;;) {
    const rows = await tx
      .select({
        id: ballots.id,
        voterId: ballots.voterId,
        submissionId: ballots.submissionId,
        score: ballots.score,
        wouldBuy: ballots.wouldBuy,
      })
      .from(ballots)
      .where(and(rankedBallotsOf(roundId), sql`${ballots.id} > ${after}`, sql`${ballots.id} <= ${range.last}`))
      .orderBy(asc(ballots.id))
      .limit(batchSize);
    for (const r of rows) book.add(r.voterId, r.submissionId, r.score, r.wouldBuy);
    if (rows.length < batchSize) return book;
    after = rows[rows.length - 1]!.id;
  }
}
