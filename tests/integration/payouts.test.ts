import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, notifications, payoutRequests, users } from "#db/schema";
import { createLoggedInUser, createUser, DEFAULT_PASSWORD } from "#tests/factories/index";
import { deleteAccount } from "~/domain/account-deletion.server";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { availableCredit } from "~/domain/ledger.server";
import { markPayoutPaid, requestPayout } from "~/domain/payouts.server";
import { db } from "~/lib/db.server";
import { action as adminPayouts, loader as adminPayoutsLoader } from "~/routes/admin.payouts";
import { action as payoutsAction, loader as payoutsLoader } from "~/routes/account_.payouts";
import { loader as royaltiesLoader } from "~/routes/account_.royalties";

async function grant(userId: string, cents: number, key: string, clearsAt: Date | null = null) {
  await db
    .insert(ledgerEntries)
    .values({ userId, kind: "royalty", amountCents: cents, currency: "usd", causeKey: `test:${key}`, clearsAt });
}

const PAYPAL = { intent: "request", method: "paypal", paypalEmail: "ada@example.com" };
const PAYPAL_DESTINATION = { method: "paypal", email: "ada@example.com" } as const;

async function royaltiesPage(cookie: string) {
  return (
    await settle(() =>
      royaltiesLoader({ request: getRequest("/account/royalties", { cookie }), params: {}, context: context() }),
    )
  ).data;
}

async function noticesOf(userId: string) {
  const rows = await db
    .select({ title: notifications.title })
    .from(notifications)
    .where(eq(notifications.userId, userId));
  return rows.map((r) => r.title);
}

describe("payouts with the local provider", () => {
  it("refuses a balance under the minimum, counting only cleared money", async () => {
    const designer = await createLoggedInUser();
    await grant(designer.user.id, 1500, "a");
    await grant(designer.user.id, 5000, "b", new Date(Date.now() + 86400_000));
    const result = await settle(() =>
      payoutsAction({
        request: formRequest("/account/payouts", PAYPAL, { cookie: designer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect((await toastFrom(result.response!))?.description).toBe(
      "Payouts start at $20.00; your cleared balance is $15.00.",
    );
    expect(await db.select().from(payoutRequests)).toHaveLength(0);
  });

  it("reserves the balance at request; an admin marks it paid or declines it", async () => {
    const designer = await createLoggedInUser();
    await grant(designer.user.id, 2500, "c");
    const requested = await settle(() =>
      payoutsAction({
        request: formRequest("/account/payouts", PAYPAL, { cookie: designer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect((await toastFrom(requested.response!))?.title).toBe("Payout requested");
    const [payout] = await db.select().from(payoutRequests);
    expect(payout).toMatchObject({ status: "requested", amountCents: 2500, provider: "local" });
    expect(await availableCredit(db, designer.user.id, new Date())).toBe(0);
    // Until an admin pays it, the designer's page says "requested", not "paid out".
    const waiting = await royaltiesPage(designer.cookie);
    expect(waiting.summary).toMatchObject({ availableCents: 0, requestedCents: 2500, paidOutCents: 0 });
    expect(waiting.entries.items[0]).toMatchObject({ kind: "payout", status: "requested" });

    const member = await createLoggedInUser();
    const admin = await createLoggedInUser({ role: "admin" });
    // The admin who pays sees where the money goes.
    const adminPage = await settle(() =>
      adminPayoutsLoader({
        request: getRequest("/admin/payouts", { cookie: admin.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(adminPage.data.payouts.items[0]).toMatchObject({ destination: PAYPAL_DESTINATION, status: "requested" });
    const decide = (cookie: string, fields: Record<string, string>) =>
      settle(() =>
        adminPayouts({
          request: formRequest("/admin/payouts", { payoutId: payout!.id, ...fields }, { cookie }),
          params: {},
          context: context(),
        }),
      );
    expect((await decide(member.cookie, { intent: "paid", note: "sneaky" })).status).toBe(403);
    expect((await decide(admin.cookie, { intent: "paid", note: "" })).status).toBe(302);
    expect((await db.select().from(payoutRequests))[0]!.status).toBe("requested");
    await decide(admin.cookie, { intent: "paid", note: "SEPA transfer 4471" });
    expect((await db.select().from(payoutRequests))[0]).toMatchObject({
      status: "paid",
      note: "SEPA transfer 4471",
      decidedById: admin.user.id,
    });
    const paid = await royaltiesPage(designer.cookie);
    expect(paid.summary).toMatchObject({ availableCents: 0, requestedCents: 0, paidOutCents: 2500 });
    expect(paid.entries.items[0]).toMatchObject({ kind: "payout", status: "paid" });
    expect(await noticesOf(designer.user.id)).toEqual(["Your payout of $25.00 was sent: SEPA transfer 4471"]);
    // A paid payout cannot be declined afterwards.
    await decide(admin.cookie, { intent: "reject", note: "changed my mind" });
    expect((await db.select().from(payoutRequests))[0]!.status).toBe("paid");
    expect(await availableCredit(db, designer.user.id, new Date())).toBe(0);
  });

  it("gives the money back when declined, once", async () => {
    const designer = await createUser();
    await grant(designer.id, 4000, "d");
    const result = await requestPayout(designer.id, { destination: PAYPAL_DESTINATION });
    const admin = await createLoggedInUser({ role: "admin" });
    const payoutId = result.ok ? result.value.payoutId : "";
    const decline = (extra: Record<string, string> = {}) =>
      settle(() =>
        adminPayouts({
          request: formRequest(
            "/admin/payouts",
            { payoutId, intent: "reject", note: "Account details missing", ...extra },
            { cookie: admin.cookie },
          ),
          params: {},
          context: context(),
        }),
      );
    // Without the confirmation nothing happens: the page asks, naming the amount and the member.
    const asked = await decline();
    expect(asked.status).toBe(200);
    expect(asked.data.confirm.question).toMatch(/^Decline the payout of \$40\.00 to @/);
    expect(await db.select().from(payoutRequests)).toEqual([expect.objectContaining({ status: "requested" })]);
    expect(await availableCredit(db, designer.id, new Date())).toBe(0);
    // A confirmation for another amount is no confirmation.
    expect((await decline({ confirmed: "100:usd" })).status).toBe(200);
    expect((await db.select().from(payoutRequests))[0]!.status).toBe("requested");
    for (let i = 0; i < 2; i++) await decline({ confirmed: asked.data.confirm.token });
    expect((await db.select().from(payoutRequests))[0]).toMatchObject({ status: "rejected" });
    expect(await availableCredit(db, designer.id, new Date())).toBe(4000);
    // Told once, with the reason.
    expect(await noticesOf(designer.id)).toEqual([
      "Your payout of $40.00 was declined: Account details missing. The money is back in your balance.",
    ]);
    const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, designer.id));
    expect(entries.map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([-4000, 4000, 4000]);
  });

  it("asks where to send the money, names the missing field, and remembers the answer", async () => {
    const designer = await createLoggedInUser();
    await grant(designer.user.id, 2500, "f");
    const ask = (fields: Record<string, string>) =>
      settle(() =>
        payoutsAction({
          request: formRequest("/account/payouts", fields, { cookie: designer.cookie }),
          params: {},
          context: context(),
        }),
      );
    const missing = await ask({ intent: "request", method: "bank", accountHolder: "Ada Lovelace", account: "" });
    expect(missing.status).toBe(400);
    expect(missing.data.result.error).toMatchObject({
      account: ["Enter the IBAN or account number"],
      routing: ["Enter the SWIFT/BIC or routing number"],
    });
    const noMethod = await ask({ intent: "request" });
    expect(noMethod.status).toBe(400);
    expect(await db.select().from(payoutRequests)).toHaveLength(0);
    // Stripe is not set up here: a request that names no destination is refused by the domain too.
    expect(await requestPayout(designer.user.id)).toMatchObject({ ok: false, code: "invalid", field: "method" });

    const bank = {
      intent: "request",
      method: "bank",
      accountHolder: "Ada Lovelace",
      account: "gb33 bukb 2020 1555 5555 55",
      routing: "bukbgb22",
    };
    expect((await ask(bank)).status).toBe(302);
    const [payout] = await db.select().from(payoutRequests);
    const destination = {
      method: "bank",
      accountHolder: "Ada Lovelace",
      account: "GB33 BUKB 2020 1555 5555 55",
      routing: "BUKBGB22",
    };
    expect(payout!.destination).toEqual(destination);
    const page = await settle(() =>
      payoutsLoader({
        request: getRequest("/account/payouts", { cookie: designer.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(page.data.savedDestination).toEqual(destination);
  });

  it("forgets where a paid payout went when the member deletes their account", async () => {
    const designer = await createUser();
    await grant(designer.id, 2500, "g");
    const requested = await requestPayout(designer.id, { destination: PAYPAL_DESTINATION });
    const admin = await createUser({ role: "admin" });
    expect(await markPayoutPaid(requested.ok ? requested.value.payoutId : "", admin.id, "sent")).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await deleteAccount(designer.id, DEFAULT_PASSWORD)).toMatchObject({ ok: true });
    const [payout] = await db.select().from(payoutRequests);
    expect(payout).toMatchObject({ status: "paid", amountCents: 2500, destination: null });
    const [member] = await db.select({ saved: users.payoutDestination }).from(users).where(eq(users.id, designer.id));
    expect(member!.saved).toBeNull();
  });

  it("cannot pay the same balance out twice when two requests race", async () => {
    const designer = await createUser();
    await grant(designer.id, 9000, "e");
    const results = await Promise.all([
      requestPayout(designer.id, { destination: PAYPAL_DESTINATION }),
      requestPayout(designer.id, { destination: PAYPAL_DESTINATION }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.select().from(payoutRequests)).toHaveLength(1);
    expect(await availableCredit(db, designer.id, new Date())).toBe(0);
  });
});
