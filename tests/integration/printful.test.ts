import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  fulfilmentJobs,
  ledgerEntries,
  notifications,
  orders,
  outgoingMail,
  printfulEvents,
  productVariants,
} from "#db/schema";
import {
  createLoggedInUser,
  createShippingZone,
  createTaxRate,
  createUser,
  createWinningDesign,
  shipFreelyTo,
} from "#tests/factories/index";
import { postAdminOrder, refundAsAdmin } from "#tests/support/admin-orders";
import { packageShipped, startPrintfulDouble } from "#tests/support/printful-double";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { addToCart, cartOfUser } from "~/domain/cart.server";
import { sendDueFulfilment } from "~/domain/fulfilment.server";
import { markOrderPaid, placeOrder } from "~/domain/orders.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";

const API_KEY = "pf_test_token_crowdthread_0123456789";
const WEBHOOK_SECRET = "pf_hook_secret_crowdthread_0123456789";
const STORE_ID = "4242001";
let double: Awaited<ReturnType<typeof startPrintfulDouble>>;

const PRINTFUL_ENV = ["PRINTFUL_API_KEY", "PRINTFUL_STORE_ID", "PRINTFUL_WEBHOOK_SECRET", "PRINTFUL_API_URL"];

beforeAll(async () => {
  double = await startPrintfulDouble();
  Object.assign(process.env, {
    PRINTFUL_API_KEY: API_KEY,
    PRINTFUL_STORE_ID: STORE_ID,
    PRINTFUL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    PRINTFUL_API_URL: double.url,
  });
  resetEnvCache();
});

afterAll(async () => {
  for (const key of PRINTFUL_ENV) delete process.env[key];
  resetEnvCache();
  await double.close();
});

beforeEach(async () => {
  double.reset();
  await shipFreelyTo("US");
});

const shipping = {
  name: "Grace Hopper",
  line1: "1 Compiler Row",
  line2: "Suite 2",
  city: "Arlington",
  region: "VA",
  postalCode: "22201",
  country: "US",
};

/** An admin fills in the Printful variant table through its page. */
async function mapVariants(cookie: string, fields: Record<string, string>) {
  const { action } = await import("~/routes/admin.printful");
  return settle(() =>
    action({
      request: formRequest("/admin/printful", { intent: "save", ...fields }, { cookie }),
      params: {},
      context: context(),
    }),
  );
}

/** A paid order of 2 × M and 1 × L tees; M and L mapped to Printful variants unless `unmapped`. */
async function paidOrder(options: { map?: boolean } = {}) {
  const designer = await createUser();
  const { tee } = await createWinningDesign({
    title: "Bug Hunt",
    seed: 1310,
    designerId: designer.id,
    round: { prizeCents: 0, royaltyBps: 1000 },
  });
  const variants = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id));
  const admin = await createLoggedInUser({ role: "admin" });
  if (options.map !== false)
    expect((await mapVariants(admin.cookie, { "variant:tee:M": "4012", "variant:tee:L": "4013" })).status).toBe(302);
  const buyer = await createLoggedInUser();
  const cartId = await cartOfUser(buyer.user.id);
  await addToCart(cartId, variants.find((v) => v.size === "M")!.id, 2);
  await addToCart(cartId, variants.find((v) => v.size === "L")!.id, 1);
  const placed = await placeOrder(buyer.user.id, cartId, shipping);
  if (!placed.ok) throw new Error(placed.message);
  const orderId = placed.value.orderId;
  await markOrderPaid(orderId, { reference: "local:test" });
  return { orderId, buyer, admin, tee, externalId: orderId.replace(/-/g, "") };
}

const orderRow = async (orderId: string) => (await db.select().from(orders).where(eq(orders.id, orderId)))[0]!;
const jobOf = async (orderId: string) =>
  (await db.select().from(fulfilmentJobs).where(eq(fulfilmentJobs.orderId, orderId)))[0];
const calls = () => double.received.map((r) => `${r.method} ${r.path}`);

async function deliver(body: unknown, token: string | null = WEBHOOK_SECRET) {
  const { action } = await import("~/routes/webhooks.printful");
  const url = `http://localhost:3000/webhooks/printful${token === null ? "" : `?token=${encodeURIComponent(token)}`}`;
  const request = new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return settle(() => action({ request, params: {}, context: context() }));
}

describe("sending paid orders to Printful", () => {
  it("queues a paid order, then creates it at Printful with the address, variants and print files, and confirms it", async () => {
    const { orderId, tee, externalId } = await paidOrder();
    // Paying queued it, in the payment's transaction; nothing was sent during the payment.
    expect(await jobOf(orderId)).toMatchObject({ status: "queued", provider: "printful", attempts: 0 });
    expect(double.received).toHaveLength(0);

    expect(await sendDueFulfilment()).toMatchObject({ sent: 1, failed: 0 });
    expect(calls()).toEqual(["POST /orders", "POST /orders/90000001/confirm"]);
    const [create] = double.received;
    expect(create!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(create!.headers["x-pf-store-id"]).toBe(STORE_ID);
    expect(create!.body).toMatchObject({
      external_id: externalId,
      recipient: {
        name: "Grace Hopper",
        address1: "1 Compiler Row",
        address2: "Suite 2",
        city: "Arlington",
        state_code: "VA",
        country_code: "US",
        zip: "22201",
      },
    });
    expect(create!.body.retail_costs).toEqual({
      currency: "USD",
      subtotal: "75.00",
      discount: "0.00",
      shipping: "0.00",
      tax: "0.00",
    });
    const items = create!.body.items as {
      variant_id: number;
      quantity: number;
      name: string;
      files: { url: string }[];
    }[];
    expect(items.map((i) => [i.variant_id, i.quantity, i.name]).sort()).toEqual([
      [4012, 2, "Bug Hunt T-shirt (M)"],
      [4013, 1, "Bug Hunt T-shirt (L)"],
    ]);
    // Each item's print file is a signed link Printful can download without a session.
    const fileUrl = new URL(items[0]!.files[0]!.url);
    expect(fileUrl.origin).toBe("http://localhost:3000");
    expect(fileUrl.pathname).toBe(`/print-files/${tee.id}`);
    const { loader } = await import("~/routes/print-files.$productId");
    const fetchFile = (search: string) =>
      settle(() =>
        loader({
          request: getRequest(`/print-files/${tee.id}${search}`),
          params: { productId: tee.id },
          context: context(),
        }),
      );
    const file = await fetchFile(fileUrl.search);
    expect(file.status).toBe(200);
    expect(file.response!.headers.get("Content-Type")).toBe("image/png");
    // Without the signature, with another one, or for another product: refused.
    expect((await fetchFile("")).status).toBe(403);
    expect((await fetchFile(fileUrl.search.replace(/signature=[^&]+/, `signature=${"A".repeat(43)}`))).status).toBe(
      403,
    );
    expect((await fetchFile(fileUrl.search.replace(/expires=\d+/, "expires=1"))).status).toBe(403);

    expect(await jobOf(orderId)).toMatchObject({ status: "sent", externalId: "90000001", lastError: null });
    expect(await orderRow(orderId)).toMatchObject({ status: "paid", fulfilment: "in_production" });
    expect(double.orders.get(90000001)!.status).toBe("pending");
    // Sent once: the next tick has nothing to do.
    expect(await sendDueFulfilment()).toMatchObject({ sent: 0 });
    expect(calls()).toHaveLength(2);
  });

  it("declares the parcel at its full value, shipping and tax included, when store credit paid for it all", async () => {
    await createShippingZone({ name: "Canada", countries: ["CA"], tee: [900, 300] });
    await createTaxRate("CA", 1300, "ON");
    const designer = await createUser();
    const { tee } = await createWinningDesign({
      title: "Maple Leaf",
      seed: 1311,
      designerId: designer.id,
      round: { prizeCents: 0, royaltyBps: 1000 },
    });
    const admin = await createLoggedInUser({ role: "admin" });
    expect((await mapVariants(admin.cookie, { "variant:tee:M": "4012" })).status).toBe(302);
    const buyer = await createUser();
    // More credit than the $25.00 tee: it pays the tee, the $9.00 shipping and the $4.42 tax.
    await db.insert(ledgerEntries).values({
      userId: buyer.id,
      kind: "prize",
      amountCents: 10_000,
      currency: "usd",
      causeKey: `test:${buyer.id}`,
    });
    const [medium] = await db
      .select()
      .from(productVariants)
      .where(and(eq(productVariants.productId, tee.id), eq(productVariants.size, "M")));
    const cartId = await cartOfUser(buyer.id);
    await addToCart(cartId, medium!.id, 1);
    const toronto = { ...shipping, city: "Toronto", region: "ON", postalCode: "M5H 2N2", country: "CA" };
    const placed = await placeOrder(buyer.id, cartId, toronto, { useCredit: true });
    if (!placed.ok) throw new Error(placed.message);
    expect(placed.value.paid).toBe(true);
    expect(await orderRow(placed.value.orderId)).toMatchObject({
      subtotalCents: 2500,
      shippingCents: 900,
      taxCents: 442,
      creditCents: 3842,
      amountDueCents: 0,
    });

    expect(await sendDueFulfilment()).toMatchObject({ sent: 1, failed: 0 });
    // Credit is a way of paying, not a discount: the packing slip and customs see $38.42, never less than nothing.
    expect(double.received[0]!.body.retail_costs).toEqual({
      currency: "USD",
      subtotal: "25.00",
      discount: "0.00",
      shipping: "9.00",
      tax: "4.42",
    });
  });

  it("holds an order with a size that has no Printful variant until an admin maps it and sends it", async () => {
    const { orderId, admin } = await paidOrder({ map: false });
    await mapVariants(admin.cookie, { "variant:tee:M": "4012" });
    expect(await sendDueFulfilment()).toMatchObject({ failed: 1 });
    expect(double.received).toHaveLength(0);
    expect(await jobOf(orderId)).toMatchObject({
      status: "failed",
      lastError: expect.stringContaining("No Printful variant is set for T-shirt L"),
    });
    // A garbage id in the table is refused and changes nothing.
    expect((await mapVariants(admin.cookie, { "variant:tee:M": "4012", "variant:tee:L": "-3" })).status).toBe(302);
    const { loader } = await import("~/routes/admin.printful");
    const table = await settle(() =>
      loader({ request: getRequest("/admin/printful", { cookie: admin.cookie }), params: {}, context: context() }),
    );
    expect(
      table.data.rows.filter((r: { variantId: number | null }) => r.variantId).map((r: { size: string }) => r.size),
    ).toEqual(["M"]);

    await mapVariants(admin.cookie, { "variant:tee:M": "4012", "variant:tee:L": "4013" });
    const sent = await postAdminOrder(orderId, { intent: "send-to-printful" }, admin.cookie);
    expect(sent.status).toBe(302);
    expect(calls()).toEqual([
      "GET /orders/@" + orderId.replace(/-/g, ""),
      "POST /orders",
      "POST /orders/90000001/confirm",
    ]);
    expect(await jobOf(orderId)).toMatchObject({ status: "sent", externalId: "90000001" });
    // Pressing it again does not send a second order.
    expect((await postAdminOrder(orderId, { intent: "send-to-printful" }, admin.cookie)).status).toBe(302);
    expect(calls()).toHaveLength(3);
    // Members cannot send or map anything.
    const member = await createLoggedInUser();
    expect((await postAdminOrder(orderId, { intent: "send-to-printful" }, member.cookie)).status).toBe(403);
    expect((await mapVariants(member.cookie, { "variant:tee:M": "1" })).status).toBe(403);
  });

  it("retries while Printful is down, and never creates an order twice when an answer was lost", async () => {
    const { orderId, externalId } = await paidOrder();
    double.failNext(1, 503, "Service unavailable");
    const now = new Date();
    expect(await sendDueFulfilment({ now })).toMatchObject({ retrying: 1 });
    const waiting = await jobOf(orderId);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1, lastError: expect.stringContaining("503") });
    expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
    // Not due yet.
    expect(await sendDueFulfilment({ now })).toMatchObject({ retrying: 0, sent: 0 });

    // Printful creates the order, but its answer never arrives.
    double.loseNextCreateAnswer();
    const later = new Date(now.getTime() + 10 * 60_000);
    expect(await sendDueFulfilment({ now: later })).toMatchObject({ retrying: 1 });
    expect(double.orders.size).toBe(1);

    // The next attempt finds it by our id and confirms it, rather than creating another.
    double.received.length = 0;
    expect(await sendDueFulfilment({ now: new Date(later.getTime() + 60 * 60_000) })).toMatchObject({ sent: 1 });
    expect(calls()).toEqual([`GET /orders/@${externalId}`, "POST /orders/90000001/confirm"]);
    expect(double.orders.size).toBe(1);
    expect(await jobOf(orderId)).toMatchObject({ status: "sent", externalId: "90000001" });
  });

  it("sends nothing for an order refunded before its turn, and a refusal waits for an admin", async () => {
    const first = await paidOrder();
    await refundAsAdmin(first.orderId, first.admin.cookie);
    expect(await sendDueFulfilment()).toMatchObject({ cancelled: 1 });
    expect(double.received).toHaveLength(0);
    expect(await jobOf(first.orderId)).toMatchObject({ status: "cancelled" });

    const second = await paidOrder();
    double.failNext(1, 400, "Recipient: Invalid address");
    expect(await sendDueFulfilment()).toMatchObject({ failed: 1 });
    expect(await jobOf(second.orderId)).toMatchObject({
      status: "failed",
      lastError: "Printful answered 400: Recipient: Invalid address",
    });
    const { loader } = await import("~/routes/admin.orders_.$id");
    const seen = await settle(() =>
      loader({
        request: getRequest(`/admin/orders/${second.orderId}`, { cookie: second.admin.cookie }),
        params: { id: second.orderId },
        context: context(),
      }),
    );
    expect(seen.data).toMatchObject({ fulfilmentProvider: "printful", order: { job: { status: "failed" } } });
  });
});

describe("Printful's package_shipped webhook", () => {
  const shippedAt = new Date("2026-05-04T10:00:00Z");

  it("marks the order shipped with carrier, tracking number and link, and tells the buyer", async () => {
    const { orderId, buyer, externalId } = await paidOrder();
    await sendDueFulfilment();
    const event = packageShipped({ externalId, shipmentId: 501, trackingNumber: "9400111899223817612345", shippedAt });
    const answer = await deliver(event);
    expect(answer.status).toBe(200);
    expect(await answer.response!.json()).toEqual({ received: true, outcome: "shipped" });
    expect(await orderRow(orderId)).toMatchObject({
      fulfilment: "shipped",
      carrier: "USPS",
      trackingNumber: "9400111899223817612345",
      trackingUrl: "https://myorders.printful.test/tracking/9400111899223817612345",
      shippedAt,
    });
    const bell = await db.select().from(notifications).where(eq(notifications.userId, buyer.user.id));
    expect(bell.map((n) => n.title)).toContain(`Your order ${orderId.slice(0, 8)} has shipped with USPS`);
    const [mail] = await db.select().from(outgoingMail).where(eq(outgoingMail.category, "order_shipped"));
    expect(mail).toMatchObject({ toAddress: buyer.user.email });
    expect(mail!.textBody).toContain("Track it: https://myorders.printful.test/tracking/9400111899223817612345");
  });

  it("refuses a forged webhook and changes nothing", async () => {
    const { orderId, externalId } = await paidOrder();
    const event = packageShipped({ externalId, shipmentId: 502, trackingNumber: "FORGED", shippedAt });
    for (const token of [null, "", "wrong-token", WEBHOOK_SECRET.slice(0, -1)]) {
      const answer = await deliver(event, token);
      expect(answer.status).toBe(403);
      expect(await answer.response!.text()).toMatch(/needs its token/);
    }
    // Garbage with the right token is a 400.
    expect((await deliver("{not json")).status).toBe(400);
    expect((await deliver({ type: "package_shipped", created: 1, data: {} })).status).toBe(400);
    expect(await orderRow(orderId)).toMatchObject({ fulfilment: "unfulfilled", trackingNumber: null });
    expect(await db.select().from(printfulEvents)).toHaveLength(0);
    // Unconfigured, the endpoint is not there at all.
    delete process.env.PRINTFUL_API_KEY;
    resetEnvCache();
    try {
      expect((await deliver(event)).status).toBe(404);
    } finally {
      process.env.PRINTFUL_API_KEY = API_KEY;
      resetEnvCache();
    }
  });

  it("answers a duplicate as such and tells the buyer once", async () => {
    const { orderId, buyer, externalId } = await paidOrder();
    const event = packageShipped({ externalId, shipmentId: 503, trackingNumber: "1Z999", shippedAt });
    expect(await (await deliver(event)).response!.json()).toEqual({ received: true, outcome: "shipped" });
    const retried = { ...event, retries: 1 };
    expect(await (await deliver(retried)).response!.json()).toEqual({ received: true, outcome: "duplicate" });
    const shippedNotes = (await db.select().from(notifications).where(eq(notifications.userId, buyer.user.id))).filter(
      (n) => n.kind === "order_shipped",
    );
    expect(shippedNotes).toHaveLength(1);
    expect(await db.select().from(printfulEvents)).toEqual([
      expect.objectContaining({ id: "package_shipped:503", outcome: "shipped" }),
    ]);
    expect((await orderRow(orderId)).trackingNumber).toBe("1Z999");
  });

  it("applies events in any order: before the order was sent, and never an older parcel over a newer one", async () => {
    const { orderId, externalId } = await paidOrder();
    // Printful's word arrives before our own tick sent the order: it is shipped all the same.
    const reshipped = packageShipped({
      externalId,
      shipmentId: 602,
      trackingNumber: "NEWER",
      carrier: "DHL",
      trackingUrl: null,
      shippedAt: new Date(shippedAt.getTime() + 3 * 86_400_000),
    });
    expect(await (await deliver(reshipped)).response!.json()).toEqual({ received: true, outcome: "shipped" });
    // No URL from Printful: the carrier's own page.
    expect(await orderRow(orderId)).toMatchObject({
      fulfilment: "shipped",
      trackingNumber: "NEWER",
      trackingUrl: expect.stringMatching(/^https:\/\/www\.dhl\.com\/.*tracking-id=NEWER$/),
    });
    expect(await jobOf(orderId)).toMatchObject({ status: "sent" });
    // So the tick sends nothing.
    expect(await sendDueFulfilment()).toMatchObject({ sent: 0 });
    expect(double.received).toHaveLength(0);

    // The first parcel's event, delayed, is older than what is recorded: it changes nothing.
    const first = packageShipped({ externalId, shipmentId: 601, trackingNumber: "OLDER", shippedAt });
    expect(await (await deliver(first)).response!.json()).toEqual({ received: true, outcome: "stale" });
    expect(await orderRow(orderId)).toMatchObject({ trackingNumber: "NEWER", carrier: "DHL" });

    // A delivered order stays delivered.
    await db.update(orders).set({ fulfilment: "delivered" }).where(eq(orders.id, orderId));
    const later = packageShipped({
      externalId,
      shipmentId: 603,
      trackingNumber: "LATEST",
      shippedAt: new Date(shippedAt.getTime() + 9 * 86_400_000),
    });
    expect(await (await deliver(later)).response!.json()).toEqual({ received: true, outcome: "stale" });
    expect(await orderRow(orderId)).toMatchObject({ fulfilment: "delivered", trackingNumber: "NEWER" });
  });

  it("does not ship a refunded order, nor one that is not ours", async () => {
    const { orderId, admin, externalId } = await paidOrder();
    await refundAsAdmin(orderId, admin.cookie);
    const event = packageShipped({ externalId, shipmentId: 701, trackingNumber: "LATE", shippedAt });
    expect(await (await deliver(event)).response!.json()).toEqual({ received: true, outcome: "not-shippable" });
    expect(await orderRow(orderId)).toMatchObject({
      status: "refunded",
      fulfilment: "unfulfilled",
      trackingNumber: null,
    });
    const stranger = packageShipped({
      externalId: "somebody-else-42",
      shipmentId: 702,
      trackingNumber: "X",
      shippedAt,
    });
    expect(await (await deliver(stranger)).response!.json()).toEqual({ received: true, outcome: "not ours" });
    const otherStore = packageShipped({ externalId, shipmentId: 703, trackingNumber: "Y", shippedAt, store: 1 });
    expect(await (await deliver(otherStore)).response!.json()).toEqual({
      received: true,
      outcome: "other store: ignored",
    });
    expect(await (await deliver({ type: "order_updated", created: 1, store: 4242001 })).response!.json()).toEqual({
      received: true,
      outcome: "ignored",
    });
  });
});
