import { describe, expect, it } from "vitest";
import { orderTotals, shippingCost, taxAt, totalsOfOrder, type ZoneRule } from "~/domain/totals";

const zone: ZoneRule = {
  rates: {
    tee: { firstItemCents: 500, additionalItemCents: 200 },
    poster: { firstItemCents: 800, additionalItemCents: 400 },
  },
  freeShippingOverCents: null,
};
const tee = (quantity: number, unitPriceCents = 2500) => ({ productType: "tee" as const, unitPriceCents, quantity });
const poster = (quantity: number, unitPriceCents = 2000) => ({
  productType: "poster" as const,
  unitPriceCents,
  quantity,
});

describe("shipping", () => {
  it("charges each product type's first unit, then its additional rate per further unit", () => {
    expect(shippingCost([tee(1)], zone)).toBe(500);
    // 500 + 2 × 200
    expect(shippingCost([tee(3)], zone)).toBe(900);
    // Two lines of tees (sizes) are one package: 500 + 200.
    expect(shippingCost([tee(1), tee(1, 2800)], zone)).toBe(700);
    // Tees 500 + 200; posters 800 + 400.
    expect(shippingCost([tee(2), poster(2)], zone)).toBe(1900);
  });

  it("is free from the zone's threshold on the items' subtotal, and charged below it", () => {
    const free = { ...zone, freeShippingOverCents: 7500 };
    // 3 × 2500 = 7500 reaches it.
    expect(shippingCost([tee(3)], free)).toBe(0);
    // 2 × 2500 + 2499 = 7499 does not: 500 + 200 + 200.
    expect(shippingCost([tee(2), tee(1, 2499)], free)).toBe(900);
  });

  it("is null when the zone has no rate for a type in the order", () => {
    expect(shippingCost([poster(1)], { rates: { tee: zone.rates.tee }, freeShippingOverCents: null })).toBeNull();
  });
});

describe("tax", () => {
  it("rounds half up to the cent", () => {
    // 8.25% of 1000 = 82.5 → 83; of 999 = 82.4175 → 82.
    expect(taxAt(1000, 825)).toBe(83);
    expect(taxAt(999, 825)).toBe(82);
    expect(taxAt(0, 2000)).toBe(0);
  });
});

describe("the totals rule", () => {
  it("adds shipping and the tax on items and shipping, then takes the credit", () => {
    // Items 2 × 2500 + 2800 = 7800; shipping 500 + 200 + 200 = 900;
    // tax 13% of 8700 = 1131; total 9831; credit 2000; due 7831.
    const lines = [tee(2), tee(1, 2800)];
    expect(
      orderTotals({ lines, shippingCents: shippingCost(lines, zone)!, tax: { rateBps: 1300 }, creditCents: 2000 }),
    ).toEqual({
      subtotalCents: 7800,
      shippingCents: 900,
      taxCents: 1131,
      totalCents: 9831,
      creditCents: 2000,
      amountDueCents: 7831,
      taxPending: false,
    });
  });

  it("lets store credit pay the whole total, shipping and tax included, and no more", () => {
    // 2500 + 500 shipping + 20% of 3000 = 600 → 3600, all paid by a 5000 balance.
    const totals = orderTotals({ lines: [tee(1)], shippingCents: 500, tax: { rateBps: 2000 }, creditCents: 5000 });
    expect(totals).toMatchObject({ totalCents: 3600, creditCents: 3600, amountDueCents: 0 });
    expect(orderTotals({ lines: [tee(1)], shippingCents: 500, tax: { rateBps: 0 }, creditCents: -5 })).toMatchObject({
      creditCents: 0,
      amountDueCents: 3000,
    });
  });

  it("leaves the tax out until Stripe Tax reports it, then takes what it reported", () => {
    const pending = orderTotals({ lines: [poster(2)], shippingCents: 1200, tax: { byProvider: true }, creditCents: 0 });
    expect(pending).toMatchObject({ subtotalCents: 4000, taxCents: 0, totalCents: 5200, taxPending: true });
    const reported = orderTotals({ lines: [poster(2)], shippingCents: 1200, tax: { cents: 429 }, creditCents: 0 });
    expect(reported).toMatchObject({ taxCents: 429, totalCents: 5629, amountDueCents: 5629, taxPending: false });
  });

  it("reads a stored order by the same rule", () => {
    const order = {
      items: [tee(2)],
      shippingCents: 700,
      taxCents: 0,
      taxSource: "stripe" as const,
      creditCents: 1000,
    };
    expect(totalsOfOrder({ ...order, status: "pending_payment" })).toMatchObject({
      totalCents: 5700,
      amountDueCents: 4700,
      taxPending: true,
    });
    expect(totalsOfOrder({ ...order, taxCents: 456, status: "paid" })).toMatchObject({
      totalCents: 6156,
      amountDueCents: 5156,
      taxPending: false,
    });
  });
});
