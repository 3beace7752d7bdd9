import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { ballots, ledgerEntries, products, productVariants, roundResults, rounds, submissions } from "#db/schema";
import { db, type Transaction } from "~/lib/db.server";
import { recordAudit } from "./audit.server";
import { notVoided } from "./ballot-voids.server";
import { notify } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";
import { VARIANTS } from "./products";
import { rankRound, type Tally } from "./ranking";

export type FinalizeStep = "locked" | "ranked" | "results" | "products" | "prizes";

export type FinalizeReport = { roundId: string; ranked: number; winners: number; products: number; prizes: number };

/**
 * What a finalize did. A round already finalized (by another instance that
 * got the lock first) or not yet due is a `conflict`, a missing one
 * `not_found`: the tick just moves on, an admin's button shows the message.
 */
export type FinalizeOutcome = Outcome<FinalizeReport>;

export const ALREADY_FINALIZED = "This round is already finalized.";
export const NOT_DUE = "Voting has not closed yet.";

/** Counted tallies per design, aggregated by the database (same rules as `tallyBallots`). */
async function tallies(tx: Transaction, roundId: string, voterMinScored: number): Promise<Map<string, Tally>> {
  const countedVoters = tx
    .select({ voterId: ballots.voterId })
    .from(ballots)
    // A voided voter is no counted voter, so none of their ballots reach the tallies.
    .where(and(eq(ballots.roundId, roundId), notVoided))
    .groupBy(ballots.voterId)
    .having(sql`count(*) >= ${voterMinScored}`);
  const bucket = (score: number) =>
    sql<number>`(count(*) filter (where ${ballots.score} = ${sql.raw(String(score))}))::int`;
  const rows = await tx
    .select({
      submissionId: ballots.submissionId,
      ballots: sql<number>`count(*)::int`,
      scoreSum: sql<number>`sum(${ballots.score})::int`,
      wouldBuy: sql<number>`(count(*) filter (where ${ballots.wouldBuy}))::int`,
      s0: bucket(0),
      s1: bucket(1),
      s2: bucket(2),
      s3: bucket(3),
      s4: bucket(4),
      s5: bucket(5),
    })
    .from(ballots)
    .where(and(eq(ballots.roundId, roundId), inArray(ballots.voterId, countedVoters)))
    .groupBy(ballots.submissionId);
  return new Map(
    rows.map((r) => [
      r.submissionId,
      {
        submissionId: r.submissionId,
        ballots: r.ballots,
        scoreSum: r.scoreSum,
        wouldBuy: r.wouldBuy,
        distribution: [r.s0, r.s1, r.s2, r.s3, r.s4, r.s5],
      },
    ]),
  );
}

/**
 * Turns a closed round into results, products and prizes — exactly once.
 * Everything happens in one transaction that first locks the round row: a
 * second finalizer (another instance, the cron job) waits, then finds the
 * round finalized and does nothing; a failure half way rolls everything back.
 */
export async function finalizeRound(
  roundId: string,
  options: { now?: Date; onStep?: (step: FinalizeStep) => void | Promise<void> } = {},
): Promise<FinalizeOutcome> {
  const now = options.now ?? new Date();
  const step = async (name: FinalizeStep) => options.onStep?.(name);
  return db.transaction(async (tx) => {
    const [round] = await tx
      .select({
        id: rounds.id,
        finalizedAt: rounds.finalizedAt,
        votingClosesAt: rounds.votingClosesAt,
        winnersCount: rounds.winnersCount,
        minVotes: rounds.minVotes,
        voterMinScored: rounds.voterMinScored,
        prizeCents: rounds.prizeCents,
        currency: rounds.currency,
        royaltyBps: rounds.royaltyBps,
        productTypes: rounds.productTypes,
        title: rounds.title,
        slug: rounds.slug,
      })
      .from(rounds)
      .where(eq(rounds.id, roundId))
      .for("update");
    if (!round) return fail("not_found", "There is no such round.");
    if (round.finalizedAt) return fail("conflict", ALREADY_FINALIZED);
    if (round.votingClosesAt.getTime() > now.getTime()) return fail("conflict", NOT_DUE);
    await step("locked");

    const entries = await tx
      .select({
        submissionId: submissions.id,
        createdAt: submissions.createdAt,
        designerId: submissions.designerId,
        title: submissions.title,
        images: submissions.images,
      })
      .from(submissions)
      .where(and(eq(submissions.roundId, roundId), eq(submissions.status, "approved")));
    const { ranked } = rankRound(entries, await tallies(tx, roundId, round.voterMinScored), round);
    await step("ranked");

    for (let i = 0; i < ranked.length; i += 1000) {
      await tx.insert(roundResults).values(
        ranked.slice(i, i + 1000).map((r) => ({
          roundId,
          submissionId: r.submissionId,
          rank: r.rank,
          ballots: r.ballots,
          scoreSum: r.scoreSum,
          mean: r.mean,
          bayesianScore: r.bayesianScore,
          wouldBuy: r.wouldBuy,
          wouldBuyLowerBound: r.wouldBuyLowerBound,
          distribution: r.distribution,
          qualified: r.qualified,
          winner: r.winner,
        })),
      );
    }
    await step("results");

    const entryById = new Map(entries.map((e) => [e.submissionId, e]));
    const winners = ranked.filter((r) => r.winner).map((r) => entryById.get(r.submissionId)!);
    let productCount = 0;
    for (const winner of winners) {
      for (const offered of round.productTypes) {
        const [product] = await tx
          .insert(products)
          .values({
            roundId,
            submissionId: winner.submissionId,
            designerId: winner.designerId,
            type: offered.type,
            title: winner.title,
            mockupKey: winner.images.mockups[offered.type],
            basePriceCents: offered.basePriceCents,
            currency: round.currency,
            royaltyBps: round.royaltyBps,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: products.id });
        if (!product) continue;
        productCount += 1;
        await tx.insert(productVariants).values(
          VARIANTS[offered.type].map((v, i) => ({
            productId: product.id,
            size: v.size,
            priceCents: offered.basePriceCents + v.extraCents,
            sortOrder: i,
          })),
        );
      }
    }
    await step("products");

    let prizes = 0;
    if (round.prizeCents > 0) {
      for (const winner of winners) {
        const inserted = await tx
          .insert(ledgerEntries)
          .values({
            userId: winner.designerId,
            kind: "prize",
            amountCents: round.prizeCents,
            currency: round.currency,
            causeKey: `prize:${roundId}:${winner.submissionId}`,
            roundId,
            submissionId: winner.submissionId,
            memo: `Prize for "${winner.title}" in ${round.title}`,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: ledgerEntries.id });
        prizes += inserted.length;
      }
    }
    await step("prizes");

    // Everyone who entered hears the results are out; winners hear they won.
    const winnerIds = new Set(winners.map((w) => w.submissionId));
    const notified = new Set<string>();
    for (const entry of entries) {
      if (winnerIds.has(entry.submissionId)) {
        await notify(tx, {
          userId: entry.designerId,
          actorId: null,
          kind: "design_won",
          title: `"${entry.title}" won ${round.title}! It is now in the shop.`,
          url: `/rounds/${round.slug}/results`,
        });
        notified.add(entry.designerId);
      }
    }
    for (const entry of entries) {
      if (notified.has(entry.designerId)) continue;
      notified.add(entry.designerId);
      await notify(tx, {
        userId: entry.designerId,
        actorId: null,
        kind: "results_published",
        title: `The results of ${round.title} are out`,
        url: `/rounds/${round.slug}/results`,
      });
    }

    // The ranking's totals, so the results page shows the round mean without summing every result.
    const countedBallots = ranked.reduce((n, r) => n + r.ballots, 0);
    const countedScoreSum = ranked.reduce((n, r) => n + r.scoreSum, 0);
    await tx.update(rounds).set({ finalizedAt: now, countedBallots, countedScoreSum }).where(eq(rounds.id, roundId));
    await recordAudit(tx, {
      actorId: null,
      action: "round.finalized",
      subjectType: "round",
      subjectId: roundId,
      detail: { ranked: ranked.length, winners: winners.length, products: productCount, prizes },
    });
    return ok({ roundId, ranked: ranked.length, winners: winners.length, products: productCount, prizes });
  });
}

/** Finalizes every round whose voting has closed. Safe to run from any number of places at once. */
export async function finalizeDueRounds(now = new Date()): Promise<FinalizeOutcome[]> {
  const due = await db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(isNull(rounds.finalizedAt), lte(rounds.votingClosesAt, now)));
  const outcomes: FinalizeOutcome[] = [];
  for (const round of due) outcomes.push(await finalizeRound(round.id, { now }));
  return outcomes;
}
