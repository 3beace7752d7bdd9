import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { refundedAfterProvider, royaltyReversed, splitRefund } from "~/domain/refunds";

const none = { cardCents: 0, creditCents: 0 };

describe("splitRefund", () => {
  it("splits a part refund between card and credit as the order was paid", () => {
    // $30 paid: $20 by card, $10 with credit. Refund $6: $4 to the card, $2 back as credit.
    const order = { amountDueCents: 2000, creditCents: 1000 };
    expect(splitRefund(order, none, 600)).toEqual({ cardCents: 400, creditCents: 200 });
    // Then the rest: all that is left of each.
    expect(splitRefund(order, { cardCents: 400, creditCents: 200 }, 2400)).toEqual({
      cardCents: 1600,
      creditCents: 800,
    });
    // A third of a cent goes to the card, the rest to credit.
    expect(splitRefund(order, none, 1)).toEqual({ cardCents: 1, creditCents: 0 });
    expect(splitRefund({ amountDueCents: 1800, creditCents: 0 }, none, 500)).toEqual({
      cardCents: 500,
      creditCents: 0,
    });
  });

  it("never returns more than is left of either part, and always the amount asked (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (due, credit, doneShare, askShare) => {
          const order = { amountDueCents: due, creditCents: credit };
          const already = { cardCents: Math.floor(due * doneShare), creditCents: Math.floor(credit * doneShare) };
          const left = due + credit - already.cardCents - already.creditCents;
          const ask = Math.floor(left * askShare);
          const part = splitRefund(order, already, ask);
          expect(part.cardCents + part.creditCents).toBe(ask);
          expect(part.cardCents).toBeGreaterThanOrEqual(0);
          expect(part.creditCents).toBeGreaterThanOrEqual(0);
          expect(already.cardCents + part.cardCents).toBeLessThanOrEqual(due);
          expect(already.creditCents + part.creditCents).toBeLessThanOrEqual(credit);
        },
      ),
    );
  });
});

describe("refundedAfterProvider", () => {
  it("returns credit in the card refund's proportion, and all of it with the last cent", () => {
    const order = { amountDueCents: 2000, creditCents: 1000 };
    expect(refundedAfterProvider(order, none, 500)).toEqual({ cardCents: 500, creditCents: 250 });
    expect(refundedAfterProvider(order, none, 2000)).toEqual({ cardCents: 2000, creditCents: 1000 });
  });

  it("ignores a late event that reports less than is already refunded", () => {
    const order = { amountDueCents: 2000, creditCents: 1000 };
    const already = { cardCents: 1000, creditCents: 500 };
    expect(refundedAfterProvider(order, already, 500)).toEqual(already);
  });
});

describe("royaltyReversed", () => {
  it("takes back the refund's share, rounded down, and all of it on a full refund", () => {
    expect(royaltyReversed(750, 1000, 5000)).toBe(150);
    expect(royaltyReversed(270, 1, 1800)).toBe(0);
    expect(royaltyReversed(270, 1799, 1800)).toBe(269);
    expect(royaltyReversed(270, 1800, 1800)).toBe(270);
  });
});
