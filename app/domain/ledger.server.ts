import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { ledgerEntries, payoutRequests, rounds } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { afterKey, pageOf, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { EARNING_KINDS, lineStatus, type LedgerSummary, type PayoutState } from "./ledger";
import { mapPage } from "./page";

/**
 * `countsAsAvailable` (ledger.ts) in SQL, for sums over a whole ledger
 * without reading it: an earning whose refund window is still open is left out.
 */
function availableSql(now: Date) {
  return sql<number>`coalesce(sum(${ledgerEntries.amountCents}) filter (where not (${inArray(ledgerEntries.kind, [...EARNING_KINDS])} and coalesce(${ledgerEntries.clearsAt} > ${now.toISOString()}::timestamptz, false))), 0)::int`;
}

/**
 * What a member may spend or be paid now. Callers that go on to spend it hold
 * the member's row lock (see placeOrder, requestPayout) so it is spent once.
 */
export async function availableCredit(runner: DbOrTx, userId: string, now: Date): Promise<number> {
  const [row] = await runner
    .select({ available: availableSql(now) })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.userId, userId));
  return row?.available ?? 0;
}

/**
 * The state of the payout request a "payout" entry belongs to (its cause key
 * is `payout:<id>` or `payout-returned:<id>`); null for every other entry.
 */
const payoutStateSql = sql<PayoutState | null>`(select pr.status from ${payoutRequests} pr
  where ${ledgerEntries.kind} = 'payout' and pr.user_id = ${ledgerEntries.userId}
    and ${ledgerEntries.causeKey} in ('payout:' || pr.id::text, 'payout-returned:' || pr.id::text))`;

/**
 * `summariseLedger` (ledger.ts) in SQL: one aggregate over the member's
 * entries, so the page shows the balance without reading the ledger into
 * the server. A property test checks that both give the same numbers.
 */
export async function ledgerSummary(userId: string, now = new Date()): Promise<LedgerSummary> {
  const at = now.toISOString();
  const earning = inArray(ledgerEntries.kind, [...EARNING_KINDS]);
  const pending = sql`coalesce(${ledgerEntries.clearsAt} > ${at}::timestamptz, false)`;
  const sum = (where: SQL) => sql<number>`coalesce(sum(${ledgerEntries.amountCents}) filter (where ${where}), 0)::int`;
  const state = sql`(${payoutStateSql})`;
  const [row] = await db
    .select({
      pendingCents: sum(sql`${earning} and ${pending}`),
      clearedEarningsCents: sum(sql`${earning} and not ${pending}`),
      spentCents: sql<number>`-${sum(inArray(ledgerEntries.kind, ["credit_spent", "credit_released"]))}`,
      requestedCents: sql<number>`-${sum(sql`${ledgerEntries.kind} = 'payout' and ${state} = 'requested'`)}`,
      paidOutCents: sql<number>`-${sum(sql`${ledgerEntries.kind} = 'payout' and coalesce(${state} = 'paid', true)`)}`,
      availableCents: availableSql(now),
    })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.userId, userId));
  return row!;
}

/** What a ledger line shows, on the page and in the CSV (ledger_entries joined to its round). */
const ledgerLineColumns = {
  id: ledgerEntries.id,
  kind: ledgerEntries.kind,
  amountCents: ledgerEntries.amountCents,
  currency: ledgerEntries.currency,
  causeKey: ledgerEntries.causeKey,
  clearsAt: ledgerEntries.clearsAt,
  memo: ledgerEntries.memo,
  createdAt: ledgerEntries.createdAt,
  roundSlug: rounds.slug,
  payoutState: payoutStateSql,
};

/** A ledger page's position: the last entry's time (PostgreSQL text) and id. */
export const ledgerCursor = z.tuple([timestampKeyShape, z.number().int().positive()]);

/** A member's ledger, newest first, a page at a time, each entry with what caused it and where it stands. */
export async function ledgerPage(
  userId: string,
  options: { after?: z.output<typeof ledgerCursor>; size?: number; now?: Date } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const now = options.now ?? new Date();
  const rows = await db
    .select({
      ...ledgerLineColumns,
      submissionId: ledgerEntries.submissionId,
      roundTitle: rounds.title,
      key: timestampKey(ledgerEntries.createdAt),
    })
    .from(ledgerEntries)
    .leftJoin(rounds, eq(rounds.id, ledgerEntries.roundId))
    .where(
      and(
        eq(ledgerEntries.userId, userId),
        afterKey([ledgerEntries.createdAt, ledgerEntries.id], options.after, "desc", ["timestamptz", "bigint"]),
      ),
    )
    .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...entry }) => ({ ...entry, status: lineStatus(entry, now) }),
  );
}

/** Every entry of a member's ledger, oldest first (the CSV download). */
async function wholeLedger(userId: string) {
  return db
    .select(ledgerLineColumns)
    .from(ledgerEntries)
    .leftJoin(rounds, eq(rounds.id, ledgerEntries.roundId))
    .where(eq(ledgerEntries.userId, userId))
    .orderBy(asc(ledgerEntries.createdAt), asc(ledgerEntries.id));
}

/** The same ledger as CSV, oldest first, one line per entry, with a running balance. */
export async function ledgerCsv(userId: string, now = new Date()): Promise<string> {
  const entries = await wholeLedger(userId);
  const lines = ["date,kind,amount,currency,status,running_total,round,memo,cause"];
  let running = 0;
  for (const e of entries) {
    running += e.amountCents;
    const status = lineStatus(e, now);
    lines.push(
      [
        e.createdAt.toISOString(),
        e.kind,
        (e.amountCents / 100).toFixed(2),
        e.currency,
        status,
        (running / 100).toFixed(2),
        e.roundSlug ?? "",
        e.memo,
        e.causeKey,
      ]
        .map(csvField)
        .join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/** Quotes a CSV field when needed; a leading =, +, - or @ is defused so spreadsheets do not run it. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
