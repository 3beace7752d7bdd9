import { z } from "zod";
import {
  addComment,
  deleteComment,
  editComment,
  hideComment,
  subjectPath,
  type CommentSubject,
} from "~/domain/comments.server";
import { requireUser } from "./auth.server";
import { redirectWithToast } from "./toast.server";

export const COMMENT_INTENTS = ["comment", "edit-comment", "delete-comment", "hide-comment"] as const;

export function isCommentIntent(intent: string): intent is (typeof COMMENT_INTENTS)[number] {
  return (COMMENT_INTENTS as readonly string[]).includes(intent);
}

const commentSchema = z.object({
  body: z.string().trim().min(1, "Write something first").max(5000, "Comments are at most 5,000 characters"),
  parentId: z.uuid().optional(),
  commentId: z.uuid().optional(),
  reason: z.string().trim().min(3).max(300).optional(),
});

/** The comment thread's form posts, the same on design and product pages; answers with a redirect back and a toast. */
export async function handleCommentIntent(
  request: Request,
  subject: CommentSubject,
  intent: (typeof COMMENT_INTENTS)[number],
  form: FormData,
) {
  const user = await requireUser(request);
  const back = subjectPath(subject);
  const fields = Object.fromEntries(form);
  if (intent === "delete-comment" || intent === "hide-comment") fields.body ??= "-";
  const parsed = commentSchema.safeParse(fields);
  if (!parsed.success)
    return redirectWithToast(request, back, {
      kind: "error",
      title: parsed.error.issues[0]?.message ?? "Check your comment",
    });
  const { body, parentId, commentId, reason } = parsed.data;
  let result;
  if (intent === "comment") result = await addComment({ subject, authorId: user.id, body, parentId });
  else if (intent === "edit-comment") result = await editComment(commentId ?? "", user.id, body);
  else if (intent === "delete-comment") result = await deleteComment(commentId ?? "", user.id);
  else {
    if (user.role !== "admin") throw new Response("Only moderators can hide comments.", { status: 403 });
    if (!reason)
      return redirectWithToast(request, back, { kind: "error", title: "Give a reason for hiding the comment" });
    result = await hideComment(commentId ?? "", user.id, reason);
  }
  if (!result.ok) return redirectWithToast(request, back, { kind: "error", title: result.message });
  return redirectWithToast(request, back, {
    kind: "success",
    title: intent === "comment" ? "Comment posted" : intent === "edit-comment" ? "Comment updated" : "Comment removed",
  });
}
