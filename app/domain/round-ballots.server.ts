import { and, eq, sql, type SQL } from "drizzle-orm";
import { ballots } from "#db/schema";
import { queryRows, type DbOrTx } from "~/lib/db.server";
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

/**
 * Every counted ballot of the round, as a BallotBook in ballot id order (the
 * CSV's order), in one round trip: the database numbers the voters and the
 * designs in first-ballot order and packs each ballot into 10 bytes (voter
 * number, design number, score × 2 + would-buy), so 500,000 ballots arrive as
 * ~5 MB of bytes and two lists of ids rather than as 500,000 rows of two ids
 * each (which took seconds to send and to map). The bytes travel as base64
 * text (PostgreSQL breaks its lines, which Node's decoder skips): 6.7 MB
 * where hex was 10.
 */
export async function readBallotBook(tx: DbOrTx, roundId: string): Promise<BallotBook> {
  const [row] = await queryRows<{ voter_ids: string | null; submission_ids: string | null; packed: string | null }>(
    tx,
    sql`with b as (
          select ${ballots.id} as id, ${ballots.voterId} as voter_id, ${ballots.submissionId} as submission_id,
                 ${ballots.score} as score, ${ballots.wouldBuy} as would_buy
          from ${ballots} where ${rankedBallotsOf(roundId)}
        ),
        v as (select voter_id, (row_number() over (order by min(id)) - 1)::int as i from b group by voter_id),
        d as (select submission_id, (row_number() over (order by min(id)) - 1)::int as i from b group by submission_id)
        select (select string_agg(voter_id::text, ',' order by i) from v) as voter_ids,
               (select string_agg(submission_id::text, ',' order by i) from d) as submission_ids,
               (select encode(string_agg(int4send(v.i) || int4send(d.i) || int2send((b.score * 2 + b.would_buy::int)::int2), ''::bytea order by b.id), 'base64')
                  from b join v using (voter_id) join d using (submission_id)) as packed`,
  );
  if (!row?.packed || !row.voter_ids || !row.submission_ids) return new BallotBook();
  const bytes = Buffer.from(row.packed, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength / PACKED_BALLOT_BYTES;
  const columns = {
    voter: new Int32Array(length),
    submission: new Int32Array(length),
    score: new Uint8Array(length),
    wouldBuy: new Uint8Array(length),
  };
  for (let i = 0, o = 0; i < length; i++, o += PACKED_BALLOT_BYTES) {
    columns.voter[i] = view.getInt32(o);
    columns.submission[i] = view.getInt32(o + 4);
    const scoreAndBuy = view.getInt16(o + 8);
    columns.score[i] = scoreAndBuy >> 1;
    columns.wouldBuy[i] = scoreAndBuy & 1;
  }
  return BallotBook.ofColumns(row.voter_ids.split(","), row.submission_ids.split(","), columns);
}

/** int4 voter number, int4 design number, int2 score × 2 + would-buy (big-endian, as int4send writes them). */
const PACKED_BALLOT_BYTES = 10;
