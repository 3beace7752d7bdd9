import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { follows, products, roundResults, rounds, submissions, users } from "#db/schema";
import type { PgColumn } from "drizzle-orm/pg-core";
import { db, type DbOrTx } from "~/lib/db.server";
import { notifyAll } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";

/** Following twice is following once. */
export async function follow(followerId: string, designerId: string): Promise<Outcome> {
  if (followerId === designerId) return fail("invalid", "You cannot follow yourself.");
  await db.insert(follows).values({ followerId, designerId }).onConflictDoNothing();
  return ok();
}

export async function unfollow(followerId: string, designerId: string) {
  await db.delete(follows).where(and(eq(follows.followerId, followerId), eq(follows.designerId, designerId)));
}

export async function isFollowing(followerId: string, designerId: string) {
  const [row] = await db
    .select({ f: follows.followerId })
    .from(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.designerId, designerId)))
    .limit(1);
  return Boolean(row);
}

export async function followerCount(designerId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(follows)
    .where(eq(follows.designerId, designerId));
  return row?.n ?? 0;
}

/** Called when a design is approved: its designer's followers hear of it. */
export async function notifyFollowersOfNewDesign(runner: DbOrTx, submissionId: string) {
  const [design] = await runner
    .select({ designerId: submissions.designerId, title: submissions.title, username: users.username })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(eq(submissions.id, submissionId));
  if (!design) return;
  const fans = await runner
    .select({ id: follows.followerId })
    .from(follows)
    .where(eq(follows.designerId, design.designerId));
  await notifyAll(runner, {
    userIds: fans.map((f) => f.id),
    actorId: design.designerId,
    kind: "new_design",
    title: `@${design.username} has a new design: "${design.title}"`,
    url: `/submissions/${submissionId}`,
  });
}

export type FeedItem = {
  kind: "design" | "win" | "product";
  id: string;
  title: string;
  designer: string;
  at: Date;
  url: string;
  roundTitle: string;
};

/**
 * The home feed: new designs, wins and products from designers one follows
 * and from rounds one has entered. Newest first; one's own work is left out
 * (the notifications tell of that).
 */
export async function feedFor(userId: string, limit = 30): Promise<FeedItem[]> {
  const followed = db.select({ id: follows.designerId }).from(follows).where(eq(follows.followerId, userId));
  const joined = db.select({ id: submissions.roundId }).from(submissions).where(eq(submissions.designerId, userId));
  const fromFollowedOrJoined = (designerId: PgColumn, roundId: PgColumn) =>
    and(sql`${designerId} <> ${userId}`, or(inArray(designerId, followed), inArray(roundId, joined)));
  const [designs, wins, goods] = await Promise.all([
    db
      .select({
        id: submissions.id,
        title: submissions.title,
        designer: users.username,
        at: submissions.moderatedAt,
        createdAt: submissions.createdAt,
        roundTitle: rounds.title,
      })
      .from(submissions)
      .innerJoin(users, eq(users.id, submissions.designerId))
      .innerJoin(rounds, eq(rounds.id, submissions.roundId))
      .where(and(eq(submissions.status, "approved"), fromFollowedOrJoined(submissions.designerId, submissions.roundId)))
      .orderBy(desc(submissions.createdAt))
      .limit(limit),
    db
      .select({
        id: submissions.id,
        title: submissions.title,
        designer: users.username,
        at: rounds.finalizedAt,
        rank: roundResults.rank,
        roundTitle: rounds.title,
        roundSlug: rounds.slug,
      })
      .from(roundResults)
      .innerJoin(submissions, eq(submissions.id, roundResults.submissionId))
      .innerJoin(users, eq(users.id, submissions.designerId))
      .innerJoin(rounds, eq(rounds.id, roundResults.roundId))
      .where(and(eq(roundResults.winner, true), fromFollowedOrJoined(submissions.designerId, submissions.roundId)))
      .orderBy(desc(rounds.finalizedAt))
      .limit(limit),
    db
      .select({
        id: products.id,
        title: products.title,
        type: products.type,
        designer: users.username,
        at: products.createdAt,
        roundTitle: rounds.title,
      })
      .from(products)
      .innerJoin(users, eq(users.id, products.designerId))
      .innerJoin(rounds, eq(rounds.id, products.roundId))
      .where(and(eq(products.active, true), fromFollowedOrJoined(products.designerId, products.roundId)))
      .orderBy(desc(products.createdAt))
      .limit(limit),
  ]);
  const items: FeedItem[] = [
    ...designs.map((d) => ({
      kind: "design" as const,
      id: d.id,
      title: d.title,
      designer: d.designer,
      at: d.at ?? d.createdAt,
      url: `/submissions/${d.id}`,
      roundTitle: d.roundTitle,
    })),
    ...wins.map((w) => ({
      kind: "win" as const,
      id: w.id,
      title: `${w.title} (#${w.rank})`,
      designer: w.designer,
      at: w.at!,
      url: `/rounds/${w.roundSlug}/results`,
      roundTitle: w.roundTitle,
    })),
    ...goods.map((p) => ({
      kind: "product" as const,
      id: p.id,
      title: `${p.title} (${p.type === "tee" ? "T-shirt" : "Poster"})`,
      designer: p.designer,
      at: p.at,
      url: `/shop/${p.id}`,
      roundTitle: p.roundTitle,
    })),
  ];
  return items.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}
