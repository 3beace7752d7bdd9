import { and, asc, count, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import {
  proposals,
  proposalSupports,
  rounds,
  siteSettings,
  users,
  type MoodImage,
  type ProductType,
  type ProposalStatus,
} from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { isUniqueViolation } from "~/lib/db-errors.server";
import { getEnv } from "~/lib/env.server";
import { ArtworkRejected, type EncodedFile } from "~/lib/images/artwork.server";
import { processMoodImage } from "~/lib/images/mood.server";
import { renderMarkdown } from "~/lib/markdown.server";
import {
  afterKey,
  intKeyShape,
  pageOf,
  pageWithPlaces,
  PAGE_SIZE,
  timestampKey,
  timestampKeyShape,
} from "~/lib/pagination.server";
import { hitRateLimit } from "~/lib/rate-limit.server";
import { inImageTurn } from "~/lib/images/image-turn.server";
import { contentKey, getStorage, publicUrl, removeFiles, type Storage } from "~/lib/storage.server";
import { recordAudit } from "./audit.server";
import { notify, notifyAll } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";
import { withoutImages } from "./member-markdown";
import { mapPage } from "./page";
import { formatCount } from "~/lib/format";
import { supportersOf, TRENDING_WINDOW_MS } from "./proposal-notices.server";
import type { ProposalFormValue, ProposalSort } from "./proposal-forms";
import { MAX_MOOD_IMAGES } from "./proposal-forms";

/** Used when the settings row is missing (a fresh test database): the column's own default. */
export const DEFAULT_SUPPORT_THRESHOLD = 25;

/** Support counts at which the proposer hears how it is going (the threshold is announced too). */
export const SUPPORT_MILESTONES = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/** Proposals one member may have taking support (open or in review) at a time. */
export const OPEN_PROPOSALS_PER_MEMBER = 3;

const NOT_FOUND = "There is no such proposal.";
const ACTIVE: ProposalStatus[] = ["open", "review"];

export async function supportThreshold(runner: DbOrTx = db): Promise<number> {
  const [row] = await runner
    .select({ n: siteSettings.proposalSupportThreshold })
    .from(siteSettings)
    .where(eq(siteSettings.id, 1));
  return row?.n ?? DEFAULT_SUPPORT_THRESHOLD;
}

/**
 * Sets how many supporters take a proposal to review. Open proposals that
 * already have that many go to review now, as if their last supporter had
 * just arrived (audited, the proposer told), so lowering the threshold does
 * not leave them waiting for one more. A support given meanwhile waits on the
 * proposal's row lock, then sees the proposal as this left it.
 */
export async function setSupportThreshold(
  threshold: number,
  adminId: string,
  now = new Date(),
): Promise<Outcome<{ queued: number }>> {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100_000)
    return fail("invalid", "The threshold is a whole number from 1 to 100,000.", { field: "threshold" });
  const queued = await db.transaction(async (tx) => {
    await tx
      .insert(siteSettings)
      .values({ id: 1, proposalSupportThreshold: threshold, updatedById: adminId })
      .onConflictDoUpdate({
        target: siteSettings.id,
        set: { proposalSupportThreshold: threshold, updatedById: adminId, updatedAt: now },
      });
    await recordAudit(tx, {
      actorId: adminId,
      action: "settings.proposal_threshold",
      subjectType: "settings",
      subjectId: "1",
      detail: { threshold },
    });
    const reached = await tx
      .update(proposals)
      .set({ status: "review", reviewQueuedAt: now })
      .where(
        and(
          eq(proposals.status, "open"),
          isNull(proposals.reviewQueuedAt),
          sql`${proposals.supportCount} >= ${threshold}`,
        ),
      )
      .returning({
        id: proposals.id,
        proposerId: proposals.proposerId,
        title: proposals.title,
        supportCount: proposals.supportCount,
      });
    for (const row of reached)
      await recordQueuedForReview(tx, {
        proposal: row,
        actorId: adminId,
        threshold,
        title: `"${row.title}" has ${formatCount(row.supportCount, "supporter")}, enough for review now, and is with the admins`,
      });
    return reached.length;
  });
  return ok({ queued });
}

/** A proposal went to review: the audit log records why, and its proposer is told (`title`). */
async function recordQueuedForReview(
  tx: DbOrTx,
  input: {
    proposal: { id: string; proposerId: string | null; supportCount: number };
    actorId: string | null;
    threshold: number;
    title: string;
  },
) {
  const { proposal } = input;
  await recordAudit(tx, {
    actorId: input.actorId,
    action: "proposal.queued_for_review",
    subjectType: "proposal",
    subjectId: proposal.id,
    detail: { supportCount: proposal.supportCount, threshold: input.threshold },
  });
  await notify(tx, {
    userId: proposal.proposerId,
    actorId: null,
    kind: "proposal_support",
    title: input.title,
    url: `/proposals/${proposal.id}`,
  });
}

/** The member's proposal taking support under this theme (case and spacing aside), if there is one. */
async function activeProposalTitled(runner: DbOrTx, proposerId: string, title: string) {
  const [row] = await runner
    .select({ id: proposals.id, moodImages: proposals.moodImages })
    .from(proposals)
    .where(
      and(
        eq(proposals.proposerId, proposerId),
        inArray(proposals.status, ACTIVE),
        sql`lower(btrim(${proposals.title})) = lower(btrim(${title}))`,
      ),
    )
    .limit(1);
  return row;
}

async function activeProposalCount(runner: DbOrTx, proposerId: string) {
  const [active] = await runner
    .select({ n: count() })
    .from(proposals)
    .where(and(eq(proposals.proposerId, proposerId), inArray(proposals.status, ACTIVE)));
  return active?.n ?? 0;
}

const TOO_MANY_ACTIVE = `You already have ${OPEN_PROPOSALS_PER_MEMBER} proposals taking support. Withdraw one, or wait until the admins decide, to propose another.`;

/**
 * Publishes a member's proposal. Each mood image goes through the pipeline's
 * checks first; a refused image stores nothing, and if anything fails after
 * files were written, the files this call wrote are removed again.
 *
 * Sending the same theme again while it is
 * taking support (a double click, a form sent twice, a second tab) publishes
 * nothing new: the outcome names the proposal already there
 * (`alreadyPublished`). The checks are made again under a lock on the
 * member's row, so two requests at the same moment cannot both insert, nor
 * pass the cap together.
 */
export async function createProposal(input: {
  proposerId: string;
  value: ProposalFormValue;
  images: Buffer[];
  storage?: Storage;
}): Promise<Outcome<{ id: string; alreadyPublished: boolean }>> {
  if (input.images.length > MAX_MOOD_IMAGES)
    return fail("invalid", `A proposal has at most ${MAX_MOOD_IMAGES} mood images.`, { field: "images" });
  // Checked before any image work: the same theme sent again, the cap (they cost the member nothing), then the
  // day's allowance.
  const already = await activeProposalTitled(db, input.proposerId, input.value.title);
  if (already) return ok({ id: already.id, alreadyPublished: true });
  if ((await activeProposalCount(db, input.proposerId)) >= OPEN_PROPOSALS_PER_MEMBER)
    return fail("conflict", TOO_MANY_ACTIVE);
  const limit = await hitRateLimit(`proposal-create:${input.proposerId}`, {
    limit: getEnv().PROPOSALS_PER_DAY,
    windowSeconds: 24 * 3600,
  });
  if (!limit.allowed)
    return fail("rate_limited", "You have published many proposals today. Please come back tomorrow.", {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  const processed: { large: EncodedFile; small: EncodedFile; width: number; height: number }[] = [];
  for (const [i, bytes] of input.images.entries()) {
    try {
      processed.push(await inImageTurn(() => processMoodImage(bytes, getEnv().IMAGE_MAX_PIXELS)));
    } catch (error) {
      if (error instanceof ArtworkRejected)
        return fail(
          "invalid",
          `Mood image ${i + 1}: ${error.message.replace("this round needs", "mood images need")}`,
          {
            field: "images",
          },
        );
      throw error;
    }
  }
  const storage = input.storage ?? getStorage();
  const created: string[] = [];
  try {
    const put = async (file: EncodedFile) => {
      const key = contentKey("public", file.body, file.contentType);
      if ((await storage.put(key, file.body, file.contentType)).created) created.push(key);
      return key;
    };
    const moodImages: MoodImage[] = [];
    for (const image of processed)
      moodImages.push({
        large: await put(image.large),
        small: await put(image.small),
        width: image.width,
        height: image.height,
      });
    // Files the proposal already there shows (the same images sent twice have the same keys) stay.
    let kept = new Set<string>();
    const outcome = await db.transaction(async (tx): Promise<Outcome<{ id: string; alreadyPublished: boolean }>> => {
      await tx.execute(sql`select 1 from ${users} where ${users.id} = ${input.proposerId} for update`);
      const again = await activeProposalTitled(tx, input.proposerId, input.value.title);
      if (again) {
        kept = new Set(again.moodImages.flatMap((m) => [m.large, m.small]));
        return ok({ id: again.id, alreadyPublished: true });
      }
      if ((await activeProposalCount(tx, input.proposerId)) >= OPEN_PROPOSALS_PER_MEMBER)
        return fail("conflict", TOO_MANY_ACTIVE);
      const [row] = await tx
        .insert(proposals)
        .values({
          proposerId: input.proposerId,
          title: input.value.title,
          brief: input.value.brief,
          productTypes: [...new Set(input.value.productTypes)],
          moodImages,
        })
        .returning({ id: proposals.id });
      return ok({ id: row!.id, alreadyPublished: false });
    });
    // Nothing new was published: the files this request stored belong to no proposal.
    if (!outcome.ok || outcome.value.alreadyPublished)
      await removeFiles(
        storage,
        created.filter((key) => !kept.has(key)),
      );
    return outcome;
  } catch (error) {
    await removeFiles(storage, created);
    throw error;
  }
}

/** The proposer changes the words and product types, until the first support arrives. */
export async function editProposal(
  proposalId: string,
  proposerId: string,
  value: ProposalFormValue,
  now = new Date(),
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).for("update");
    if (!row || row.proposerId !== proposerId) return fail("not_found", NOT_FOUND);
    if (row.status !== "open") return fail("conflict", "Only an open proposal can be edited.");
    if (row.firstSupportedAt)
      return fail("conflict", "Members have supported this proposal as it stands, so it can no longer be edited.");
    await tx
      .update(proposals)
      .set({
        title: value.title,
        brief: value.brief,
        productTypes: [...new Set(value.productTypes)],
        editedAt: now,
      })
      .where(eq(proposals.id, proposalId));
    return ok();
  });
}

/** The proposer takes it back while it is still open or in review; a decided proposal stays as decided. */
export async function withdrawProposal(proposalId: string, proposerId: string, now = new Date()): Promise<Outcome> {
  const updated = await db
    .update(proposals)
    .set({ status: "withdrawn", decidedAt: now })
    .where(and(eq(proposals.id, proposalId), eq(proposals.proposerId, proposerId), inArray(proposals.status, ACTIVE)))
    .returning({ id: proposals.id });
  if (updated.length) return ok();
  const [row] = await db
    .select({ proposerId: proposals.proposerId })
    .from(proposals)
    .where(eq(proposals.id, proposalId));
  if (!row || row.proposerId !== proposerId) return fail("not_found", NOT_FOUND);
  return fail("conflict", "This proposal has already been decided or withdrawn.");
}

async function supportRateLimit(userId: string) {
  const limit = await hitRateLimit(`proposal-support:${userId}`, {
    limit: getEnv().PROPOSAL_SUPPORTS_PER_HOUR,
    windowSeconds: 3600,
  });
  return limit.allowed
    ? null
    : fail("rate_limited", "You have supported many proposals in the last hour. Please wait a little.", {
        retryAfterSeconds: limit.retryAfterSeconds,
      });
}

/**
 * One member's support. The proposal's row is locked for the whole step, so
 * concurrent supports are counted one after another: the one that reaches
 * the threshold moves the proposal to the review queue, exactly once
 * (`review_queued_at` is only ever set from null).
 */
export async function supportProposal(
  proposalId: string,
  userId: string,
  now = new Date(),
): Promise<Outcome<{ supportCount: number; queued: boolean }>> {
  const limited = await supportRateLimit(userId);
  if (limited) return limited;
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).for("update");
    if (!row) return fail("not_found", NOT_FOUND);
    if (row.proposerId === userId) return fail("forbidden", "You can't support your own proposal.");
    if (!ACTIVE.includes(row.status))
      return fail("conflict", "This proposal has been decided or withdrawn, so it no longer takes support.");
    const inserted = await tx
      .insert(proposalSupports)
      .values({ proposalId, userId, createdAt: now })
      .onConflictDoNothing()
      .returning({ userId: proposalSupports.userId });
    if (!inserted.length) return fail("conflict", "You already support this proposal.");
    const supportCount = row.supportCount + 1;
    const threshold = await supportThreshold(tx);
    const queued = row.status === "open" && row.reviewQueuedAt === null && supportCount >= threshold;
    const milestone = SUPPORT_MILESTONES.filter((m) => m <= supportCount && m > row.milestoneNotified).at(-1);
    await tx
      .update(proposals)
      .set({
        supportCount,
        recentSupport: row.recentSupport + 1,
        firstSupportedAt: row.firstSupportedAt ?? now,
        ...(milestone ? { milestoneNotified: milestone } : {}),
        ...(queued ? { status: "review" as const, reviewQueuedAt: now } : {}),
      })
      .where(eq(proposals.id, proposalId));
    const url = `/proposals/${proposalId}`;
    if (queued) {
      await recordQueuedForReview(tx, {
        proposal: { id: proposalId, proposerId: row.proposerId, supportCount },
        actorId: null,
        threshold,
        title: `"${row.title}" reached ${formatCount(supportCount, "supporter")} and is now with the admins for review`,
      });
    } else if (milestone) {
      await notify(tx, {
        userId: row.proposerId,
        actorId: null,
        kind: "proposal_support",
        title:
          milestone === 1 ? `"${row.title}" has its first supporter` : `"${row.title}" reached ${milestone} supporters`,
        url,
      });
    }
    return ok({ supportCount, queued });
  });
}

/** Takes a member's support back, while the proposal is undecided. Once in review it stays there. */
export async function withdrawSupport(proposalId: string, userId: string, now = new Date()): Promise<Outcome> {
  const limited = await supportRateLimit(userId);
  if (limited) return limited;
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).for("update");
    if (!row) return fail("not_found", NOT_FOUND);
    if (!ACTIVE.includes(row.status))
      return fail("conflict", "This proposal has been decided, so its support stands as it was.");
    const [removed] = await tx
      .delete(proposalSupports)
      .where(and(eq(proposalSupports.proposalId, proposalId), eq(proposalSupports.userId, userId)))
      .returning({ createdAt: proposalSupports.createdAt });
    if (!removed) return fail("conflict", "You do not support this proposal.");
    const wasRecent = removed.createdAt.getTime() > now.getTime() - TRENDING_WINDOW_MS;
    await tx
      .update(proposals)
      .set({
        supportCount: sql`greatest(${proposals.supportCount} - 1, 0)`,
        recentSupport: wasRecent ? sql`greatest(${proposals.recentSupport} - 1, 0)` : proposals.recentSupport,
      })
      .where(eq(proposals.id, proposalId));
    return ok();
  });
}

function moodUrls(images: MoodImage[]) {
  return images.map((m) => ({
    large: publicUrl(m.large),
    small: publicUrl(m.small),
    width: m.width,
    height: m.height,
  }));
}

/** The proposer's username, or null once they deleted their account (its anonymous name leads nowhere). */
const proposerName = sql<string | null>`case when ${users.deletedAt} is null then ${users.username} end`;

/** A page of a list: newest and trending carry (key, created_at, id); newest carries (0, created_at, id). */
export const proposalCursor = z.tuple([intKeyShape, timestampKeyShape, z.uuid()]);

/**
 * Proposals still taking support, a page at a time, in one of three orders,
 * each a walk of its own partial index: trending (support in the last 7
 * days, the stored `recent_support`), most supported (`support_count`) or
 * newest. Ties fall to the newer proposal, then the id.
 */
export async function listProposals(
  sort: ProposalSort,
  options: { after?: z.output<typeof proposalCursor>; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const first = sort === "trending" ? proposals.recentSupport : proposals.supportCount;
  const order = sort === "newest" ? [proposals.createdAt, proposals.id] : [first, proposals.createdAt, proposals.id];
  const casts = sort === "newest" ? ["timestamptz", "uuid"] : ["int", "timestamptz", "uuid"];
  const after = options.after ? (sort === "newest" ? options.after.slice(1) : options.after) : undefined;
  const rows = await db
    .select({
      id: proposals.id,
      title: proposals.title,
      status: proposals.status,
      supportCount: proposals.supportCount,
      recentSupport: proposals.recentSupport,
      moodImages: proposals.moodImages,
      createdAt: proposals.createdAt,
      proposer: proposerName,
      key: timestampKey(proposals.createdAt),
    })
    .from(proposals)
    .leftJoin(users, eq(users.id, proposals.proposerId))
    .where(
      and(
        sql`${proposals.status} in ('open', 'review')`,
        afterKey(order, after as readonly (string | number)[] | undefined, "desc", casts),
      ),
    )
    .orderBy(...order.map((c) => desc(c)))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [
      sort === "trending" ? r.recentSupport : sort === "supported" ? r.supportCount : 0,
      r.key,
      r.id,
    ]),
    ({ key: _key, moodImages, ...p }) => ({ ...p, cover: moodUrls(moodImages)[0] ?? null }),
  );
}

export type ProposalViewer = { id: string; role: string } | null;

/**
 * A proposal as its page shows it, with what the viewer may do. Withdrawn
 * proposals are shown to their proposer and admins only; decided ones keep
 * their page, with the decline reason or the round they became (once that
 * round is published).
 */
export async function findProposal(proposalId: string, viewer: ProposalViewer, now = new Date()) {
  const [row] = await db
    .select({
      id: proposals.id,
      title: proposals.title,
      brief: proposals.brief,
      status: proposals.status,
      productTypes: proposals.productTypes,
      moodImages: proposals.moodImages,
      supportCount: proposals.supportCount,
      firstSupportedAt: proposals.firstSupportedAt,
      declineReason: proposals.declineReason,
      removalReason: proposals.removalReason,
      decidedAt: proposals.decidedAt,
      reviewQueuedAt: proposals.reviewQueuedAt,
      createdAt: proposals.createdAt,
      editedAt: proposals.editedAt,
      proposerId: proposals.proposerId,
      proposer: proposerName,
      roundSlug: rounds.slug,
      roundTitle: rounds.title,
      roundPublishedAt: rounds.publishedAt,
    })
    .from(proposals)
    .leftJoin(users, eq(users.id, proposals.proposerId))
    .leftJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(eq(proposals.id, proposalId))
    .limit(1);
  if (!row) return null;
  const isProposer = Boolean(viewer && viewer.id === row.proposerId);
  const isAdmin = viewer?.role === "admin";
  // Withdrawn and removed proposals are their proposer's and the admins' business only.
  if ((row.status === "withdrawn" || row.status === "removed") && !isProposer && !isAdmin) return null;
  const [support] = viewer
    ? await db
        .select({ at: proposalSupports.createdAt })
        .from(proposalSupports)
        .where(and(eq(proposalSupports.proposalId, proposalId), eq(proposalSupports.userId, viewer.id)))
    : [];
  const active = ACTIVE.includes(row.status);
  // A round is shown by its address only once it is public (the draft is the admins' business).
  const round =
    row.roundSlug && (row.roundPublishedAt || isAdmin)
      ? { slug: row.roundSlug, title: row.roundTitle!, published: Boolean(row.roundPublishedAt) }
      : null;
  return {
    id: row.id,
    title: row.title,
    briefHtml: renderMarkdown(withoutImages(row.brief)),
    brief: isProposer ? row.brief : null,
    status: row.status,
    productTypes: row.productTypes as ProductType[],
    moodImages: moodUrls(row.moodImages),
    supportCount: row.supportCount,
    declineReason: row.status === "declined" ? row.declineReason : null,
    removalReason: row.status === "removed" ? row.removalReason : null,
    decidedAt: row.decidedAt,
    createdAt: row.createdAt,
    edited: Boolean(row.editedAt),
    proposer: row.proposer,
    round,
    isProposer,
    supported: Boolean(support),
    canSupport: Boolean(viewer && !isProposer && active && !support),
    canWithdrawSupport: Boolean(viewer && active && support),
    canEdit: isProposer && row.status === "open" && !row.firstSupportedAt,
    canWithdraw: isProposer && active,
    now,
  };
}

/** The review queue's order: oldest arrival first (proposals_review_idx). */
export const reviewCursor = z.tuple([timestampKeyShape, z.uuid()]);

/** Proposals waiting for an admin's decision, a page at a time. */
export async function reviewQueue(options: { after?: z.output<typeof reviewCursor>; size?: number } = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: proposals.id,
      title: proposals.title,
      supportCount: proposals.supportCount,
      reviewQueuedAt: proposals.reviewQueuedAt,
      proposer: proposerName,
      key: timestampKey(proposals.reviewQueuedAt),
    })
    .from(proposals)
    .leftJoin(users, eq(users.id, proposals.proposerId))
    .where(
      and(
        eq(proposals.status, "review"),
        afterKey([proposals.reviewQueuedAt, proposals.id], options.after, "asc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(asc(proposals.reviewQueuedAt), asc(proposals.id))
    .limit(size + 1);
  return pageWithPlaces(rows, size, (r) => [r.key, r.id] as [string, string], options.after);
}

/** Turns a slug-like title into a round address suggestion. */
export function suggestedSlug(title: string) {
  return (
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50)
      .replace(/-+$/, "") || "round"
  );
}

const BASE_PRICES: Record<ProductType, number> = { tee: 2500, poster: 1800 };
const DAY = 24 * 60 * 60 * 1000;

/**
 * The admin turns a proposal in review into a draft round, prefilled from it:
 * title, brief (its images turned into links) and the suggested products; dates two weeks out, which the
 * admin edits before publishing. The proposer hears the news now; the
 * supporters when the round is published.
 */
export async function acceptProposal(
  proposalId: string,
  adminId: string,
  input: { slug: string; proposerShareCents: number },
  now = new Date(),
): Promise<Outcome<{ roundId: string }>> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).for("update");
      if (!row) return fail("not_found", NOT_FOUND);
      if (row.status !== "review") return fail("conflict", "Only a proposal in review can be decided.");
      const types = row.productTypes.length ? row.productTypes : (["tee", "poster"] as ProductType[]);
      const opensAt = new Date(Math.ceil((now.getTime() + 14 * DAY) / 3_600_000) * 3_600_000);
      const [round] = await tx
        .insert(rounds)
        .values({
          title: row.title.slice(0, 80),
          slug: input.slug,
          // The member's words become admin-owned text, still without the member's remote images.
          brief: withoutImages(row.brief),
          submissionsOpenAt: opensAt,
          votingOpensAt: new Date(opensAt.getTime() + 14 * DAY),
          votingClosesAt: new Date(opensAt.getTime() + 21 * DAY),
          productTypes: types.map((type) => ({ type, basePriceCents: BASE_PRICES[type] })),
          proposalId,
          proposerPrizeCents: input.proposerShareCents,
          createdById: adminId,
          publishedAt: null,
        })
        .returning({ id: rounds.id });
      await tx
        .update(proposals)
        .set({ status: "accepted", decidedAt: now, decidedById: adminId, roundId: round!.id })
        .where(eq(proposals.id, proposalId));
      await recordAudit(tx, {
        actorId: adminId,
        action: "proposal.accepted",
        subjectType: "proposal",
        subjectId: proposalId,
        detail: { roundId: round!.id, proposerShareCents: input.proposerShareCents },
      });
      await notify(tx, {
        userId: row.proposerId,
        actorId: adminId,
        kind: "proposal_decided",
        title: `Your proposal "${row.title}" was accepted: it will become a round`,
        url: `/proposals/${proposalId}`,
      });
      return ok({ roundId: round!.id });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail("conflict", "Another round already uses this address", { field: "slug" });
    throw error;
  }
}

/** The admin declines a proposal in review; the proposer and supporters hear it, and the page shows the reason. */
export async function declineProposal(
  proposalId: string,
  adminId: string,
  reason: string,
  now = new Date(),
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(proposals)
      .set({ status: "declined", decidedAt: now, decidedById: adminId, declineReason: reason })
      .where(and(eq(proposals.id, proposalId), eq(proposals.status, "review")))
      .returning({ id: proposals.id, title: proposals.title, proposerId: proposals.proposerId });
    if (!row) {
      const [exists] = await tx.select({ id: proposals.id }).from(proposals).where(eq(proposals.id, proposalId));
      return exists ? fail("conflict", "Only a proposal in review can be decided.") : fail("not_found", NOT_FOUND);
    }
    await recordAudit(tx, {
      actorId: adminId,
      action: "proposal.declined",
      subjectType: "proposal",
      subjectId: proposalId,
      detail: { reason },
    });
    const url = `/proposals/${proposalId}`;
    await notify(tx, {
      userId: row.proposerId,
      actorId: adminId,
      kind: "proposal_decided",
      title: `Your proposal "${row.title}" was declined`,
      url,
    });
    await notifyAll(tx, {
      userIds: (await supportersOf(tx, proposalId)).filter((id) => id !== row.proposerId),
      actorId: adminId,
      kind: "proposal_decided",
      title: `A proposal you supported, "${row.title}", was declined`,
      url,
    });
    return ok();
  });
}

/**
 * A moderator takes down a proposal that is still open or in review (an
 * offensive theme or mood image, usually after a report): it leaves the lists
 * and stops taking support, its page is kept for its proposer and admins with
 * the reason, and its mood images are deleted from storage. A key another
 * proposal also uses (the same image, stored once under its content hash)
 * stays for that proposal.
 */
export async function removeProposal(
  proposalId: string,
  adminId: string,
  reason: string,
  options: { now?: Date; storage?: Storage } = {},
): Promise<Outcome<{ title: string }>> {
  const now = options.now ?? new Date();
  const removed = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).for("update");
    if (!row) return fail("not_found", NOT_FOUND);
    if (!ACTIVE.includes(row.status))
      return fail("conflict", "Only an open proposal or one in review can be removed; this one is already decided.");
    await tx
      .update(proposals)
      .set({ status: "removed", decidedAt: now, decidedById: adminId, removalReason: reason, moodImages: [] })
      .where(eq(proposals.id, proposalId));
    await recordAudit(tx, {
      actorId: adminId,
      action: "proposal.removed",
      subjectType: "proposal",
      subjectId: proposalId,
      detail: { reason, fromStatus: row.status, moodImages: row.moodImages.length },
    });
    await notify(tx, {
      userId: row.proposerId,
      actorId: adminId,
      kind: "proposal_decided",
      title: `Your proposal "${row.title}" was removed by the moderators`,
      url: `/proposals/${proposalId}`,
    });
    const keys = row.moodImages.flatMap((m) => [m.large, m.small]);
    const shared = keys.length
      ? await tx
          .select({ images: proposals.moodImages })
          .from(proposals)
          .where(
            and(
              sql`${proposals.id} <> ${proposalId}`,
              or(
                ...row.moodImages.flatMap((m) => [
                  sql`${proposals.moodImages} @> ${JSON.stringify([{ large: m.large }])}::jsonb`,
                  sql`${proposals.moodImages} @> ${JSON.stringify([{ small: m.small }])}::jsonb`,
                ]),
              ),
            ),
          )
      : [];
    const stillUsed = new Set(shared.flatMap((p) => p.images.flatMap((m) => [m.large, m.small])));
    return ok({ title: row.title, keys: keys.filter((k) => !stillUsed.has(k)) });
  });
  if (!removed.ok) return removed;
  // After the commit: a rolled-back removal must not lose the images.
  await removeFiles(options.storage ?? getStorage(), removed.value.keys);
  return ok({ title: removed.value.title });
}
