import { and, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
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
import { arrayLiteral, db } from "~/lib/db.server";
import { recordAudit } from "./audit.server";
import { notifyFavouritersOfProduct } from "./favourites.server";
import { notify, notifyAll } from "./notifications.server";
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

    // Each table in one statement, its columns as arrays: 5,000 rows of 14 columns as a multi-row VALUES
    // were 70,000 parameters for the query builder, 0.4 s of a 5,000-design finalize.
    if (voters.length)
      await tx.execute(sql`insert into ${roundVoterWeights}
          (round_id, voter_id, ballots, scored, counted, agreement, weight)
        select ${roundId}::uuid, v.voter_id, v.ballots, v.scored, v.counted, v.agreement, v.weight
        from unnest(
          ${arrayLiteral(voters.map((v) => v.voterId))}::uuid[], ${arrayLiteral(voters.map((v) => v.ballots))}::int[],
          ${arrayLiteral(voters.map((v) => v.scored))}::int[], ${arrayLiteral(voters.map((v) => v.counted))}::boolean[],
          ${arrayLiteral(voters.map((v) => v.agreement))}::float8[], ${arrayLiteral(voters.map((v) => v.weight))}::float8[]
        ) as v(voter_id, ballots, scored, counted, agreement, weight)`);
    if (ranked.length) {
      const column = <T extends number | boolean | string | null>(pick: (r: (typeof ranked)[number]) => T) =>
        arrayLiteral(ranked.map(pick));
      await tx.execute(sql`insert into ${roundResults}
          (round_id, submission_id, rank, ballots, score_sum, mean, bayesian_score, weight, weighted_score_sum,
           would_buy, would_buy_lower_bound, distribution, qualified, winner)
        select ${roundId}::uuid, r.submission_id, r.rank, r.ballots, r.score_sum, r.mean, r.bayesian_score, r.weight,
          r.weighted_score_sum, r.would_buy, r.would_buy_lower_bound, array[r.d0, r.d1, r.d2, r.d3, r.d4, r.d5],
          r.qualified, r.winner
        from unnest(
          ${column((r) => r.submissionId)}::uuid[], ${column((r) => r.rank)}::int[], ${column((r) => r.ballots)}::int[],
          ${column((r) => r.scoreSum)}::int[], ${column((r) => r.mean)}::float8[],
          ${column((r) => r.bayesianScore)}::float8[], ${column((r) => r.weight)}::float8[],
          ${column((r) => r.weightedScoreSum)}::float8[], ${column((r) => r.wouldBuy)}::int[],
          ${column((r) => r.wouldBuyLowerBound)}::float8[],
          ${column((r) => r.distribution[0]!)}::int[], ${column((r) => r.distribution[1]!)}::int[],
          ${column((r) => r.distribution[2]!)}::int[], ${column((r) => r.distribution[3]!)}::int[],
          ${column((r) => r.distribution[4]!)}::int[], ${column((r) => r.distribution[5]!)}::int[],
          ${column((r) => r.qualified)}::boolean[], ${column((r) => r.winner)}::boolean[]
        ) as r(submission_id, rank, ballots, score_sum, mean, bayesian_score, weight, weighted_score_sum, would_buy,
          would_buy_lower_bound, d0, d1, d2, d3, d4, d5, qualified, winner)`);
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
    // The others all get the same notice: one read of their preferences and one insert per channel, not two
    // round trips per designer (0.6 s of a 5,000-design round's finalize).
    await notifyAll(tx, {
      userIds: entries.map((entry) => entry.designerId).filter((id) => !notified.has(id)),
      actorId: null,
      kind: "results_published",
      title: `The results of ${round.title} are out`,
      url: `/rounds/${round.slug}/results`,
    });

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
