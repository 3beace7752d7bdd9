import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import {
  nearDuplicates,
  products,
  roundResults,
  rounds,
  submissions,
  users,
  type ArtworkImages,
  type SubmissionStatus,
} from "#db/schema";
import { z } from "zod";
import { db, type DbOrTx } from "~/lib/db.server";
import { afterKey, intKeyShape, pageOf, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { getEnv } from "~/lib/env.server";
import { ArtworkRejected, processArtwork, type EncodedFile, type ProcessedArtwork } from "~/lib/images/artwork.server";
import { inImageTurn } from "~/lib/images/image-turn.server";
import type { PublicArtwork } from "~/lib/images/public-images";
import { contentKey, getStorage, removeFiles, withPublicArtwork, type Storage } from "~/lib/storage.server";
import { recordAudit } from "./audit.server";
import { avifJobQueued, queueAvif } from "./avif-renditions.server";
import { notifyFollowersOfNewDesign } from "./follows.server";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage, type Page } from "./page";
import { hammingDistance, NEAR_DUPLICATE_DISTANCE } from "./perceptual-hash";
import { roundPhase, PHASE_LABELS, type RoundPhase } from "./round-phase";
import { roundVisibleTo, type RoundViewer } from "./rounds.server";

export type SubmissionDetails = { title: string; description: string; tags: string[] };

/** A failure's `field` is "file" when the artwork itself is refused, absent when the round refuses the designer. */
export type SubmitResult = Outcome<{ submissionId: string; status: SubmissionStatus }>;

export function processInTurn(bytes: Buffer, limits: { maxPixels: number; minWidth: number; minHeight: number }) {
  return inImageTurn(() => processArtwork(bytes, limits));
}

export type UploadRound = NonNullable<Awaited<ReturnType<typeof findRoundForUpload>>>;

/** The round an upload goes to, with the rules the upload is checked against. */
export async function findRoundForUpload(roundSlug: string, viewer: RoundViewer) {
  const [round] = await db
    .select({
      id: rounds.id,
      title: rounds.title,
      submissionsOpenAt: rounds.submissionsOpenAt,
      votingOpensAt: rounds.votingOpensAt,
      votingClosesAt: rounds.votingClosesAt,
      finalizedAt: rounds.finalizedAt,
      publishedAt: rounds.publishedAt,
      maxSubmissionsPerDesigner: rounds.maxSubmissionsPerDesigner,
      minArtworkWidth: rounds.minArtworkWidth,
      minArtworkHeight: rounds.minArtworkHeight,
      autoApprove: rounds.autoApprove,
    })
    .from(rounds)
    .where(and(eq(rounds.slug, roundSlug), roundVisibleTo(viewer)))
    .limit(1);
  return round ?? null;
}

function countActiveSubmissions(tx: DbOrTx, roundId: string, designerId: string) {
  return tx
    .select({ n: count() })
    .from(submissions)
    .where(
      and(
        eq(submissions.roundId, roundId),
        eq(submissions.designerId, designerId),
        ne(submissions.status, "withdrawn"),
      ),
    );
}

function limitMessage(max: number) {
  return `You have already entered ${max} design${max === 1 ? "" : "s"} in this round, the most it allows. Withdraw one to enter another.`;
}

/** Whether a designer may enter this round now, before any file is read; the value is how many designs they have in it. */
export async function checkCanSubmit(
  round: UploadRound,
  designerId: string,
  now = new Date(),
): Promise<Outcome<{ used: number }>> {
  const phase = roundPhase(round, now);
  if (phase !== "submissions") {
    return fail("conflict", `This round is not taking submissions: ${PHASE_LABELS[phase].toLowerCase()}.`);
  }
  const [row] = await countActiveSubmissions(db, round.id, designerId);
  const used = row?.n ?? 0;
  if (used >= round.maxSubmissionsPerDesigner) return fail("conflict", limitMessage(round.maxSubmissionsPerDesigner));
  return ok({ used });
}

/** Writes each file under its content key; remembers which ones this call created. */
async function storeFiles(storage: Storage, artwork: ProcessedArtwork, created: string[]): Promise<ArtworkImages> {
  const put = async (file: EncodedFile, visibility: "public" | "private") => {
    const key = contentKey(visibility, file.body, file.contentType);
    const result = await storage.put(key, file.body, file.contentType);
    if (result.created) created.push(key);
    return key;
  };
  const master = await put(artwork.master, "private");
  const previewWebp = await put(artwork.preview.webp, "public");
  const thumbWebp = await put(artwork.thumb.webp, "public");
  const tee = await put(artwork.mockups.tee, "public");
  const poster = await put(artwork.mockups.poster, "public");
  const share = await put(artwork.share, "public");
  return {
    master,
    preview: { webp: previewWebp, width: artwork.preview.width, height: artwork.preview.height },
    thumb: { webp: thumbWebp, width: artwork.thumb.width, height: artwork.thumb.height },
    mockups: { tee, poster },
    share,
  };
}

async function findNearDuplicates(hash: string) {
  const earlier = await db.select({ id: submissions.id, hash: submissions.perceptualHash }).from(submissions);
  return earlier
    .map((s) => ({ id: s.id, distance: hammingDistance(hash, s.hash) }))
    .filter((s) => s.distance <= NEAR_DUPLICATE_DISTANCE)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 10);
}

/**
 * From an uploaded file to a submission row. Nothing is kept when anything
 * fails: files this call wrote are deleted again, and the row is written in
 * one transaction that re-checks the designer's limit under a lock. The
 * AVIF renditions are queued in that transaction and made after the answer
 * (avif-renditions.server.ts).
 */
export async function submitArtwork(input: {
  designerId: string;
  roundSlug: string;
  details: SubmissionDetails;
  bytes: Buffer;
  storage?: Storage;
  now?: Date;
}): Promise<SubmitResult> {
  // Nobody, admins included, enters a draft: it answers as no round at all.
  const round = await findRoundForUpload(input.roundSlug, null);
  if (!round) return fail("not_found", "There is no round at this address.");
  const allowed = await checkCanSubmit(round, input.designerId, input.now);
  if (!allowed.ok) return allowed;

  let artwork: ProcessedArtwork;
  try {
    artwork = await processInTurn(input.bytes, {
      maxPixels: getEnv().IMAGE_MAX_PIXELS,
      minWidth: round.minArtworkWidth,
      minHeight: round.minArtworkHeight,
    });
  } catch (error) {
    if (error instanceof ArtworkRejected) return fail("invalid", error.message, { field: "file" });
    throw error;
  }

  const storage = input.storage ?? getStorage();
  const created: string[] = [];
  try {
    const images = await storeFiles(storage, artwork, created);
    const duplicates = await findNearDuplicates(artwork.perceptualHash);
    const status: SubmissionStatus = round.autoApprove ? "approved" : "pending";
    const outcome = await db.transaction(async (tx) => {
      // One upload at a time per designer, so two at once cannot both squeeze under the limit.
      await tx.execute(sql`select ${users.id} from ${users} where ${users.id} = ${input.designerId} for update`);
      const [row] = await countActiveSubmissions(tx, round.id, input.designerId);
      if ((row?.n ?? 0) >= round.maxSubmissionsPerDesigner) return { limitReached: true as const };
      const [inserted] = await tx
        .insert(submissions)
        .values({
          roundId: round.id,
          designerId: input.designerId,
          title: input.details.title,
          description: input.details.description,
          tags: input.details.tags,
          status,
          moderatedAt: round.autoApprove ? new Date() : null,
          images,
          artworkWidth: artwork.width,
          artworkHeight: artwork.height,
          perceptualHash: artwork.perceptualHash,
        })
        .returning({ id: submissions.id });
      const submissionId = inserted!.id;
      await queueAvif(tx, submissionId);
      if (duplicates.length) {
        await tx
          .insert(nearDuplicates)
          .values(duplicates.map((d) => ({ submissionId, earlierSubmissionId: d.id, distance: d.distance })));
      }
      if (round.autoApprove) await notifyFollowersOfNewDesign(tx, submissionId);
      await recordAudit(tx, {
        actorId: input.designerId,
        action: round.autoApprove ? "submission.auto_approved" : "submission.submitted",
        subjectType: "submission",
        subjectId: submissionId,
        detail: { roundId: round.id, nearDuplicates: duplicates.length },
      });
      return { limitReached: false as const, submissionId };
    });
    if (outcome.limitReached) {
      await removeFiles(storage, created);
      return fail("conflict", limitMessage(round.maxSubmissionsPerDesigner));
    }
    avifJobQueued(outcome.submissionId, {
      previewPixels: artwork.previewPixels,
      webpBytes: { preview: artwork.preview.webp.body.length, thumb: artwork.thumb.webp.body.length },
    });
    return ok({ submissionId: outcome.submissionId, status });
  } catch (error) {
    await removeFiles(storage, created);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Reading submissions

const cardColumns = {
  id: submissions.id,
  title: submissions.title,
  status: submissions.status,
  images: submissions.images,
  tags: submissions.tags,
  createdAt: submissions.createdAt,
  designerUsername: users.username,
  designerId: submissions.designerId,
};

/** A round's approved designs in the order they arrived: the gallery once voting is over, and before it opens. */
export const arrivalCursor = z.tuple([timestampKeyShape, z.uuid()]);

/**
 * A round's approved designs by arrival, oldest first (the default outside
 * voting) or newest first: each one walk of `submissions_arrival_idx`, one
 * way or the other.
 */
export async function approvedInRound(
  roundId: string,
  options: { after?: z.output<typeof arrivalCursor>; size?: number; order?: "oldest" | "newest" } = {},
): Promise<Page<PublicCard>> {
  const size = options.size ?? PAGE_SIZE;
  const direction = options.order === "newest" ? desc : asc;
  const rows = await db
    .select({ ...cardColumns, key: timestampKey(submissions.createdAt) })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(
      and(
        eq(submissions.roundId, roundId),
        eq(submissions.status, "approved"),
        afterKey([submissions.createdAt, submissions.id], options.after, options.order === "newest" ? "desc" : "asc", [
          "timestamptz",
          "uuid",
        ]),
      ),
    )
    .orderBy(direction(submissions.createdAt), direction(submissions.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...card }) => withPublicArtwork(card),
  );
}

/** Where a page of the most-commented gallery ends: the last design's comment count, creation time and id. */
export const commentedCursor = z.tuple([intKeyShape, timestampKeyShape, z.uuid()]);

/**
 * A round's approved designs with the most visible comments first (newest
 * first among equals): one walk of `submissions_most_commented_idx`, on the
 * count a trigger keeps (migration 0020). Comments, never scores: this order
 * is fine while voting is open.
 */
export async function mostCommentedInRound(
  roundId: string,
  options: { after?: z.output<typeof commentedCursor>; size?: number } = {},
): Promise<Page<PublicCard & { commentCount: number }>> {
  const size = options.size ?? PAGE_SIZE;
  const order = [submissions.commentCount, submissions.createdAt, submissions.id];
  const rows = await db
    .select({ ...cardColumns, commentCount: submissions.commentCount, key: timestampKey(submissions.createdAt) })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(
      and(
        eq(submissions.roundId, roundId),
        eq(submissions.status, "approved"),
        afterKey(order, options.after, "desc", ["int", "timestamptz", "uuid"]),
      ),
    )
    .orderBy(...order.map((column) => desc(column)))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.commentCount, r.key, r.id]),
    ({ key: _key, ...card }) => withPublicArtwork(card),
  );
}

type PublicCard = Omit<CardRow, "images"> & { images: PublicArtwork };
type CardRow = {
  id: string;
  title: string;
  status: SubmissionStatus;
  images: ArtworkImages;
  tags: string[];
  createdAt: Date;
  designerUsername: string;
  designerId: string;
};

/** How many designs are in a round's vote (an index-only count). */
export async function approvedCount(roundId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(submissions)
    .where(and(eq(submissions.roundId, roundId), eq(submissions.status, "approved")));
  return row?.n ?? 0;
}

/** The newest approved designs of a round, newest first, for its feed. */
export async function newestInRound(roundId: string, limit: number) {
  return db
    .select(cardColumns)
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(and(eq(submissions.roundId, roundId), eq(submissions.status, "approved")))
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(limit)
    .then((rows) => rows.map(withPublicArtwork));
}

/** A designer's designs newest first: the last one's creation time and id ("Your designs", their public page). */
export const designerCursor = z.tuple([timestampKeyShape, z.uuid()]);

/** A designer's approved designs, newest first, a page at a time (one walk of `submissions_designer_idx`). */
export async function approvedByDesigner(
  designerId: string,
  options: { after?: z.output<typeof designerCursor>; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      ...cardColumns,
      roundTitle: rounds.title,
      roundSlug: rounds.slug,
      key: timestampKey(submissions.createdAt),
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .innerJoin(rounds, eq(rounds.id, submissions.roundId))
    .where(
      and(
        eq(submissions.designerId, designerId),
        eq(submissions.status, "approved"),
        afterKey([submissions.createdAt, submissions.id], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...card }) => withPublicArtwork(card),
  );
}

/** How many approved designs a designer has (their profile's heading). */
export async function approvedCountByDesigner(designerId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(submissions)
    .where(and(eq(submissions.designerId, designerId), eq(submissions.status, "approved")));
  return row?.n ?? 0;
}

/**
 * "This member's username", through users_username_unique (an index on
 * lower(username)): a plain `username =` cannot use it and reads every member.
 */
export const usernameIs = (username: string) => sql`lower(${users.username}) = ${username.toLowerCase()}`;

export async function findDesigner(username: string) {
  const [designer] = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, createdAt: users.createdAt })
    .from(users)
    .where(and(usernameIs(username), isNull(users.deletedAt)))
    .limit(1);
  return designer ?? null;
}

/** The round a submission belongs to, with the clock its phase is read from. */
const roundOfSubmission = {
  slug: rounds.slug,
  title: rounds.title,
  submissionsOpenAt: rounds.submissionsOpenAt,
  votingOpensAt: rounds.votingOpensAt,
  votingClosesAt: rounds.votingClosesAt,
  finalizedAt: rounds.finalizedAt,
};

export type SubmissionView = NonNullable<Awaited<ReturnType<typeof findSubmission>>>;

/** `id` is a uuid already (routes parse it with idParam). */
export async function findSubmission(id: string, now = new Date()) {
  const [row] = await db
    .select({
      id: submissions.id,
      title: submissions.title,
      description: submissions.description,
      tags: submissions.tags,
      status: submissions.status,
      rejectionReason: submissions.rejectionReason,
      critiqueWanted: submissions.critiqueWanted,
      images: submissions.images,
      artworkWidth: submissions.artworkWidth,
      artworkHeight: submissions.artworkHeight,
      createdAt: submissions.createdAt,
      designerId: submissions.designerId,
      designerUsername: users.username,
      /** Public: it is on every share link to the designer's work. */
      designerShareCode: users.shareCode,
      round: { id: rounds.id, ...roundOfSubmission },
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .innerJoin(rounds, eq(rounds.id, submissions.roundId))
    .where(eq(submissions.id, id))
    .limit(1);
  if (!row) return null;
  const phase = roundPhase(row.round, now);
  return {
    ...withPublicArtwork(row),
    phase,
    canWithdraw: canWithdraw(row.status, phase),
    canEdit: canEdit(row.status, phase),
  };
}

/** Who may see a submission: everyone once approved; before that its designer and admins. */
export function canView(
  submission: { status: SubmissionStatus; designerId: string },
  viewer: { id: string; role: string } | null,
) {
  if (submission.status === "approved") return true;
  return Boolean(viewer && (viewer.id === submission.designerId || viewer.role === "admin"));
}

function canWithdraw(status: SubmissionStatus, phase: RoundPhase) {
  return (status === "pending" || status === "approved") && (phase === "draft" || phase === "submissions");
}

function canEdit(status: SubmissionStatus, phase: RoundPhase) {
  return status !== "withdrawn" && (phase === "draft" || phase === "submissions" || phase === "voting");
}

/**
 * Everything a designer submitted, newest first, a page at a time, with its
 * phase, what they may still do with it, its place in the results and, while
 * its round votes, how many ballots it has (the stored count, ADR 009: never
 * the scores, and never a count over the designer's ballots).
 */
export async function listDesignerSubmissions(
  designerId: string,
  options: { after?: z.output<typeof designerCursor>; size?: number; now?: Date } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const now = options.now ?? new Date();
  const rows = await db
    .select({
      id: submissions.id,
      title: submissions.title,
      status: submissions.status,
      rejectionReason: submissions.rejectionReason,
      images: submissions.images,
      createdAt: submissions.createdAt,
      ballotCount: submissions.ballotCount,
      round: roundOfSubmission,
      /** Place in the published results, and whether it won. */
      rank: roundResults.rank,
      won: roundResults.winner,
      key: timestampKey(submissions.createdAt),
    })
    .from(submissions)
    .innerJoin(rounds, eq(rounds.id, submissions.roundId))
    .leftJoin(
      roundResults,
      and(eq(roundResults.roundId, submissions.roundId), eq(roundResults.submissionId, submissions.id)),
    )
    .where(
      and(
        eq(submissions.designerId, designerId),
        afterKey([submissions.createdAt, submissions.id], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...r }) => {
      const phase = roundPhase(r.round, now);
      return {
        ...withPublicArtwork(r),
        phase,
        canWithdraw: canWithdraw(r.status, phase),
        canEdit: canEdit(r.status, phase),
      };
    },
  );
}

export type DesignerChange = Outcome;

// Someone else's design answers as if it did not exist, so ids cannot be probed.
const NOT_YOURS = "That submission was not found.";

export async function editSubmission(
  id: string,
  designerId: string,
  change: { title: string; description: string },
): Promise<DesignerChange> {
  const found = await findSubmission(id);
  if (!found || found.designerId !== designerId) return fail("not_found", NOT_YOURS);
  if (!found.canEdit) return fail("conflict", "This submission can no longer be edited.");
  await db.transaction(async (tx) => {
    await tx
      .update(submissions)
      .set({ title: change.title, description: change.description, updatedAt: new Date() })
      .where(eq(submissions.id, id));
    await recordAudit(tx, {
      actorId: designerId,
      action: "submission.edited",
      subjectType: "submission",
      subjectId: id,
      detail: { from: { title: found.title }, to: { title: change.title } },
    });
  });
  return ok();
}

export async function withdrawSubmission(id: string, designerId: string, now = new Date()): Promise<DesignerChange> {
  const found = await findSubmission(id, now);
  if (!found || found.designerId !== designerId) return fail("not_found", NOT_YOURS);
  if (!found.canWithdraw) {
    return fail(
      "forbidden",
      found.status === "withdrawn"
        ? "This submission is already withdrawn."
        : "Voting has started, so this submission can no longer be withdrawn.",
    );
  }
  await db.transaction(async (tx) => {
    await tx
      .update(submissions)
      .set({ status: "withdrawn", withdrawnAt: now, updatedAt: now })
      .where(
        and(
          eq(submissions.id, id),
          eq(submissions.designerId, designerId),
          inArray(submissions.status, ["pending", "approved"]),
        ),
      );
    await recordAudit(tx, {
      actorId: designerId,
      action: "submission.withdrawn",
      subjectType: "submission",
      subjectId: id,
    });
  });
  return ok();
}

/**
 * The print master behind a product: the full-resolution, lossless file a
 * printer needs. It is the one private key that ever leaves this module, and
 * only to admins, who fulfil orders (the caller checks the role). Null when the
 * product does not exist.
 */
export async function printFileForAdmin(productId: string) {
  const [row] = await db
    .select({ images: submissions.images, title: submissions.title, productType: products.type })
    .from(products)
    .innerJoin(submissions, eq(submissions.id, products.submissionId))
    .where(eq(products.id, productId))
    .limit(1);
  if (!row) return null;
  const slug = row.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return { key: row.images.master, fileName: `${slug || "design"}-${row.productType}-print.png` };
}
