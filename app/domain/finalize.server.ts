import { and, eq, isNotNull, isNull, lte } from "drizzle-orm";
import {
  ledgerEntries,
  products,
  productVariants,
  proposals,
  roundResults,
  rounds,
  roundVoterWeights,
  submissions,
  users,
} from "#db/schema";
import { db } from "~/lib/db.server";
import { recordAudit } from "./audit.server";
import { notifyFavouritersOfProduct } from "./favourites.server";
import { notify } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";
import { VARIANTS } from "./products";
import { rankByRule, summarizeWeights } from "./ranking";
import { readBallotBook } from "./round-ballots.server";

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
        rankingRule: rounds.rankingRule,
        prizeCents: rounds.prizeCents,
        currency: rounds.currency,
        royaltyBps: rounds.royaltyBps,
        productTypes: rounds.productTypes,
        title: rounds.title,
        slug: rounds.slug,
        publishedAt: rounds.publishedAt,
        proposalId: rounds.proposalId,
        proposerPrizeCents: rounds.proposerPrizeCents,
      })
      .from(rounds)
      .where(eq(rounds.id, roundId))
      .for("update");
    if (!round) return fail("not_found", "There is no such round.");
    if (round.finalizedAt) return fail("conflict", ALREADY_FINALIZED);
    if (!round.publishedAt) return fail("conflict", "The round is a draft: publish it first.");
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
    // The round's own frozen rule, applied by the same pure function `results:verify` runs on the CSV.
    const { ranked, voters, priorMean } = rankByRule(entries, await readBallotBook(tx, roundId), {
      ...round,
      rule: round.rankingRule,
    });
    await step("ranked");

    for (let i = 0; i < voters.length; i += 1000) {
      await tx.insert(roundVoterWeights).values(
        voters.slice(i, i + 1000).map((v) => ({
          roundId,
          voterId: v.voterId,
          ballots: v.ballots,
          scored: v.scored,
          counted: v.counted,
          agreement: v.agreement,
          weight: v.weight,
        })),
      );
    }

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
          weight: r.weight,
          weightedScoreSum: r.weightedScoreSum,
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
      let firstProductId: string | null = null;
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
        firstProductId ??= product.id;
        await tx.insert(productVariants).values(
          VARIANTS[offered.type].map((v, i) => ({
            productId: product.id,
            size: v.size,
            priceCents: offered.basePriceCents + v.extraCents,
            sortOrder: i,
          })),
        );
      }
      // Members who saved the design hear it is in the shop (the round's first product type is the link).
      if (firstProductId)
        await notifyFavouritersOfProduct(tx, {
          submissionId: winner.submissionId,
          designerId: winner.designerId,
          title: winner.title,
          productId: firstProductId,
        });
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
    // The proposer's share, under its own cause key: one per round, so a replay cannot pay it twice.
    // A proposer who deleted their account is not paid (the anonymised row only keeps the books).
    if (round.proposerPrizeCents > 0 && round.proposalId) {
      const [proposal] = await tx
        .select({ proposerId: proposals.proposerId, deletedAt: users.deletedAt })
        .from(proposals)
        .leftJoin(users, eq(users.id, proposals.proposerId))
        .where(eq(proposals.id, round.proposalId));
      if (proposal?.proposerId && !proposal.deletedAt) {
        const inserted = await tx
          .insert(ledgerEntries)
          .values({
            userId: proposal.proposerId,
            kind: "prize",
            amountCents: round.proposerPrizeCents,
            currency: round.currency,
            causeKey: `proposal-prize:${roundId}`,
            roundId,
            memo: `Proposer's share of the prize of ${round.title}`,
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
    await tx
      .update(rounds)
      .set({
        finalizedAt: now,
        countedBallots,
        countedScoreSum,
        rankingSummary: { priorMean, ...summarizeWeights(voters) },
      })
      .where(eq(rounds.id, roundId));
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
    .where(and(isNull(rounds.finalizedAt), lte(rounds.votingClosesAt, now), isNotNull(rounds.publishedAt)));
  const outcomes: FinalizeOutcome[] = [];
  for (const round of due) outcomes.push(await finalizeRound(round.id, { now }));
  return outcomes;
}
