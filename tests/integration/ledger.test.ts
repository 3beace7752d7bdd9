import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledgerEntries, payoutRequests } from "#db/schema";
import { createUser } from "#tests/factories/index";
import { LEDGER_KINDS, summariseLedger, type LedgerEntryView, type PayoutState } from "~/domain/ledger";
import { availableCredit, ledgerSummary } from "~/domain/ledger.server";
import { db } from "~/lib/db.server";

const now = new Date("2026-06-01T12:00:00.000Z");

/** An entry as a ledger can hold it: any kind, any sign, cleared at once or at some moment around now. */
const entry: fc.Arbitrary<LedgerEntryView> = fc.record({
  kind: fc.constantFrom(...LEDGER_KINDS),
  amountCents: fc.integer({ min: -50_000, max: 50_000 }),
  clearsAt: fc.option(
    fc
      .oneof(
        // Exactly now, and a millisecond either side: where "still pending" ends.
        fc.constantFrom(-1, 0, 1),
        fc.integer({ min: -40 * 86400_000, max: 40 * 86400_000 }),
      )
      .map((offset) => new Date(now.getTime() + offset)),
    { nil: null },
  ),
});

/** A payout as the ledger holds it: the debit, and its return when declined or failed, under the request's cause keys. */
const payout = fc.record({
  amountCents: fc.integer({ min: 1, max: 50_000 }),
  state: fc.constantFrom<PayoutState>("requested", "paid", "failed", "rejected"),
});

function ledgerRow(view: LedgerEntryView) {
  return { kind: view.kind, amountCents: view.amountCents, clearsAt: view.clearsAt, currency: "usd" };
}

describe("the ledger's summary", () => {
  it("is the same in SQL as in the pure rule, with payouts in every state (property)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 10 }),
        fc.array(payout, { maxLength: 4 }),
        async (entries, payouts) => {
          run += 1;
          const member = await createUser();
          const views: LedgerEntryView[] = [...entries];
          const rows = entries.map((e, i) => ({
            userId: member.id,
            kind: e.kind,
            amountCents: e.amountCents,
            clearsAt: e.clearsAt,
            currency: "usd",
            causeKey: `summary:${run}:${i}`,
          }));
          for (const p of payouts) {
            const [request] = await db
              .insert(payoutRequests)
              .values({
                userId: member.id,
                amountCents: p.amountCents,
                currency: "usd",
                provider: "local",
                status: p.state,
              })
              .returning({ id: payoutRequests.id });
            const debit = {
              kind: "payout" as const,
              amountCents: -p.amountCents,
              clearsAt: null,
              payoutState: p.state,
            };
            views.push(debit);
            rows.push({ ...ledgerRow(debit), userId: member.id, causeKey: `payout:${request!.id}` });
            if (p.state === "failed" || p.state === "rejected") {
              views.push({ ...debit, amountCents: p.amountCents });
              rows.push({
                ...ledgerRow(debit),
                amountCents: p.amountCents,
                userId: member.id,
                causeKey: `payout-returned:${request!.id}`,
              });
            }
          }
          if (rows.length) await db.insert(ledgerEntries).values(rows);
          expect(await ledgerSummary(member.id, now)).toEqual(summariseLedger(views, now));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("the ledger's available balance", () => {
  it("is the same in SQL as in the pure rule, on random ledgers written to the database (property)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 12 }), async (entries) => {
        run += 1;
        const member = await createUser();
        if (entries.length)
          await db.insert(ledgerEntries).values(
            entries.map((e, i) => ({
              userId: member.id,
              kind: e.kind,
              amountCents: e.amountCents,
              clearsAt: e.clearsAt,
              currency: "usd",
              causeKey: `property:${run}:${i}`,
            })),
          );
        expect(await availableCredit(db, member.id, now)).toBe(summariseLedger(entries, now).availableCents);
      }),
      { numRuns: 60 },
    );
  });
});
