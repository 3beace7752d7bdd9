/**
 * The royalty ledger, read: pure rules shared by the server and the pages.
 * Entries are append-only and signed (credits positive, debits negative); a
 * balance is their sum, split by what a member may do with it.
 */
export type LedgerKind = "prize" | "royalty" | "royalty_reversal" | "credit_spent" | "credit_released" | "payout";

export type LedgerEntryView = { kind: LedgerKind; amountCents: number; clearsAt: Date | null };

/** A credit is pending until its refund window has passed; everything else counts at once. */
export function entryStatus(entry: { clearsAt: Date | null }, now: Date): "pending" | "cleared" {
  return entry.clearsAt && entry.clearsAt.getTime() > now.getTime() ? "pending" : "cleared";
}

export type LedgerSummary = {
  /** Earned but still inside the refund window. */
  pendingCents: number;
  /** Everything earned and cleared, before spending and payouts. */
  clearedEarningsCents: number;
  /** Spent as store credit (net of releases). */
  spentCents: number;
  paidOutCents: number;
  /** What can be spent or paid out now. */
  availableCents: number;
};

export function summariseLedger(entries: LedgerEntryView[], now: Date): LedgerSummary {
  let pending = 0;
  let earned = 0;
  let spent = 0;
  let paidOut = 0;
  for (const e of entries) {
    if (e.kind === "credit_spent" || e.kind === "credit_released") spent -= e.amountCents;
    else if (e.kind === "payout") paidOut -= e.amountCents;
    else if (entryStatus(e, now) === "pending") pending += e.amountCents;
    else earned += e.amountCents;
  }
  return {
    pendingCents: pending,
    clearedEarningsCents: earned,
    spentCents: spent,
    paidOutCents: paidOut,
    availableCents: earned - spent - paidOut,
  };
}

export const LEDGER_KIND_LABELS: Record<LedgerKind, string> = {
  prize: "Prize",
  royalty: "Royalty",
  royalty_reversal: "Refund reversal",
  credit_spent: "Store credit spent",
  credit_released: "Store credit returned",
  payout: "Payout",
};
