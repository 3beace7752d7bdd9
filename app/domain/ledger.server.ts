import { desc, eq, inArray, sql } from "drizzle-orm";
import { ledgerEntries, rounds } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { EARNING_KINDS, entryStatus, summariseLedger } from "./ledger";

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

/** A member's ledger, newest first, with what caused each entry. */
export async function ledgerFor(userId: string, now = new Date()) {
  const entries = await db
    .select({
      id: ledgerEntries.id,
      kind: ledgerEntries.kind,
      amountCents: ledgerEntries.amountCents,
      currency: ledgerEntries.currency,
      causeKey: ledgerEntries.causeKey,
      clearsAt: ledgerEntries.clearsAt,
      memo: ledgerEntries.memo,
      createdAt: ledgerEntries.createdAt,
      submissionId: ledgerEntries.submissionId,
      roundSlug: rounds.slug,
      roundTitle: rounds.title,
    })
    .from(ledgerEntries)
    .leftJoin(rounds, eq(rounds.id, ledgerEntries.roundId))
    .where(eq(ledgerEntries.userId, userId))
    .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id));
  return { entries, summary: summariseLedger(entries, now) };
}

/** The same ledger as CSV, oldest first, one line per entry, with a running balance. */
export async function ledgerCsv(userId: string, now = new Date()): Promise<string> {
  const { entries } = await ledgerFor(userId, now);
  const lines = ["date,kind,amount,currency,status,running_total,round,memo,cause"];
  let running = 0;
  for (const e of [...entries].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)) {
    running += e.amountCents;
    const status = entryStatus(e, now);
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
