import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { comments, products, proposals, submissions, users } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { afterKey, pageOf, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { renderCommentMarkdown } from "~/lib/markdown.server";
import { withPublicArtwork } from "~/lib/storage.server";
import { recordAudit } from "./audit.server";
import { notify } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage } from "./page";

export const EDIT_WINDOW_MS = 15 * 60 * 1000;

export type CommentChange = Outcome;

/** What a thread hangs off: a design, a product in the shop, or a round proposal. */
export type CommentSubject = { kind: "submission" | "product" | "proposal"; id: string };

const SUBJECT_PATHS: Record<CommentSubject["kind"], string> = {
  submission: "/submissions",
  product: "/shop",
  proposal: "/proposals",
};

export function subjectPath(subject: CommentSubject) {
  return `${SUBJECT_PATHS[subject.kind]}/${subject.id}`;
}

/** The column that ties a comment to its subject: each comment has exactly one (comments_one_subject). */
function subjectColumn(kind: CommentSubject["kind"]) {
  return kind === "submission" ? comments.submissionId : kind === "product" ? comments.productId : comments.proposalId;
}

function onSubject(subject: CommentSubject) {
  return eq(subjectColumn(subject.kind), subject.id);
}

type Commentable = { ownerId: string | null; title: string; kind: "comment_on_design" | "comment_on_proposal" };

/**
 * Who hears of new comments on a subject and what it is called, if it takes
 * comments: approved designs, products on sale, proposals not withdrawn.
 */
async function commentable(tx: DbOrTx, subject: CommentSubject): Promise<Commentable | null> {
  if (subject.kind === "submission") {
    const [design] = await tx
      .select({ status: submissions.status, designerId: submissions.designerId, title: submissions.title })
      .from(submissions)
      .where(eq(submissions.id, subject.id));
    return design?.status === "approved"
      ? { ownerId: design.designerId, title: `"${design.title}"`, kind: "comment_on_design" }
      : null;
  }
  if (subject.kind === "proposal") {
    const [proposal] = await tx
      .select({ status: proposals.status, proposerId: proposals.proposerId, title: proposals.title })
      .from(proposals)
      .where(eq(proposals.id, subject.id));
    return proposal && proposal.status !== "withdrawn"
      ? { ownerId: proposal.proposerId, title: `the proposal "${proposal.title}"`, kind: "comment_on_proposal" }
      : null;
  }
  const [product] = await tx
    .select({ active: products.active, designerId: products.designerId, title: products.title, type: products.type })
    .from(products)
    .where(eq(products.id, subject.id));
  return product?.active
    ? { ownerId: product.designerId, title: `the "${product.title}" ${product.type}`, kind: "comment_on_design" }
    : null;
}

const NOT_COMMENTABLE: Record<CommentSubject["kind"], string> = {
  submission: "Comments are open on approved designs only.",
  product: "That product is no longer in the shop.",
  proposal: "That proposal was withdrawn.",
};

/**
 * A comment on an approved design or a product, or a reply to one. The
 * designer hears of new comments, the person replied to hears of the reply.
 * Nothing here knows about ballots, so no comment can reveal one.
 */
export async function addComment(input: {
  subject: CommentSubject;
  authorId: string;
  body: string;
  parentId?: string | null;
}): Promise<CommentChange> {
  return db.transaction(async (tx) => {
    const target = await commentable(tx, input.subject);
    if (!target) {
      return fail("not_found", NOT_COMMENTABLE[input.subject.kind]);
    }
    let parent: { authorId: string | null; parentId: string | null } | undefined;
    if (input.parentId) {
      [parent] = await tx
        .select({ authorId: comments.authorId, parentId: comments.parentId })
        .from(comments)
        .where(and(eq(comments.id, input.parentId), onSubject(input.subject)));
      if (!parent) return fail("not_found", "The comment you replied to is gone.");
    }
    const [created] = await tx
      .insert(comments)
      .values({
        submissionId: input.subject.kind === "submission" ? input.subject.id : null,
        productId: input.subject.kind === "product" ? input.subject.id : null,
        proposalId: input.subject.kind === "proposal" ? input.subject.id : null,
        authorId: input.authorId,
        body: input.body,
        parentId: parent ? (parent.parentId ?? input.parentId!) : null,
      })
      .returning({ id: comments.id });
    const url = `${subjectPath(input.subject)}#comment-${created!.id}`;
    await notify(tx, {
      userId: target.ownerId,
      actorId: input.authorId,
      kind: target.kind,
      title: `New comment on ${target.title}`,
      url,
    });
    if (parent && parent.authorId !== target.ownerId) {
      await notify(tx, {
        userId: parent.authorId,
        actorId: input.authorId,
        kind: "comment_reply",
        title: `New reply to your comment on ${target.title}`,
        url,
      });
    }
    return ok();
  });
}

async function ownComment(commentId: string, authorId: string) {
  const [row] = await db.select().from(comments).where(eq(comments.id, commentId));
  return row && row.authorId === authorId && !row.deletedAt ? row : null;
}

export async function editComment(
  commentId: string,
  authorId: string,
  body: string,
  now = new Date(),
): Promise<CommentChange> {
  const comment = await ownComment(commentId, authorId);
  if (!comment) return fail("not_found", "That comment was not found.");
  if (now.getTime() - comment.createdAt.getTime() > EDIT_WINDOW_MS)
    return fail("conflict", "Comments can be edited for 15 minutes after posting.");
  await db.update(comments).set({ body, editedAt: now }).where(eq(comments.id, commentId));
  return ok();
}

export async function deleteComment(commentId: string, authorId: string): Promise<CommentChange> {
  const comment = await ownComment(commentId, authorId);
  if (!comment) return fail("not_found", "That comment was not found.");
  await db.update(comments).set({ deletedAt: new Date(), body: "[deleted]" }).where(eq(comments.id, commentId));
  return ok();
}

export async function hideComment(commentId: string, adminId: string, reason: string): Promise<CommentChange> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(comments)
      .set({ hiddenAt: new Date(), hiddenById: adminId, hiddenReason: reason })
      .where(eq(comments.id, commentId))
      .returning({ id: comments.id });
    if (!updated.length) return fail("not_found", "That comment was not found.");
    await recordAudit(tx, {
      actorId: adminId,
      action: "comment.hidden",
      subjectType: "comment",
      subjectId: commentId,
      detail: { reason },
    });
    return ok();
  });
}

/** Where a page of a thread ends: the last top-level comment's creation time and id. */
export const threadCursor = z.tuple([timestampKeyShape, z.uuid()]);

const commentColumns = {
  id: comments.id,
  parentId: comments.parentId,
  body: comments.body,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  deletedAt: comments.deletedAt,
  hiddenAt: comments.hiddenAt,
  authorId: comments.authorId,
  author: users.username,
};

/**
 * A design's or product's comments as the page shows them, a page of
 * top-level comments at a time, newest first (so a comment just posted is on
 * the first page), each with all its replies, oldest first: rendered
 * markdown, removed ones as placeholders. One walk of the subject's thread
 * index, then one of `comments_parent_idx` for the page's replies.
 */
export async function commentsFor(
  subject: CommentSubject,
  viewer: { id: string; role: string } | null,
  options: { after?: z.output<typeof threadCursor>; size?: number; now?: Date } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const now = options.now ?? new Date();
  const rows = await db
    .select({ ...commentColumns, key: timestampKey(comments.createdAt) })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(
      and(
        onSubject(subject),
        isNull(comments.parentId),
        afterKey([comments.createdAt, comments.id], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(size + 1);
  const page = pageOf(rows, size, (r) => [r.key, r.id]);
  const replies = page.items.length
    ? await db
        .select(commentColumns)
        .from(comments)
        .leftJoin(users, eq(users.id, comments.authorId))
        .where(
          inArray(
            comments.parentId,
            page.items.map((c) => c.id),
          ),
        )
        .orderBy(asc(comments.createdAt), asc(comments.id))
    : [];
  const view = (c: (typeof replies)[number]) => {
    const removed = Boolean(c.deletedAt || c.hiddenAt);
    return {
      id: c.id,
      parentId: c.parentId,
      author: removed ? null : c.author,
      html: c.hiddenAt ? null : c.deletedAt ? null : renderCommentMarkdown(c.body),
      removedLabel: c.hiddenAt ? "Hidden by a moderator" : c.deletedAt ? "Deleted by its author" : null,
      createdAt: c.createdAt,
      edited: Boolean(c.editedAt),
      canEdit: Boolean(
        viewer && viewer.id === c.authorId && !removed && now.getTime() - c.createdAt.getTime() <= EDIT_WINDOW_MS,
      ),
      canDelete: Boolean(viewer && viewer.id === c.authorId && !removed),
      canHide: Boolean(viewer?.role === "admin" && !c.hiddenAt),
      source: viewer && viewer.id === c.authorId && !removed ? c.body : null,
    };
  };
  return mapPage(page, ({ key: _key, ...c }) => ({
    ...view(c),
    replies: replies.filter((r) => r.parentId === c.id).map(view),
  }));
}

/** How many top-level comments a design or product has (the thread's heading). */
export async function threadCount(subject: CommentSubject): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(comments)
    .where(and(onSubject(subject), isNull(comments.parentId)));
  return row?.n ?? 0;
}

/** Where a page of the critique list ends: the last design's creation time and id. */
export const critiqueCursor = z.tuple([timestampKeyShape, z.uuid()]);

/**
 * Designs whose designers asked for critique, newest first, a page at a
 * time (one walk of `submissions_critique_idx`), with how much they got.
 */
export async function critiqueWanted(options: { after?: z.output<typeof critiqueCursor>; size?: number } = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: submissions.id,
      title: submissions.title,
      images: submissions.images,
      designerUsername: users.username,
      createdAt: submissions.createdAt,
      commentCount: sql<number>`(select count(*) from ${comments} c where c.submission_id = ${submissions.id} and c.deleted_at is null and c.hidden_at is null)::int`,
      key: timestampKey(submissions.createdAt),
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(
      and(
        eq(submissions.critiqueWanted, true),
        eq(submissions.status, "approved"),
        afterKey([submissions.createdAt, submissions.id], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...design }) => withPublicArtwork(design),
  );
}

/** Only the designer may ask for critique on their own design; anyone else finds nothing. */
export async function setCritiqueWanted(submissionId: string, designerId: string, wanted: boolean): Promise<Outcome> {
  const updated = await db
    .update(submissions)
    .set({ critiqueWanted: wanted })
    .where(and(eq(submissions.id, submissionId), eq(submissions.designerId, designerId)))
    .returning({ id: submissions.id });
  return updated.length > 0 ? ok() : fail("not_found", "That design was not found.");
}
