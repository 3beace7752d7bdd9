import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ledgerEntries, orders, productVariants, savedAddresses } from "#db/schema";
import {
  createLoggedInUser,
  createShippingZone,
  createTaxRate,
  createUser,
  createWinningDesign,
} from "#tests/factories/index";
import { renderPage } from "#tests/support/render-page";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { startStripeDouble } from "#tests/support/stripe-double";
import { addToCart, cartOfUser } from "~/domain/cart.server";
import { placeOrder } from "~/domain/orders.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { forgetSingleton } from "~/lib/singleton.server";

/**
 * What a buyer pays: addresses checked per country, shipping by zone and
 * product type, tax by destination (or by Stripe Tax), the same totals in
 * the cart, at checkout, on the order and at the payment provider, and
 * royalties on the items' prices alone.
 *
 * The shop: the US (tees $5 + $2 each more, free from $100) and Canada
 * (tees $9 + $3); tax 8.88% in New York, 5% in Canada, 13% in Ontario.
 */
beforeEach(async () => {
  await createShippingZone({
    name: "United States",
    countries: ["US"],
    tee: [500, 200],
    poster: [800, 400],
    freeShippingOverCents: 10_000,
  });
  await createShippingZone({ name: "Canada", countries: ["CA"], tee: [900, 300], poster: [1200, 500] });
  await createTaxRate("US", 888, "NY");
  await createTaxRate("CA", 500);
  await createTaxRate("CA", 1300, "ON");
});

/** A buyer with `quantity` M tees ($25 each, 10% royalty) in their cart. */
async function buyerWithTees(quantity: number, options: { credit?: number } = {}) {
  const designer = await createUser();
  const { tee } = await createWinningDesign({
    title: "Maple Leaf",
    seed: 1200,
    designerId: designer.id,
    round: { prizeCents: 0, royaltyBps: 1000 },
  });
  const [medium] = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id));
  const buyer = await createLoggedInUser();
  if (options.credit)
    await db.insert(ledgerEntries).values({
      userId: buyer.user.id,
      kind: "prize",
      amountCents: options.credit,
      currency: "usd",
      causeKey: `test:${buyer.user.id}`,
    });
  await addToCart(await cartOfUser(buyer.user.id), medium!.id, quantity);
  return { buyer, designer };
}

const toronto = {
  name: "Lucy Maud",
  line1: "100 Queen St W",
  line2: "",
  city: "Toronto",
  region: "ON",
  postalCode: "M5H 2N2",
  country: "CA",
};
const brooklyn = {
  name: "Walt W",
  line1: "1 Front St",
  line2: "",
  city: "Brooklyn",
  region: "NY",
  postalCode: "11201",
  country: "US",
};

async function checkout(cookie: string, fields: Record<string, string>) {
  const { action } = await import("~/routes/checkout");
  return settle(() =>
    action({ request: formRequest("/checkout", fields, { cookie }), params: {}, context: context() }),
  );
}

async function checkoutPage(cookie: string, search = "") {
  const { loader } = await import("~/routes/checkout");
  return settle(() =>
    loader({ request: getRequest(`/checkout${search}`, { cookie }), params: {}, context: context() }),
  );
}

describe("addresses at checkout", () => {
  it.each([
    [
      "a wrong postal code",
      { ...brooklyn, postalCode: "x" },
      "postalCode",
      "Enter a postal code as it is written in United States",
    ],
    [
      "a Canadian postal code in the US",
      { ...brooklyn, postalCode: "M5H 2N2" },
      "postalCode",
      "Enter a postal code as it is written in United States",
    ],
    ["no state for the US", { ...brooklyn, region: "" }, "region", "Choose the state"],
    ["a state that is not one", { ...brooklyn, region: "ZZ" }, "region", "Choose the state"],
    ["no province for Canada", { ...toronto, region: "" }, "region", "Choose the province"],
    ["an unknown country", { ...toronto, country: "QQ" }, "country", "Choose the country from the list"],
    [
      "a country no zone ships to",
      { ...toronto, country: "BR", region: "SP", postalCode: "01310-100" },
      "country",
      "Sorry, we don't ship to Brazil yet",
    ],
  ])("refuses %s with a message on the field, and writes no order", async (_case, address, field, message) => {
    const { buyer } = await buyerWithTees(1);
    const refused = await checkout(buyer.cookie, address);
    expect(refused.status).toBe(400);
    expect(refused.data.result.error[field]).toEqual([message]);
    expect(await db.select().from(orders)).toHaveLength(0);
    expect(await db.select().from(savedAddresses)).toHaveLength(0);
  });

  it("refuses a destination with no zone in the domain too, however the order is placed", async () => {
    const { buyer } = await buyerWithTees(1);
    const placed = await placeOrder(buyer.user.id, await cartOfUser(buyer.user.id), {
      ...toronto,
      country: "DE",
      region: "",
    });
    expect(placed).toMatchObject({
      ok: false,
      code: "invalid",
      field: "country",
      message: "Sorry, we don't ship to Germany yet",
    });
    expect(await db.select().from(orders)).toHaveLength(0);
  });

  it("stores no region where the country has no region field", async () => {
    await createShippingZone({ name: "UK", countries: ["GB"], tee: [700, 0] });
    const { buyer } = await buyerWithTees(1);
    const placed = await checkout(buyer.cookie, {
      ...toronto,
      country: "GB",
      region: "ON",
      city: "London",
      postalCode: "sw1a 1aa",
    });
    expect(placed.status).toBe(302);
    const [order] = await db.select().from(orders);
    expect(order).toMatchObject({ shippingCountry: "GB", shippingRegion: "", shippingPostalCode: "SW1A 1AA" });
  });
});

describe("totals before payment", () => {
  it("shows shipping and tax in the cart and at checkout, and offers only countries the shop ships to", async () => {
    const { buyer } = await buyerWithTees(2);
    const { loader: cartLoader } = await import("~/routes/cart");
    const cart = await settle(() =>
      cartLoader({
        request: getRequest("/cart?country=CA&region=ON", { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    // 2 × 2500 = 5000; shipping 900 + 300 = 1200; 13% of 6200 = 806.
    expect(cart.data.quote.totals).toMatchObject({
      subtotalCents: 5000,
      shippingCents: 1200,
      taxCents: 806,
      totalCents: 7006,
      amountDueCents: 7006,
    });
    // The rest of Canada: 5% of 6200 = 310.
    const elsewhere = await settle(() =>
      cartLoader({ request: getRequest("/cart?country=CA", { cookie: buyer.cookie }), params: {}, context: context() }),
    );
    expect(elsewhere.data.quote.totals).toMatchObject({ shippingCents: 1200, taxCents: 310, totalCents: 6510 });
    const nowhere = await settle(() =>
      cartLoader({ request: getRequest("/cart?country=JP", { cookie: buyer.cookie }), params: {}, context: context() }),
    );
    expect(nowhere.data.quote).toEqual({ ok: false, message: "Sorry, we don't ship to Japan yet" });

    const page = await checkoutPage(buyer.cookie);
    expect(page.data.destinations.map((d: { country: string }) => d.country)).toEqual(["CA", "US"]);
    expect(page.data.destinations.find((d: { country: string }) => d.country === "CA").regions).toContainEqual({
      code: "ON",
      name: "Ontario",
    });
    // With no saved address the quote starts at the first zone: the US, untaxed outside New York.
    expect(page.data.quote.totals).toMatchObject({ subtotalCents: 5000, shippingCents: 700, taxCents: 0 });
    expect(page.data.taxRates).toEqual({ US: { NY: 888 }, CA: { "": 500, ON: 1300 } });
  });

  it("ships free from the zone's threshold", async () => {
    const { buyer } = await buyerWithTees(4);
    const placed = await checkout(buyer.cookie, brooklyn);
    expect(placed.status).toBe(302);
    // 4 × 2500 = 10000 reaches the US threshold; tax 8.88% of 10000 = 888.
    expect((await db.select().from(orders))[0]).toMatchObject({
      subtotalCents: 10_000,
      shippingCents: 0,
      taxCents: 888,
      amountDueCents: 10_888,
    });
  });
});

describe("the pages", () => {
  it("render the cart, checkout, order, saved addresses and admin pages with their money and fields", async () => {
    const { buyer } = await buyerWithTees(2);
    const html = async (path: string, cookie: string) => {
      const response = await renderPage(getRequest(path, { cookie }));
      expect(response.status, path).toBe(200);
      return (await response.text()).replace(/<!-- -->/g, "");
    };
    const cart = await html("/cart?country=CA&region=ON", buyer.cookie);
    expect(cart).toContain("$12.00");
    expect(cart).toContain("$8.06");
    expect(cart).toContain("$70.06");
    const page = await html("/checkout", buyer.cookie);
    // The first zone, the US: a state field, $5 + $2 shipping.
    expect(page).toMatch(/<label[^>]*>State<\/label>/);
    expect(page).toContain("Continue to payment · $57.00");
    await checkout(buyer.cookie, { ...toronto, saveAddress: "on" });
    const [order] = await db.select().from(orders);
    const orderPage = await html(`/orders/${order!.id}`, buyer.cookie);
    // The address as Canada Post writes it: city, province code, postal code on one line.
    expect(orderPage).toContain("Toronto ON M5H 2N2<br/>Canada");
    expect(orderPage).toContain("$70.06");
    expect(await html("/settings/addresses", buyer.cookie)).toContain("Toronto, Ontario, Canada");
    const admin = await createLoggedInUser({ role: "admin" });
    const adminPage = await html("/admin/shipping", admin.cookie);
    expect(adminPage).toContain("Ontario (ON)");
    expect(adminPage).toContain('value="9.00"');
  });
});

describe("the local provider", () => {
  it("charges the total the checkout showed, and pays royalties on the items alone", async () => {
    const { buyer, designer } = await buyerWithTees(2);
    const shown = await settle(async () =>
      (await import("~/routes/cart")).loader({
        request: getRequest("/cart?country=CA&region=ON", { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    const placed = await checkout(buyer.cookie, toronto);
    expect(placed.status).toBe(302);
    const [order] = await db.select().from(orders);
    expect(placed.response!.headers.get("Location")).toBe(`/orders/${order!.id}/pay`);
    expect(order).toMatchObject({
      subtotalCents: 5000,
      shippingCents: 1200,
      taxCents: 806,
      taxSource: "rates",
      creditCents: 0,
      amountDueCents: shown.data.quote.totals.amountDueCents,
      shippingRegion: "ON",
    });

    const { loader: payLoader, action: payAction } = await import("~/routes/orders.$id_.pay");
    const pay = await settle(() =>
      payLoader({
        request: getRequest(`/orders/${order!.id}/pay`, { cookie: buyer.cookie }),
        params: { id: order!.id },
        context: context(),
      }),
    );
    expect(pay.data.order.totals).toMatchObject({ shippingCents: 1200, taxCents: 806, amountDueCents: 7006 });
    await settle(() =>
      payAction({
        request: formRequest(`/orders/${order!.id}/pay`, {}, { cookie: buyer.cookie }),
        params: { id: order!.id },
        context: context(),
      }),
    );

    const { loader: orderLoader } = await import("~/routes/orders.$id");
    const page = await settle(() =>
      orderLoader({
        request: getRequest(`/orders/${order!.id}`, { cookie: buyer.cookie }),
        params: { id: order!.id },
        context: context(),
      }),
    );
    expect(page.data.order.status).toBe("paid");
    expect(page.data.totals).toMatchObject({
      subtotalCents: 5000,
      shippingCents: 1200,
      taxCents: 806,
      totalCents: 7006,
    });
    expect(page.data.place).toEqual({ lines: ["Lucy Maud", "100 Queen St W", "Toronto ON M5H 2N2", "Canada"] });
    // 10% of the items' 5000, not of the 7006 paid.
    const royalties = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, designer.id));
    expect(royalties.map((r) => r.amountCents)).toEqual([500]);
  });

  it("lets store credit pay the whole total, shipping and tax included", async () => {
    const { buyer } = await buyerWithTees(1, { credit: 10_000 });
    const placed = await checkout(buyer.cookie, { ...toronto, useCredit: "on" });
    expect(placed.status).toBe(302);
    // 2500 + 900 shipping + 13% of 3400 = 442 → 3842, all from credit.
    expect((await db.select().from(orders))[0]).toMatchObject({
      status: "paid",
      shippingCents: 900,
      taxCents: 442,
      creditCents: 3842,
      amountDueCents: 0,
    });
  });
});

describe("saved addresses", () => {
  it("keeps an address at checkout, starts the next checkout from it, and lets its owner alone remove it", async () => {
    const { buyer } = await buyerWithTees(1);
    const first = await checkout(buyer.cookie, { ...toronto, saveAddress: "on" });
    expect(first.status).toBe(302);
    const [saved] = await db.select().from(savedAddresses);
    expect(saved).toMatchObject({ userId: buyer.user.id, ...toronto });

    // Next time: the form starts from it, and the quote is for its destination.
    const designer = await createUser();
    const { tee } = await createWinningDesign({ title: "Again", seed: 1300, designerId: designer.id });
    const [variant] = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id));
    await addToCart(await cartOfUser(buyer.user.id), variant!.id, 1);
    const page = await checkoutPage(buyer.cookie);
    expect(page.data.startAddress).toMatchObject({ id: saved!.id, ...toronto, place: "Toronto, Ontario, Canada" });
    expect(page.data.quote.totals).toMatchObject({ shippingCents: 900, taxCents: 442 });
    expect((await checkoutPage(buyer.cookie, "?address=new")).data.startAddress).toBeNull();
    // The same address saved again is kept once.
    await checkout(buyer.cookie, { ...toronto, saveAddress: "on" });
    expect(await db.select().from(savedAddresses)).toHaveLength(1);

    const { action: addressesAction, loader: addressesLoader } = await import("~/routes/settings_.addresses");
    const stranger = await createLoggedInUser();
    const theirs = await settle(() =>
      addressesAction({
        request: formRequest(
          "/settings/addresses",
          { intent: "remove", addressId: saved!.id },
          { cookie: stranger.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(theirs.status).toBe(404);
    const listed = await settle(() =>
      addressesLoader({
        request: getRequest("/settings/addresses", { cookie: buyer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(listed.data.addresses.map((a: { id: string }) => a.id)).toEqual([saved!.id]);
    const removed = await settle(() =>
      addressesAction({
        request: formRequest(
          "/settings/addresses",
          { intent: "remove", addressId: saved!.id },
          { cookie: buyer.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(removed.status).toBe(302);
    expect(await db.select().from(savedAddresses)).toHaveLength(0);
  });
});

describe("the admin page", () => {
  it("is for admins only, and refuses a country already in another zone on its field", async () => {
    const { loader, action } = await import("~/routes/admin.shipping");
    const member = await createLoggedInUser();
    expect(
      (
        await settle(() =>
          loader({ request: getRequest("/admin/shipping", { cookie: member.cookie }), params: {}, context: context() }),
        )
      ).status,
    ).toBe(403);
    const zoneFields = {
      intent: "save-zone",
      name: "North America",
      countries: "mx, CA",
      freeShippingOver: "",
      "rates.tee.first": "6",
      "rates.tee.additional": "2.50",
      "rates.poster.first": "9",
      "rates.poster.additional": "4",
    };
    const asMember = await settle(() =>
      action({
        request: formRequest("/admin/shipping", zoneFields, { cookie: member.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(asMember.status).toBe(403);

    const admin = await createLoggedInUser({ role: "admin" });
    const taken = await settle(() =>
      action({
        request: formRequest("/admin/shipping", zoneFields, { cookie: admin.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(taken.status).toBe(400);
    expect(taken.data.result.error.countries).toEqual(["Already in another zone: CA (Canada)"]);
    const added = await settle(() =>
      action({
        request: formRequest("/admin/shipping", { ...zoneFields, countries: "MX" }, { cookie: admin.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(added.status).toBe(302);
    const page = await settle(() =>
      loader({ request: getRequest("/admin/shipping", { cookie: admin.cookie }), params: {}, context: context() }),
    );
    expect(page.data.zones.find((z: { name: string }) => z.name === "North America")).toMatchObject({
      countries: ["MX"],
      freeShippingOverCents: null,
      rates: {
        tee: { firstItemCents: 600, additionalItemCents: 250 },
        poster: { firstItemCents: 900, additionalItemCents: 400 },
      },
    });

    const badRegion = await settle(() =>
      action({
        request: formRequest(
          "/admin/shipping",
          { intent: "save-tax", country: "US", region: "ZZ", percent: "7" },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(badRegion.data.result.error.region).toEqual(["Not a region code of United States"]);
    await settle(() =>
      action({
        request: formRequest(
          "/admin/shipping",
          { intent: "save-tax", country: "us", region: "wa", percent: "6.5" },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(
      (
        await settle(() =>
          loader({ request: getRequest("/admin/shipping", { cookie: admin.cookie }), params: {}, context: context() }),
        )
      ).data.taxRates,
    ).toContainEqual(expect.objectContaining({ country: "US", region: "WA", rateBps: 650, regionName: "Washington" }));
  });

  it("asks before deleting a zone or a tax rate, naming what goes, and changes nothing until confirmed", async () => {
    const { loader, action } = await import("~/routes/admin.shipping");
    const admin = await createLoggedInUser({ role: "admin" });
    const post = (fields: Record<string, string>) =>
      settle(() =>
        action({
          request: formRequest("/admin/shipping", fields, { cookie: admin.cookie }),
          params: {},
          context: context(),
        }),
      );
    const read = async () =>
      (
        await settle(() =>
          loader({ request: getRequest("/admin/shipping", { cookie: admin.cookie }), params: {}, context: context() }),
        )
      ).data;
    await post({
      intent: "save-zone",
      name: "Islands",
      countries: "IS",
      freeShippingOver: "",
      "rates.tee.first": "6",
      "rates.tee.additional": "2",
      "rates.poster.first": "9",
      "rates.poster.additional": "4",
    });
    await post({ intent: "save-tax", country: "IS", region: "", percent: "24" });
    const zone = (await read()).zones.find((z: { name: string }) => z.name === "Islands")!;

    const askZone = await post({ intent: "delete-zone", zoneId: zone.id });
    expect(askZone.status).toBe(200);
    expect(askZone.data.confirm.question).toBe(
      "Delete the shipping zone “Islands”? Buyers in Iceland can no longer order until another zone covers them.",
    );
    const askTax = await post({ intent: "delete-tax", country: "IS", region: "" });
    expect(askTax.data.confirm.question).toContain("Remove the 24% tax rate for all of Iceland?");
    // A confirmation for something else is asked again, not obeyed.
    expect((await post({ intent: "delete-zone", zoneId: zone.id, confirmed: "IS:" })).data.confirm).toBeDefined();
    expect((await read()).zones.map((z: { name: string }) => z.name)).toContain("Islands");
    expect((await read()).taxRates).toContainEqual(expect.objectContaining({ country: "IS", rateBps: 2400 }));

    expect((await post({ intent: "delete-zone", zoneId: zone.id, confirmed: zone.id })).status).toBe(302);
    expect((await post({ intent: "delete-tax", country: "IS", region: "", confirmed: "IS:" })).status).toBe(302);
    const after = await read();
    expect(after.zones.map((z: { name: string }) => z.name)).not.toContain("Islands");
    expect(after.taxRates.filter((t: { country: string }) => t.country === "IS")).toEqual([]);
    // A zone that is gone is a 404 for the question too.
    expect((await post({ intent: "delete-zone", zoneId: zone.id })).status).toBe(404);
  });
});

describe("with Stripe", () => {
  const WEBHOOK_SECRET = "whsec_test_crowdthread";
  let double: Awaited<ReturnType<typeof startStripeDouble>>;
  const stripe = new Stripe("sk_test_crowdthread");

  beforeAll(async () => {
    double = await startStripeDouble();
    Object.assign(process.env, {
      STRIPE_SECRET_KEY: "sk_test_crowdthread",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PORT: String(double.port),
      STRIPE_API_PROTOCOL: "http",
    });
    resetEnvCache();
    forgetSingleton("stripe");
  });

  afterAll(async () => {
    for (const key of [
      "STRIPE_SECRET_KEY",
      "STRIPE_WEBHOOK_SECRET",
      "STRIPE_API_HOST",
      "STRIPE_API_PORT",
      "STRIPE_API_PROTOCOL",
      "STRIPE_AUTOMATIC_TAX",
    ])
      delete process.env[key];
    resetEnvCache();
    forgetSingleton("stripe");
    await double.close();
  });

  function automaticTax(on: boolean) {
    if (on) process.env.STRIPE_AUTOMATIC_TAX = "true";
    else delete process.env.STRIPE_AUTOMATIC_TAX;
    resetEnvCache();
  }

  function sessionRequest() {
    const calls = double.received.filter((r) => r.path === "/v1/checkout/sessions");
    return calls[calls.length - 1]!.form;
  }

  async function deliverCompleted(orderId: string, session: Record<string, unknown>) {
    const payload = JSON.stringify({
      id: `evt_completed_${orderId}`,
      object: "event",
      api_version: "2024-06-20",
      created: Math.floor(Date.now() / 1000),
      type: "checkout.session.completed",
      data: {
        object: {
          id: `cs_${orderId}`,
          object: "checkout.session",
          payment_status: "paid",
          payment_intent: `pi_${orderId}`,
          metadata: { orderId },
          client_reference_id: orderId,
          ...session,
        },
      },
    });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const { action } = await import("~/routes/webhooks.stripe");
    return (await action({
      request: new Request("http://localhost:3000/webhooks/stripe", {
        method: "POST",
        headers: { "Stripe-Signature": header, "Content-Type": "application/json" },
        body: payload,
      }),
      params: {},
      context: context(),
    })) as Response;
  }

  it("sends the shipping and tax lines, so Checkout charges what the order says, credit included", async () => {
    automaticTax(false);
    const { buyer } = await buyerWithTees(2, { credit: 1000 });
    const started = await checkout(buyer.cookie, { ...toronto, useCredit: "on" });
    expect(started.status).toBe(302);
    const [order] = await db.select().from(orders);
    expect(order).toMatchObject({
      provider: "stripe",
      shippingCents: 1200,
      taxCents: 806,
      creditCents: 1000,
      amountDueCents: 6006,
    });
    const f = sessionRequest();
    expect(f.get("line_items[0][price_data][unit_amount]")).toBe("2500");
    expect(f.get("line_items[0][quantity]")).toBe("2");
    expect(f.get("line_items[1][price_data][product_data][name]")).toBe("Shipping");
    expect(f.get("line_items[1][price_data][unit_amount]")).toBe("1200");
    expect(f.get("line_items[2][price_data][product_data][name]")).toBe("Tax");
    expect(f.get("line_items[2][price_data][unit_amount]")).toBe("806");
    expect(f.has("automatic_tax[enabled]")).toBe(false);
    const [coupon] = double.received.filter((r) => r.path === "/v1/coupons");
    expect(coupon!.form.get("amount_off")).toBe("1000");
    // The lines less the coupon: 5000 + 1200 + 806 − 1000 = the order's amount due.
    expect(2 * 2500 + 1200 + 806 - 1000).toBe(order!.amountDueCents);
  });

  it("asks Stripe Tax for the tax with STRIPE_AUTOMATIC_TAX, and records the tax the completed session reports", async () => {
    automaticTax(true);
    try {
      const { buyer, designer } = await buyerWithTees(2);
      const page = await checkoutPage(buyer.cookie);
      expect(page.data.taxByProvider).toBe(true);
      expect(page.data.quote.totals).toMatchObject({ shippingCents: 700, taxCents: 0, taxPending: true });
      await checkout(buyer.cookie, brooklyn);
      const [order] = await db.select().from(orders);
      expect(order).toMatchObject({ taxSource: "stripe", shippingCents: 700, taxCents: 0, amountDueCents: 5700 });
      const f = sessionRequest();
      expect(f.get("automatic_tax[enabled]")).toBe("true");
      expect(f.get("line_items[0][price_data][tax_behavior]")).toBe("exclusive");
      expect(f.get("line_items[1][price_data][product_data][name]")).toBe("Shipping");
      expect(f.get("line_items[1][price_data][unit_amount]")).toBe("700");
      expect(f.get("line_items[1][price_data][product_data][tax_code]")).toBe("txcd_92010001");
      // No tax line of our own: Stripe works it out.
      expect(f.has("line_items[2][price_data][unit_amount]")).toBe(false);

      const response = await deliverCompleted(order!.id, {
        amount_subtotal: 5700,
        amount_total: 6206,
        total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 506 },
      });
      expect(response.status).toBe(200);
      expect((await db.select().from(orders))[0]).toMatchObject({
        status: "paid",
        taxCents: 506,
        amountDueCents: 6206,
      });
      // Royalties: 10% of the items' 5000, whatever the tax.
      const royalties = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, designer.id));
      expect(royalties.map((r) => r.amountCents)).toEqual([500]);
    } finally {
      automaticTax(false);
    }
  });
});
