/**
 * The royalty ledger, read: pure rules shared by the server and the pages.
 * Entries are append-only and signed (credits positive, debits negative); a
 * balance is their sum, split by what a member may do with it.
 *
 * This module owns the ledger's vocabulary: db/schema.ts takes its kinds from
 * LEDGER_KINDS, and ledger.server.ts writes the available-balance rule below
 * in SQL (a property test checks that the two agree).
 */
export const LEDGER_KINDS = [
  "prize",
  "royalty",
  "royalty_reversal",
  "credit_spent",
  "credit_released",
  "payout",
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * Money a member earned (or lost back to a refund). Only these wait out a
 * refund window; spending and payouts count the moment they are written.
 */
export const EARNING_KINDS = ["prize", "royalty", "royalty_reversal"] as const satisfies readonly LedgerKind[];

export function isEarning(kind: LedgerKind): boolean {
  return (EARNING_KINDS as readonly LedgerKind[]).includes(kind);
}

/** Where a payout request stands; its ledger entries carry it, read from payout_requests. */
export type PayoutState = "requested" | "paid" | "failed" | "rejected";

export type LedgerEntryView = {
  kind: LedgerKind;
  amountCents: number;
  clearsAt: Date | null;
  /** For "payout" entries: the state of the request they belong to. */
  payoutState?: PayoutState | null;
};

/** A credit is pending until its refund window has passed; everything else counts at once. */
export function entryStatus(entry: { clearsAt: Date | null }, now: Date): "pending" | "cleared" {
  return entry.clearsAt && entry.clearsAt.getTime() > now.getTime() ? "pending" : "cleared";
}

/**
 * What a ledger line says about itself: an earning is pending or cleared; a
 * payout is requested (waiting for an admin), paid, or returned (declined or
 * failed, with the money back in the balance by a second entry).
 */
export type LineStatus = "pending" | "cleared" | "requested" | "paid" | "returned";

export function lineStatus(entry: LedgerEntryView, now: Date): LineStatus {
  if (entry.kind !== "payout") return entryStatus(entry, now);
  if (entry.payoutState === "requested") return "requested";
  if (entry.payoutState === "failed" || entry.payoutState === "rejected") return "returned";
  return "paid";
}

/**
 * The available-balance rule: an entry counts towards what a member may
 * spend or be paid unless it is an earning still inside its refund window.
 * ledger.server.ts `availableSql` is the same rule for PostgreSQL.
 */
export function countsAsAvailable(entry: LedgerEntryView, now: Date): boolean {
  return !(isEarning(entry.kind) && entryStatus(entry, now) === "pending");
}

/**
 * A member's balance, split by what they may do with it. The buckets add up:
 * pending + available + requested + paid out + spent = earned (net of
 * refunds), at every moment (a property test checks it).
 */
export type LedgerSummary = {
  /** Earned but still inside the refund window (net of refunds in that window). */
  pendingCents: number;
  /** Everything earned and cleared, before spending and payouts. */
  clearedEarningsCents: number;
  /** Spent as store credit (net of releases). */
  spentCents: number;
  /** Asked for as a payout, not yet paid by an admin. */
  requestedCents: number;
  paidOutCents: number;
  /** What can be spent or paid out now. */
  availableCents: number;
};

export function summariseLedger(entries: LedgerEntryView[], now: Date): LedgerSummary {
  let pending = 0;
  let earned = 0;
  let spent = 0;
  let requested = 0;
  let paidOut = 0;
  let available = 0;
  for (const e of entries) {
    if (countsAsAvailable(e, now)) available += e.amountCents;
    if (isEarning(e.kind)) {
      if (entryStatus(e, now) === "pending") pending += e.amountCents;
      else earned += e.amountCents;
    } else if (e.kind === "payout") {
      // A returned payout's debit and its return cancel out; they are in no bucket.
      const status = lineStatus(e, now);
      if (status === "requested") requested -= e.amountCents;
      else if (status === "paid") paidOut -= e.amountCents;
    } else spent -= e.amountCents;
  }
  return {
    pendingCents: pending,
    clearedEarningsCents: earned,
    spentCents: spent,
    requestedCents: requested,
    paidOutCents: paidOut,
    availableCents: available,
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
