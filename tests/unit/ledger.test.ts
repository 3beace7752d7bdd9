import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  entryStatus,
  isEarning,
  lineStatus,
  summariseLedger,
  type LedgerEntryView,
  type LedgerKind,
  type PayoutState,
} from "~/domain/ledger";
import { parseMoneyToCents, parsePercentToBps, royaltyCents } from "~/domain/money";

const now = new Date("2026-06-01T00:00:00Z");
const past = new Date("2026-05-01T00:00:00Z");
const future = new Date("2026-07-01T00:00:00Z");

describe("entryStatus", () => {
  it("keeps a credit pending until its refund window has passed", () => {
    expect(entryStatus({ clearsAt: future }, now)).toBe("pending");
    expect(entryStatus({ clearsAt: past }, now)).toBe("cleared");
    expect(entryStatus({ clearsAt: null }, now)).toBe("cleared");
    expect(entryStatus({ clearsAt: now }, now)).toBe("cleared");
  });
});

describe("summariseLedger", () => {
  it("splits a worked example by what the money can do", () => {
    const entries: LedgerEntryView[] = [
      { kind: "prize", amountCents: 5000, clearsAt: null },
      { kind: "royalty", amountCents: 375, clearsAt: past },
      { kind: "royalty", amountCents: 420, clearsAt: future },
      { kind: "royalty_reversal", amountCents: -375, clearsAt: null },
      { kind: "credit_spent", amountCents: -1200, clearsAt: null },
      { kind: "credit_released", amountCents: 200, clearsAt: null },
      { kind: "payout", amountCents: -2000, clearsAt: null },
    ];
    expect(summariseLedger(entries, now)).toEqual({
      pendingCents: 420,
      clearedEarningsCents: 5000,
      spentCents: 1000,
      requestedCents: 0,
      paidOutCents: 2000,
      availableCents: 2000,
    });
  });

  it("takes a royalty refunded inside its window out of Pending, and leaves Available alone", () => {
    const entries: LedgerEntryView[] = [
      { kind: "royalty", amountCents: 5000, clearsAt: past },
      { kind: "royalty", amountCents: 270, clearsAt: future },
      // The reversal waits out the same window as the royalty it reverses.
      { kind: "royalty_reversal", amountCents: -270, clearsAt: future },
    ];
    expect(summariseLedger(entries, now)).toMatchObject({ pendingCents: 0, availableCents: 5000 });
    const later = new Date(future.getTime() + 1000);
    expect(summariseLedger(entries, later)).toMatchObject({ pendingCents: 0, availableCents: 5000 });
  });

  it("shows a payout as requested until it is paid, and a declined one not at all", () => {
    const earned: LedgerEntryView = { kind: "prize", amountCents: 3200, clearsAt: null };
    const debit = (payoutState: PayoutState): LedgerEntryView => ({
      kind: "payout",
      amountCents: -3200,
      clearsAt: null,
      payoutState,
    });
    expect(summariseLedger([earned, debit("requested")], now)).toMatchObject({
      requestedCents: 3200,
      paidOutCents: 0,
      availableCents: 0,
    });
    expect(lineStatus(debit("requested"), now)).toBe("requested");
    expect(summariseLedger([earned, debit("paid")], now)).toMatchObject({
      requestedCents: 0,
      paidOutCents: 3200,
      availableCents: 0,
    });
    const returned = { kind: "payout", amountCents: 3200, clearsAt: null, payoutState: "rejected" } as const;
    expect(summariseLedger([earned, debit("rejected"), returned], now)).toMatchObject({
      requestedCents: 0,
      paidOutCents: 0,
      availableCents: 3200,
    });
    expect(lineStatus(returned, now)).toBe("returned");
  });

  it("always adds up: pending + available + requested + paid out + spent = earned", () => {
    const earning = fc.record({
      kind: fc.constantFrom<LedgerKind>("prize", "royalty", "royalty_reversal"),
      amountCents: fc.integer({ min: -100_000, max: 100_000 }),
      clearsAt: fc.option(fc.constantFrom(past, future), { nil: null }),
    });
    const spending = fc.record({
      kind: fc.constantFrom<LedgerKind>("credit_spent", "credit_released"),
      amountCents: fc.integer({ min: -100_000, max: 100_000 }),
      clearsAt: fc.constant(null),
    });
    // A payout is a debit and, when declined or failed, the return of the same amount.
    const payout = fc
      .record({
        amount: fc.integer({ min: 1, max: 100_000 }),
        state: fc.constantFrom<PayoutState>("requested", "paid", "failed", "rejected"),
      })
      .map(({ amount, state }): LedgerEntryView[] => {
        const debit = { kind: "payout" as const, amountCents: -amount, clearsAt: null, payoutState: state };
        return state === "failed" || state === "rejected" ? [debit, { ...debit, amountCents: amount }] : [debit];
      });
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            earning.map((e) => [e]),
            spending.map((e) => [e]),
            payout,
          ),
        ),
        (groups) => {
          const entries = groups.flat();
          const s = summariseLedger(entries, now);
          const earned = entries.filter((e) => isEarning(e.kind)).reduce((n, e) => n + e.amountCents, 0);
          expect(s.pendingCents + s.availableCents + s.requestedCents + s.paidOutCents + s.spentCents).toBe(earned);
          expect(s.pendingCents + s.clearedEarningsCents).toBe(earned);
        },
      ),
    );
  });

  it("always adds up: available + pending = the sum of every entry", () => {
    const kinds: LedgerKind[] = ["prize", "royalty", "royalty_reversal", "credit_spent", "credit_released", "payout"];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom(...kinds),
            amountCents: fc.integer({ min: -100_000, max: 100_000 }),
            clearsAt: fc.option(fc.constantFrom(past, future), { nil: null }),
          }),
        ),
        (entries) => {
          const s = summariseLedger(entries, now);
          const total = entries.reduce((n, e) => n + e.amountCents, 0);
          expect(s.availableCents + s.pendingCents).toBe(total);
        },
      ),
    );
  });
});

describe("money", () => {
  it("parses amounts and rates without floats", () => {
    expect(parseMoneyToCents("25")).toBe(2500);
    expect(parseMoneyToCents("24.5")).toBe(2450);
    expect(parseMoneyToCents(" 0.07 ")).toBe(7);
    expect(parseMoneyToCents("1.005")).toBeNull();
    expect(parseMoneyToCents("-3")).toBeNull();
    expect(parseMoneyToCents("abc")).toBeNull();
    expect(parsePercentToBps("15")).toBe(1500);
    expect(parsePercentToBps("12.5")).toBe(1250);
    expect(parsePercentToBps("100")).toBe(10000);
    expect(parsePercentToBps("100.01")).toBeNull();
  });

  it("rounds royalties half up to the cent", () => {
    expect(royaltyCents(2500, 1500)).toBe(375);
    expect(royaltyCents(2499, 1500)).toBe(375); // 374.85
    expect(royaltyCents(1, 5000)).toBe(1); // 0.5 → 1
    expect(royaltyCents(1, 4999)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (cents, bps) => {
        const r = royaltyCents(cents, bps);
        expect(Number.isInteger(r)).toBe(true);
        expect(Math.abs(r - (cents * bps) / 10_000)).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});
