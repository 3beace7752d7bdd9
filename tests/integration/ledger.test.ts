import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledgerEntries } from "#db/schema";
import { createUser } from "#tests/factories/index";
import { LEDGER_KINDS, summariseLedger, type LedgerEntryView } from "~/domain/ledger";
import { availableCredit } from "~/domain/ledger.server";
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
