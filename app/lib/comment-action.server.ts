import { z } from "zod";
import {
  addComment,
  deleteComment,
  editComment,
  hideComment,
  subjectPath,
  type CommentSubject,
} from "~/domain/comments.server";
import type { Outcome } from "~/domain/outcome";
import { safeText } from "~/domain/safe-text";
import { requireUser } from "./auth.server";
import { idParam, parseParams } from "./edge.server";
import type { SessionUser } from "./session.server";
import { redirectWithToast } from "./toast.server";

export const COMMENT_INTENTS = ["comment", "edit-comment", "delete-comment", "hide-comment"] as const;
export type CommentIntent = (typeof COMMENT_INTENTS)[number];

const body = safeText().trim().min(1, "Write something first").max(5000, "Comments are at most 5,000 characters");
const commentId = z.uuid({ error: "That comment was not found." });

/** The thread's forms, one per intent. */
export const commentActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("comment"), body, parentId: z.uuid().optional() }),
  z.object({ intent: z.literal("edit-comment"), commentId, body }),
  z.object({ intent: z.literal("delete-comment"), commentId }),
  z.object({
    intent: z.literal("hide-comment"),
    commentId,
    reason: safeText({ error: "Give a reason for hiding the comment" })
      .trim()
      .min(3, "Give a reason for hiding the comment")
      .max(300),
  }),
]);
type CommentAction = z.infer<typeof commentActionSchema>;
type Intent<I extends CommentIntent> = Extract<CommentAction, { intent: I }>;

/** The comment thread's form posts, the same on design and product pages; answers with a redirect back and a toast. */
export async function handleCommentIntent(
  request: Request,
  subject: CommentSubject,
  intent: CommentIntent,
  form: FormData,
) {
  const user = await requireUser(request);
  // The page's own id: a design or product that cannot exist has no thread.
  parseParams({ id: subject.id }, { id: idParam });
  const back = subjectPath(subject);
  const parsed = commentActionSchema.safeParse({ ...Object.fromEntries(form), intent });
  if (!parsed.success)
    return redirectWithToast(request, back, {
      kind: "error",
      title: parsed.error.issues[0]?.message ?? "Check your comment",
    });
  const value = parsed.data;
  switch (value.intent) {
    case "comment":
      return answer(request, back, "Comment posted", await postComment(user, subject, value));
    case "edit-comment":
      return answer(request, back, "Comment updated", await editComment(value.commentId, user.id, value.body));
    case "delete-comment":
      return answer(request, back, "Comment removed", await deleteComment(value.commentId, user.id));
    case "hide-comment":
      return answer(request, back, "Comment removed", await hideAsModerator(user, value));
  }
}

function postComment(user: SessionUser, subject: CommentSubject, value: Intent<"comment">) {
  return addComment({ subject, authorId: user.id, body: value.body, parentId: value.parentId });
}

function hideAsModerator(user: SessionUser, value: Intent<"hide-comment">) {
  if (user.role !== "admin") throw new Response("Only moderators can hide comments.", { status: 403 });
  return hideComment(value.commentId, user.id, value.reason);
}

function answer(request: Request, back: string, done: string, outcome: Outcome) {
  if (!outcome.ok) return redirectWithToast(request, back, { kind: "error", title: outcome.message });
  return redirectWithToast(request, back, { kind: "success", title: done });
}
