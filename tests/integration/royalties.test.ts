import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, rounds } from "#db/schema";
import { createBallot, createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, getRequest, settle } from "#tests/support/requests";
import { csvField } from "~/domain/ledger.server";
import { finalizeRound } from "~/domain/finalize.server";
import { db } from "~/lib/db.server";
import { loader as csvLoader } from "~/routes/account_.royalties[.]csv";
import { loader as royaltiesLoader } from "~/routes/account_.royalties";

describe("a designer's royalties", () => {
  it("shows the prize a win earned, line by line and as CSV", async () => {
    const round = await createRound({
      phase: "submissions",
      minVotes: 1,
      voterMinScored: 1,
      winnersCount: 1,
      prizeCents: 7500,
      title: "Desert Bloom",
    });
    const admin = await createUser({ role: "admin" });
    const winner = await createLoggedInUser();
    const other = await createLoggedInUser();
    const winning = await createSubmission({
      round,
      designerId: winner.user.id,
      title: "Cactus Moon",
      seed: 600,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    const losing = await createSubmission({
      round,
      designerId: other.user.id,
      title: "Sand",
      seed: 601,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    const voter = await createUser();
    await createBallot({ roundId: round.id, submissionId: winning, voterId: voter.id, score: 5 });
    await createBallot({ roundId: round.id, submissionId: losing, voterId: voter.id, score: 1 });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    await finalizeRound(round.id);

    const page = await settle(() =>
      royaltiesLoader({
        request: getRequest("/account/royalties", { cookie: winner.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(page.data.summary).toMatchObject({ availableCents: 7500, pendingCents: 0 });
    expect(page.data.entries.items).toHaveLength(1);
    expect(page.data.entries.items[0]).toMatchObject({
      kind: "prize",
      amountCents: 7500,
      status: "cleared",
      roundSlug: round.slug,
    });
    expect(page.data.entries.items[0].memo).toBe('Prize for "Cactus Moon" in Desert Bloom');

    const nothing = await settle(() =>
      royaltiesLoader({
        request: getRequest("/account/royalties", { cookie: other.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(nothing.data.summary.availableCents).toBe(0);
    expect(nothing.data.entries.items).toHaveLength(0);

    const csv = (await csvLoader({
      request: getRequest("/account/royalties.csv", { cookie: winner.cookie }),
      params: {},
      context: context(),
    })) as Response;
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("date,kind,amount,currency,status,running_total,round,memo,cause");
    expect(lines[1]).toContain(
      `,prize,75.00,usd,cleared,75.00,${round.slug},"Prize for ""Cactus Moon"" in Desert Bloom",prize:${round.id}:${winning}`,
    );
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, winner.user.id))).toHaveLength(1);
  });

  it("is private: a visitor is sent to log in", async () => {
    const result = await settle(() =>
      csvLoader({ request: getRequest("/account/royalties.csv"), params: {}, context: context() }),
    );
    expect(result.status).toBe(302);
  });

  it("defuses spreadsheet formulas in CSV fields", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("-12.50")).toBe("-12.50");
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
  });
});
