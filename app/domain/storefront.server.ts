import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { follows, roundResults, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { publicAvatar, withPublicArtwork } from "~/lib/storage.server";
import { listProducts } from "./shop.server";
import { roundVisibleTo } from "./rounds.server";

/**
 * The home page's shop window: artwork first. Every list here is a short,
 * fixed-size read through an index, whatever the size of the rounds, the shop
 * or the membership (STYLE.md "Sizes to design for"); none shows a score of a
 * round that is still voting.
 */

/** Designs per live round in the home page's strip. */
export const STRIP_SIZE = 8;

const roundCard = {
  id: rounds.id,
  slug: rounds.slug,
  title: rounds.title,
  brief: rounds.brief,
  submissionsOpenAt: rounds.submissionsOpenAt,
  votingOpensAt: rounds.votingOpensAt,
  votingClosesAt: rounds.votingClosesAt,
};

/**
 * Rounds voting now, closing soonest first, each with a strip of its
 * designs in their fixed random order (`submissions_gallery_idx`, the order
 * the round's gallery shuffles from): no ranking, no ballot counts.
 */
export async function liveVotes(now = new Date(), limit = 2) {
  const live = await db
    .select(roundCard)
    .from(rounds)
    .where(
      and(
        isNull(rounds.finalizedAt),
        lte(rounds.votingOpensAt, now),
        gt(rounds.votingClosesAt, now),
        roundVisibleTo(null),
      ),
    )
    .orderBy(asc(rounds.votingClosesAt), asc(rounds.id))
    .limit(limit);
  return Promise.all(
    live.map(async (round) => {
      const designs = await db
        .select({
          id: submissions.id,
          title: submissions.title,
          images: submissions.images,
          designerUsername: users.username,
        })
        .from(submissions)
        .innerJoin(users, eq(users.id, submissions.designerId))
        .where(and(eq(submissions.roundId, round.id), eq(submissions.status, "approved")))
        .orderBy(asc(submissions.tieBreak), asc(submissions.id))
        .limit(STRIP_SIZE);
      return { ...round, phase: "voting" as const, designs: designs.map(withPublicArtwork) };
    }),
  );
}

/** Rounds taking submissions now, those whose window closes soonest first. */
export async function openForSubmissions(now = new Date(), limit = 4) {
  const rows = await db
    .select(roundCard)
    .from(rounds)
    .where(
      and(
        isNull(rounds.finalizedAt),
        lte(rounds.submissionsOpenAt, now),
        gt(rounds.votingOpensAt, now),
        roundVisibleTo(null),
      ),
    )
    .orderBy(asc(rounds.votingOpensAt), asc(rounds.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, phase: "submissions" as const }));
}

/**
 * The newest winners and their products: the newest products (one walk of
 * `products_newest_idx`), gathered by design, so a design sold as a tee and
 * a poster shows once with both.
 */
export async function newestWinners(limit = 6) {
  const page = await listProducts({}, { size: limit * 2 });
  const byDesign = new Map<
    string,
    {
      submissionId: string;
      title: string;
      designerUsername: string;
      roundTitle: string;
      roundSlug: string;
      mockupUrl: string;
      products: { id: string; type: "tee" | "poster"; basePriceCents: number; currency: string }[];
    }
  >();
  for (const p of page.items) {
    const design = byDesign.get(p.submissionId) ?? {
      submissionId: p.submissionId,
      title: p.title,
      designerUsername: p.designerUsername,
      roundTitle: p.roundTitle,
      roundSlug: p.roundSlug,
      mockupUrl: p.mockupUrl,
      products: [],
    };
    design.products.push({ id: p.id, type: p.type, basePriceCents: p.basePriceCents, currency: p.currency });
    byDesign.set(p.submissionId, design);
  }
  return [...byDesign.values()].slice(0, limit).map((d) => ({
    ...d,
    // The tee first where there is one: it is what the mockup shows best.
    products: d.products.sort((a, b) => a.type.localeCompare(b.type)).reverse(),
  }));
}

/** The shop's best sellers (`products_best_selling_idx`); empty until something has sold. */
export async function bestSellers(limit = 6) {
  const page = await listProducts({ sort: "best-selling" }, { size: limit });
  return page.items.filter((p) => p.unitsSold > 0);
}

/** How many recent finalized rounds "designers worth following" looks at. */
export const RECENT_ROUNDS = 8;

/**
 * Designers worth following: those with the most wins in the last few
 * finalized rounds (`rounds_finalized_idx`, then each round's winners
 * through `round_results_winners_idx`: at most RECENT_ROUNDS × the rounds'
 * winner counts rows), with their follower counts.
 */
export async function designersToFollow(limit = 6) {
  const recent = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(isNotNull(rounds.finalizedAt))
    .orderBy(desc(rounds.finalizedAt))
    .limit(RECENT_ROUNDS)
    .as("recent");
  const wins = sql<number>`count(*)::int`;
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatar: users.avatar,
      wins,
    })
    .from(roundResults)
    .innerJoin(recent, eq(recent.id, roundResults.roundId))
    .innerJoin(submissions, eq(submissions.id, roundResults.submissionId))
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(and(eq(roundResults.winner, true), isNull(users.deletedAt)))
    .groupBy(users.id)
    .orderBy(desc(wins), asc(users.username))
    .limit(limit);
  if (rows.length === 0) return [];
  const counts = await db
    .select({ designerId: follows.designerId, n: sql<number>`count(*)::int` })
    .from(follows)
    .where(
      inArray(
        follows.designerId,
        rows.map((r) => r.id),
      ),
    )
    .groupBy(follows.designerId);
  const followers = new Map(counts.map((c) => [c.designerId, c.n]));
  return rows.map(({ id, avatar, ...designer }) => ({
    ...designer,
    avatarUrl: avatar ? publicAvatar(avatar).small : null,
    followers: followers.get(id) ?? 0,
  }));
}
