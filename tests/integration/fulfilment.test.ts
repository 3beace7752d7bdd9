import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ledgerEntries,
  notifications,
  orderItems,
  orders,
  outgoingMail,
  payoutRequests,
  productVariants,
  submissions,
} from "#db/schema";
import { createLoggedInUser, createUser, createWinningDesign, shipFreelyTo } from "#tests/factories/index";
import { postAdminOrder, refundAsAdmin } from "#tests/support/admin-orders";
import { renderPage } from "#tests/support/render-page";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { addToCart, cartOfUser } from "~/domain/cart.server";
import { saveNotificationPrefs } from "~/domain/notifications.server";
import { cancelOrder, cancelOrderOfBuyer, markOrderPaid, placeOrder } from "~/domain/orders.server";
import { markPayoutPaid } from "~/domain/payouts.server";
import { db } from "~/lib/db.server";
import { createSession } from "~/lib/session.server";

const shipping = {
  name: "Ada Lovelace",
  line1: "12 Analytical Way",
  line2: "Flat 3",
  city: "London",
  region: "",
  postalCode: "N1 9GU",
  country: "GB",
};

beforeEach(() => shipFreelyTo("GB"));

/** A buyer's paid order of 2 × M and 1 × 2XL tees ($50 + $28), $20 of it paid with store credit. */
async function paidOrder(options: { paid?: boolean; credit?: number } = {}) {
  const designer = await createUser();
  const { tee, submissionId } = await createWinningDesign({
    title: "Owl Night",
    seed: 1210,
    designerId: designer.id,
    round: { prizeCents: 0, royaltyBps: 1500 },
  });
  const variants = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id));
  const buyer = await createLoggedInUser({ username: "ada", email: "ada@example.test" });
  const credit = options.credit ?? 2000;
  if (credit)
    await db.insert(ledgerEntries).values({
      userId: buyer.user.id,
      kind: "prize",
      amountCents: credit,
      currency: "usd",
      causeKey: `test:${buyer.user.id}`,
    });
  const cartId = await cartOfUser(buyer.user.id);
  await addToCart(cartId, variants.find((v) => v.size === "M")!.id, 2);
  await addToCart(cartId, variants.find((v) => v.size === "2XL")!.id, 1);
  const placed = await placeOrder(buyer.user.id, cartId, shipping, { useCredit: credit > 0 });
  if (!placed.ok) throw new Error(placed.message);
  const orderId = placed.value.orderId;
  if (options.paid !== false) await markOrderPaid(orderId, { reference: "local:test" });
  const admin = await createLoggedInUser({ role: "admin" });
  return { orderId, buyer, designer, admin, tee, submissionId };
}

/** The page as a browser gets it, with React's text separators (`<!-- -->`) taken out. */
async function page(path: string, cookie?: string, form?: Record<string, string>) {
  const request = form ? formRequest(path, form, { cookie }) : getRequest(path, { cookie });
  // A form post through Remix's handler is checked against the Host, as a browser's would be.
  request.headers.set("Host", "localhost:3000");
  const response = await renderPage(request);
  return { status: response.status, html: (await response.text()).replaceAll("<!-- -->", "") };
}

const bell = async (userId: string) =>
  (await db.select().from(notifications).where(eq(notifications.userId, userId))).map((n) => `${n.kind}: ${n.title}`);
const mailTo = async (address: string) =>
  db.select().from(outgoingMail).where(eq(outgoingMail.toAddress, address)).orderBy(outgoingMail.createdAt);

describe("the admin order page", () => {
  it("shows an admin the full address, each item's type, size and quantity, and its print file; nobody else", async () => {
    const { orderId, buyer, admin, tee } = await paidOrder();
    const { loader } = await import("~/routes/admin.orders_.$id");
    const load = (cookie?: string, id = orderId) =>
      settle(() =>
        loader({ request: getRequest(`/admin/orders/${id}`, { cookie }), params: { id }, context: context() }),
      );

    const seen = await load(admin.cookie);
    expect(seen.status).toBe(200);
    expect(seen.data.order).toMatchObject({
      shippingName: "Ada Lovelace",
      shippingLine1: "12 Analytical Way",
      shippingLine2: "Flat 3",
      shippingPostalCode: "N1 9GU",
      shippingCity: "London",
      shippingCountry: "GB",
      buyer: { username: "ada", email: "ada@example.test" },
    });
    expect(
      seen.data.order.items.map((i: { productType: string; size: string; quantity: number }) => [
        i.productType,
        i.size,
        i.quantity,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ["tee", "M", 2],
        ["tee", "2XL", 1],
      ]),
    );

    // What the admin's browser gets: the street, the postal code, the sizes and the print file links.
    const html = (await page(`/admin/orders/${orderId}`, admin.cookie)).html;
    for (const text of [
      "12 Analytical Way",
      "Flat 3",
      "N1 9GU",
      "Shipping</td>",
      "United Kingdom",
      "2XL",
      "Packing slip",
      "refund all that is left ($78.00)",
    ])
      expect(html).toContain(text);
    expect(html).toContain(`href="/admin/products/${tee.id}/print-file"`);
    expect(html).toContain(`href="/admin/orders/${orderId}/packing-slip"`);

    // The buyer (and any member) gets a 403, a visitor the log-in page, a bad or unknown id a 404.
    expect((await load(buyer.cookie)).status).toBe(403);
    expect((await load()).status).toBe(302);
    expect((await load(admin.cookie, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await load(admin.cookie, "not-an-id")).status).toBe(404);
    expect((await postAdminOrder(orderId, { intent: "refund" }, buyer.cookie)).status).toBe(403);

    // The print file itself stays admin-only.
    const { loader: printFile } = await import("~/routes/admin.products.$productId.print-file");
    const download = (cookie?: string) =>
      settle(() =>
        printFile({
          request: getRequest(`/admin/products/${tee.id}/print-file`, { cookie }),
          params: { productId: tee.id },
          context: context(),
        }),
      );
    expect((await download(admin.cookie)).status).toBe(200);
    expect((await download(buyer.cookie)).status).toBe(403);

    // The buyer's own page stays theirs: an admin who is not the buyer finds nothing there.
    const { loader: buyerPage } = await import("~/routes/orders.$id");
    const asBuyer = (cookie: string) =>
      settle(() =>
        buyerPage({
          request: getRequest(`/orders/${orderId}`, { cookie }),
          params: { id: orderId },
          context: context(),
        }),
      );
    expect((await asBuyer(buyer.cookie)).status).toBe(200);
    expect((await asBuyer(admin.cookie)).status).toBe(404);
  });

  it("prints a packing slip with the address and items and no prices, for admins only", async () => {
    const { orderId, buyer, admin } = await paidOrder();
    const slip = await page(`/admin/orders/${orderId}/packing-slip`, admin.cookie);
    expect(slip.status).toBe(200);
    for (const text of ["Packing slip", `Order ${orderId.slice(0, 8)}`, "Ada Lovelace", "12 Analytical Way", "N1 9GU"])
      expect(slip.html).toContain(text);
    expect(slip.html).toMatch(/>2<\/td><td[^>]*>Owl Night<\/td><td[^>]*>T-shirt<\/td><td[^>]*>M</);
    expect(slip.html).toMatch(/>1<\/td><td[^>]*>Owl Night<\/td><td[^>]*>T-shirt<\/td><td[^>]*>2XL</);
    expect(slip.html).not.toContain("$25.00");
    // The site's header and the admin menu are hidden from the printer.
    expect(slip.html).toMatch(/<header class="[^"]*print:hidden/);
    expect((await page(`/admin/orders/${orderId}/packing-slip`, buyer.cookie)).status).toBe(403);
  });

  it("lists orders to ship (paid, not yet shipped) and exports them as CSV, one row per item", async () => {
    const { orderId, buyer, admin, tee } = await paidOrder();
    // Another buyer's order, shipped already, and one not paid.
    const other = await createUser();
    const [item] = await db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).limit(1);
    const extra = async (status: "paid" | "pending_payment", fulfilment: "shipped" | "unfulfilled") => {
      const [row] = await db
        .insert(orders)
        .values({
          buyerId: other.id,
          status,
          fulfilment,
          currency: "usd",
          subtotalCents: 2500,
          amountDueCents: 2500,
          provider: "local",
          shippingName: "Not Me",
          shippingLine1: "1 Elsewhere",
          shippingCity: "Leeds",
          shippingPostalCode: "LS1 1AA",
          shippingCountry: "GB",
        })
        .returning({ id: orders.id });
      await db.insert(orderItems).values({ ...item!, id: undefined, orderId: row!.id, quantity: 1 });
      return row!.id;
    };
    const shipped = await extra("paid", "shipped");
    const unpaid = await extra("pending_payment", "unfulfilled");

    const { loader: list } = await import("~/routes/admin.orders");
    const tab = async (search: string) =>
      (
        await settle(() =>
          list({
            request: getRequest(`/admin/orders${search}`, { cookie: admin.cookie }),
            params: {},
            context: context(),
          }),
        )
      ).data.orders.items.map((o: { id: string }) => o.id);
    expect(await tab("?status=to_ship")).toEqual([orderId]);
    expect((await tab("")).sort()).toEqual([orderId, shipped, unpaid].sort());

    const { loader: csv } = await import("~/routes/admin.orders[.]csv");
    const exportCsv = (search: string, cookie?: string) =>
      settle(() =>
        csv({ request: getRequest(`/admin/orders.csv${search}`, { cookie }), params: {}, context: context() }),
      );
    const answer = await exportCsv("", admin.cookie);
    expect(answer.status).toBe(200);
    expect(answer.response!.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(answer.response!.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="crowdthread-orders-to-ship-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(answer.response!.body).toBeInstanceOf(ReadableStream);
    const lines = (await answer.response!.text()).trim().split("\n");
    expect(lines[0]).toBe(
      "order,paid_at,name,line1,line2,city,postal_code,country,product,product_type,size,quantity,print_file_url",
    );
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows.map((r) => [r[0], r[2], r[3], r[4], r[6], r[9], r[10], r[11]]).sort()).toEqual(
      [
        [orderId, "Ada Lovelace", "12 Analytical Way", "Flat 3", "N1 9GU", "T-shirt", "2XL", "1"],
        [orderId, "Ada Lovelace", "12 Analytical Way", "Flat 3", "N1 9GU", "T-shirt", "M", "2"],
      ].sort(),
    );
    expect(rows[0]![12]).toBe(`http://localhost:3000/admin/products/${tee.id}/print-file`);

    // Every tab exports; garbage is a 400; members get nothing.
    expect((await (await exportCsv("?status=all", admin.cookie)).response!.text()).trim().split("\n")).toHaveLength(5);
    expect((await exportCsv("?status=%00", admin.cookie)).status).toBe(400);
    expect((await exportCsv("", buyer.cookie)).status).toBe(403);
  });

  it("streams a long export a page at a time, every item once", async () => {
    const { orderId, admin } = await paidOrder();
    const [item] = await db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).limit(1);
    await db.insert(orderItems).values(Array.from({ length: 1100 }, () => ({ ...item!, id: undefined, quantity: 1 })));
    const { loader: csv } = await import("~/routes/admin.orders[.]csv");
    const answer = await settle(() =>
      csv({ request: getRequest("/admin/orders.csv", { cookie: admin.cookie }), params: {}, context: context() }),
    );
    const reader = answer.response!.body!.getReader();
    let chunks = 0;
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += new TextDecoder().decode(value);
    }
    // The header, then pages of 500 rows: 1102 rows take three pages.
    expect(chunks).toBe(4);
    expect(text.trim().split("\n")).toHaveLength(1 + 1102);
  });
});

describe("admin safety: destructive actions ask first, naming what they do", () => {
  it("a refund post without its confirmation changes nothing; the confirmed one refunds once", async () => {
    const { orderId, admin, designer } = await paidOrder();
    const royalties = async () =>
      (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, designer.id))).map((e) => e.amountCents);
    const before = await royalties();

    const asked = await postAdminOrder(orderId, { intent: "refund" }, admin.cookie);
    expect(asked.status).toBe(200);
    expect(asked.data.confirm).toMatchObject({
      intent: "refund",
      question: expect.stringMatching(
        /^Refund \$58\.00 to the payment \(local test provider: no money moves\) and \$20\.00 to store credit\?/,
      ),
      confirmLabel: "Yes, refund $78.00",
    });
    // A forged or stale confirmation (other amounts) only asks again.
    const forged = await postAdminOrder(orderId, { intent: "refund", confirmed: "1:1:usd" }, admin.cookie);
    expect(forged.status).toBe(200);
    expect(forged.data.confirm).toBeTruthy();
    expect((await db.select().from(orders).where(eq(orders.id, orderId)))[0]!.status).toBe("paid");
    expect(await royalties()).toEqual(before);

    // The page shows the question with its two buttons, no JavaScript needed.
    const { html } = await page(`/admin/orders/${orderId}`, admin.cookie, { intent: "refund" });
    expect(html).toContain("Please confirm");
    expect(html).toContain(`name="confirmed" value="${asked.data.confirm.token}"`);
    expect(html).toContain("Cancel, change nothing");

    const done = await postAdminOrder(orderId, { intent: "refund", confirmed: asked.data.confirm.token }, admin.cookie);
    expect(done.status).toBe(302);
    expect((await db.select().from(orders).where(eq(orders.id, orderId)))[0]!.status).toBe("refunded");
    expect((await refundAsAdmin(orderId, admin.cookie)).status).toBe(302);
    expect((await royalties()).sort((a, b) => a - b)).toEqual([-750, -420, 420, 750]);
  });

  it("refunds part of an order: the question names each part, and the same share of each royalty is reversed", async () => {
    const { orderId, admin, designer } = await paidOrder();
    const royalties = async () =>
      (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, designer.id)))
        .map((e) => e.amountCents)
        .sort((a, b) => a - b);
    // $78.00 paid: $58.00 through the payment, $20.00 with credit. Refund $10.00 of it.
    const asked = await postAdminOrder(orderId, { intent: "refund", amount: "10.00" }, admin.cookie);
    expect(asked.data.confirm).toMatchObject({
      question: expect.stringMatching(
        /^Refund \$7\.44 to the payment \(local test provider: no money moves\) and \$2\.56 to store credit, part of the \$78\.00 left\?/,
      ),
      confirmLabel: "Yes, refund $10.00",
    });
    expect((await postAdminOrder(orderId, { intent: "refund", amount: "78.01" }, admin.cookie)).status).toBe(302);
    expect((await postAdminOrder(orderId, { intent: "refund", amount: "ten" }, admin.cookie)).status).toBe(400);
    const done = await postAdminOrder(
      orderId,
      { intent: "refund", amount: "10.00", confirmed: asked.data.confirm.token },
      admin.cookie,
    );
    expect(done.status).toBe(302);
    expect((await db.select().from(orders).where(eq(orders.id, orderId)))[0]).toMatchObject({
      status: "paid",
      refundedCardCents: 744,
      refundedCreditCents: 256,
    });
    // 10/78 of the 750 and 420 royalties, rounded down.
    expect(await royalties()).toEqual([-96, -53, 420, 750]);
  });

  it("disqualifying a design asks first, naming it and the reason", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const { createRound, createSubmission } = await import("#tests/factories/index");
    const round = await createRound({ phase: "submissions", title: "Deep Sea" });
    const designer = await createUser({ username: "nemo" });
    const submissionId = await createSubmission({
      round,
      designerId: designer.id,
      title: "Angler",
      seed: 1230,
      moderate: { adminId: admin.user.id, decision: "approved" },
    });
    const { action } = await import("~/routes/admin.rounds.$id");
    const post = (fields: Record<string, string>) =>
      settle(() =>
        action({
          request: formRequest(
            `/admin/rounds/${round.id}`,
            { intent: "disqualify", submissionId, ...fields },
            {
              cookie: admin.cookie,
            },
          ),
          params: { id: round.id },
          context: context(),
        }),
      );
    const asked = await post({ reason: "Traced from a photograph" });
    expect(asked.status).toBe(200);
    expect(asked.data.confirm.question).toBe(
      "Disqualify “Angler” by @nemo? It leaves the round for good, and the designer sees your reason: “Traced from a photograph”.",
    );
    expect((await db.select().from(submissions).where(eq(submissions.id, submissionId)))[0]!.status).toBe("approved");
    expect((await post({ reason: "Traced from a photograph", confirmed: "disqualify" })).status).toBe(302);
    expect((await db.select().from(submissions).where(eq(submissions.id, submissionId)))[0]).toMatchObject({
      status: "disqualified",
      rejectionReason: "Traced from a photograph",
    });
  });
});

describe("what the buyer hears about their order", () => {
  it("a receipt when paid, a tracking link when shipped, and word of the refund: in the bell and by email", async () => {
    const { orderId, buyer, admin } = await paidOrder();
    const short = orderId.slice(0, 8);
    expect(await bell(buyer.user.id)).toEqual([`order_paid: Your order ${short} is confirmed: $58.00 paid`]);
    const [receipt] = await mailTo("ada@example.test");
    expect(receipt).toMatchObject({ category: "order_paid", subject: `Your order ${short} is confirmed: $58.00 paid` });
    for (const line of [
      "2 × Owl Night T-shirt (M): $50.00",
      "1 × Owl Night T-shirt (2XL): $28.00",
      "Subtotal: $78.00",
      "Store credit: −$20.00",
      "Shipping: free",
      "Tax: $0.00",
      "Paid: $58.00",
      // A British address: the town, then the postcode on a line of its own.
      "Ships to:\nAda Lovelace\n12 Analytical Way\nFlat 3\nLondon\nN1 9GU\nUnited Kingdom",
      `See it on Crowdthread: http://localhost:3000/orders/${orderId}`,
    ])
      expect(receipt!.textBody).toContain(line);

    // Shipped by hand with a carrier we know: the number becomes a link, in the mail and on the buyer's page.
    const shipped = await postAdminOrder(
      orderId,
      { intent: "fulfilment", fulfilment: "shipped", carrier: "USPS", trackingNumber: "9400111899223817612345" },
      admin.cookie,
    );
    expect(shipped.status).toBe(302);
    const link = "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223817612345";
    expect((await db.select().from(orders).where(eq(orders.id, orderId)))[0]).toMatchObject({
      fulfilment: "shipped",
      carrier: "USPS",
      trackingNumber: "9400111899223817612345",
      trackingUrl: link,
    });
    const shippedMail = (await mailTo("ada@example.test")).find((m) => m.category === "order_shipped");
    expect(shippedMail!.subject).toBe(`Your order ${short} has shipped with USPS`);
    expect(shippedMail!.textBody).toContain(`Track it: ${link}`);
    const buyerPage = await page(`/orders/${orderId}`, buyer.cookie);
    expect(buyerPage.html).toContain(`href="${link.replaceAll("&", "&amp;")}"`);
    // Saving the same tracking number again is not news.
    await postAdminOrder(
      orderId,
      { intent: "fulfilment", fulfilment: "shipped", carrier: "USPS", trackingNumber: "9400111899223817612345" },
      admin.cookie,
    );
    expect((await bell(buyer.user.id)).filter((t) => t.startsWith("order_shipped"))).toHaveLength(1);

    await refundAsAdmin(orderId, admin.cookie);
    expect((await bell(buyer.user.id)).filter((t) => t.startsWith("order_refunded"))).toEqual([
      `order_refunded: Your order ${short} was refunded: $58.00 to the way you paid and $20.00 to your store credit`,
    ]);
    expect((await mailTo("ada@example.test")).map((m) => m.category)).toEqual([
      "order_paid",
      "order_shipped",
      "order_refunded",
    ]);
  });

  it("a cancelled order is news when it expired, not when the buyer cancelled it themselves", async () => {
    const first = await paidOrder({ paid: false });
    await cancelOrder(first.orderId);
    expect(await bell(first.buyer.user.id)).toEqual([
      `order_cancelled: Your order ${first.orderId.slice(0, 8)} was cancelled before payment`,
    ]);
    const [mail] = await mailTo("ada@example.test");
    expect(mail!.textBody).toContain("The $20.00 of store credit it held is back in your balance.");

    const buyer = await createLoggedInUser();
    const designer = await createUser();
    const { tee } = await createWinningDesign({ title: "Moth", seed: 1220, designerId: designer.id });
    const [variant] = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id)).limit(1);
    const cartId = await cartOfUser(buyer.user.id);
    await addToCart(cartId, variant!.id, 1);
    const placed = await placeOrder(buyer.user.id, cartId, shipping);
    expect((await cancelOrderOfBuyer(placed.ok ? placed.value.orderId : "", buyer.user.id)).ok).toBe(true);
    expect(await bell(buyer.user.id)).toEqual([]);
  });

  it("follows the buyer's preferences: email off keeps the bell, bell off keeps the email", async () => {
    const { orderId, buyer, admin } = await paidOrder({ paid: false, credit: 0 });
    await saveNotificationPrefs(buyer.user.id, { order_paid: { email: false }, order_shipped: { inApp: false } });
    await markOrderPaid(orderId, { reference: "local:test" });
    await postAdminOrder(
      orderId,
      { intent: "fulfilment", fulfilment: "shipped", carrier: "Pigeon Post", trackingNumber: "COO-1" },
      admin.cookie,
    );
    expect((await bell(buyer.user.id)).map((t) => t.split(":")[0])).toEqual(["order_paid"]);
    const mails = await mailTo("ada@example.test");
    expect(mails.map((m) => m.category)).toEqual(["order_shipped"]);
    // No page known for that carrier: the number, no link.
    expect(mails[0]!.textBody).toContain("Tracking number: COO-1");
    expect(mails[0]!.textBody).not.toContain("Track it:");
  });
});

describe("the designer's royalties page adds up", () => {
  /** The summary cards as the designer reads them: label → amount. */
  async function cards(cookie: string) {
    const { status, html } = await page("/account/royalties", cookie);
    expect(status).toBe(200);
    const found: Record<string, string> = {};
    for (const [, label, amount] of html.matchAll(/<dt[^>]*>([^<]+)<\/dt><dd[^>]*>([^<]+)<\/dd>/g))
      found[label!] = amount!;
    return { cards: found, html };
  }

  it("after a partial refund, then a payout request, then the payout", async () => {
    const { orderId, admin, designer } = await paidOrder();
    const designerCookie = `ct_session=${encodeURIComponent(await createSession(designer.id, "test-agent"))}`;
    // 15% of $50.00 and of $28.00, both inside the refund window.
    expect((await cards(designerCookie)).cards).toEqual({
      Available: "$0.00",
      Pending: "$11.70",
      "Spent as credit": "$0.00",
      "Paid out": "$0.00",
    });

    // $10.00 of $78.00 refunded: 10/78 of each royalty comes off Pending, and only off Pending.
    const asked = await postAdminOrder(orderId, { intent: "refund", amount: "10.00" }, admin.cookie);
    const confirmed = { intent: "refund", amount: "10.00", confirmed: asked.data.confirm.token };
    expect((await postAdminOrder(orderId, confirmed, admin.cookie)).status).toBe(302);
    expect((await cards(designerCookie)).cards).toEqual({
      Available: "$0.00",
      Pending: "$10.21",
      "Spent as credit": "$0.00",
      "Paid out": "$0.00",
    });

    // The window passes and a $15.00 prize clears: $25.21 to ask for.
    await db
      .update(ledgerEntries)
      .set({ clearsAt: new Date(Date.now() - 1000) })
      .where(eq(ledgerEntries.userId, designer.id));
    await db.insert(ledgerEntries).values({
      userId: designer.id,
      kind: "prize",
      amountCents: 1500,
      currency: "usd",
      causeKey: `test:prize:${designer.id}`,
    });
    expect((await cards(designerCookie)).cards).toMatchObject({ Available: "$25.21", Pending: "$0.00" });

    const { action: payoutsAction } = await import("~/routes/account_.payouts");
    const requested = await settle(() =>
      payoutsAction({
        request: formRequest(
          "/account/payouts",
          { intent: "request", method: "paypal", paypalEmail: "designer@example.com" },
          { cookie: designerCookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(requested.status).toBe(302);
    const afterRequest = await cards(designerCookie);
    // Requested, not paid out: the money has left Available and waits.
    expect(afterRequest.cards).toEqual({
      Available: "$0.00",
      Pending: "$0.00",
      "Payout requested": "$25.21",
      "Spent as credit": "$0.00",
      "Paid out": "$0.00",
    });
    const payoutLine = /<tr[^>]*>(?:(?!<\/tr>).)*Payout [0-9a-f]{8}(?:(?!<\/tr>).)*<\/tr>/.exec(afterRequest.html)?.[0];
    expect(payoutLine).toContain("Requested: waiting to be paid");
    expect(payoutLine).toContain("-$25.21");
    expect(payoutLine).not.toContain("Cleared");

    const [payout] = await db.select().from(payoutRequests).where(eq(payoutRequests.userId, designer.id));
    expect((await markPayoutPaid(payout!.id, admin.user.id, "PayPal 5TX")).ok).toBe(true);
    expect((await cards(designerCookie)).cards).toEqual({
      Available: "$0.00",
      Pending: "$0.00",
      "Spent as credit": "$0.00",
      "Paid out": "$25.21",
    });
  });
});
