import { Form, Link } from "@remix-run/react";
import { formatDateTime } from "~/lib/format";
import { MoreLink } from "./pager";
import { ReportForm } from "./report-form";

export type CommentView = {
  id: string;
  author: string | null;
  html: string | null;
  removedLabel: string | null;
  createdAt: Date;
  edited: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canHide: boolean;
  source: string | null;
  replies?: CommentView[];
};

function CommentItem({ comment, canReply, pagePath }: { comment: CommentView; canReply: boolean; pagePath: string }) {
  return (
    <li id={`comment-${comment.id}`} className="rounded-lg border border-stone-200 bg-white p-3">
      <p className="text-xs text-stone-600">
        {comment.author ? (
          <Link to={`/designers/${comment.author}`} className="font-semibold text-stone-800 hover:underline">
            @{comment.author}
          </Link>
        ) : (
          <span className="italic">removed</span>
        )}{" "}
        · {formatDateTime(comment.createdAt)} UTC{comment.edited ? " · edited" : ""}
      </p>
      {comment.html ? (
        <div className="markdown mt-1 text-sm" dangerouslySetInnerHTML={{ __html: comment.html }} />
      ) : (
        <p className="mt-1 text-sm italic text-stone-500">{comment.removedLabel}</p>
      )}
      <div className="mt-2 flex flex-wrap gap-3 text-xs">
        {comment.canEdit && comment.source !== null ? (
          // Keyed by the text: once a change is saved, the editor closes and starts from it.
          <details key={comment.source}>
            <summary className="cursor-pointer text-brand-700 underline">Edit</summary>
            <Form method="post" className="mt-2 space-y-2">
              <input type="hidden" name="intent" value="edit-comment" />
              <input type="hidden" name="commentId" value={comment.id} />
              <label className="sr-only" htmlFor={`edit-${comment.id}`}>
                Edit your comment
              </label>
              <textarea
                id={`edit-${comment.id}`}
                name="body"
                defaultValue={comment.source}
                required
                maxLength={5000}
                rows={3}
                className="block w-full rounded-md border border-stone-300 px-2 py-1 text-sm"
              />
              <button type="submit" className="rounded-md border border-stone-300 px-3 py-1 font-semibold">
                Save
              </button>
            </Form>
          </details>
        ) : null}
        {comment.canDelete ? (
          <Form method="post">
            <input type="hidden" name="intent" value="delete-comment" />
            <input type="hidden" name="commentId" value={comment.id} />
            <button type="submit" className="text-red-800 underline">
              Delete
            </button>
          </Form>
        ) : null}
        {canReply && comment.html && !comment.canDelete ? (
          <ReportForm subjectType="comment" subjectId={comment.id} redirectTo={pagePath} />
        ) : null}
        {comment.canHide ? (
          <Form method="post" className="flex gap-1">
            <input type="hidden" name="intent" value="hide-comment" />
            <input type="hidden" name="commentId" value={comment.id} />
            <label className="sr-only" htmlFor={`hide-${comment.id}`}>
              Reason for hiding
            </label>
            <input
              id={`hide-${comment.id}`}
              name="reason"
              required
              minLength={3}
              placeholder="Reason"
              className="w-32 rounded border border-stone-300 px-1"
            />
            <button type="submit" className="text-red-800 underline">
              Hide
            </button>
          </Form>
        ) : null}
      </div>
      {comment.replies?.length ? (
        <ul className="mt-3 space-y-2 border-l-2 border-stone-100 pl-3">
          {comment.replies.map((r) => (
            <CommentItem key={r.id} comment={r} canReply={false} pagePath={pagePath} />
          ))}
        </ul>
      ) : null}
      {canReply && comment.html ? (
        // Keyed by the reply count: a posted reply empties the box, a refused one keeps the text.
        <CommentForm key={comment.replies?.length ?? 0} parentId={comment.id} label={`Reply to @${comment.author}`} />
      ) : null}
    </li>
  );
}

function CommentForm({ parentId, label }: { parentId?: string; label: string }) {
  const id = parentId ? `reply-${parentId}` : "new-comment";
  return (
    <Form method="post" className="mt-2 space-y-2">
      <input type="hidden" name="intent" value="comment" />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <label htmlFor={id} className={parentId ? "sr-only" : "block text-sm font-medium"}>
        {label}
      </label>
      <textarea
        id={id}
        name="body"
        required
        maxLength={5000}
        rows={parentId ? 2 : 3}
        placeholder={parentId ? label : "Say what works, what could be better…"}
        className="block w-full rounded-md border border-stone-300 px-2 py-1.5 text-sm"
      />
      <button
        type="submit"
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700"
      >
        {parentId ? "Reply" : "Post comment"}
      </button>
    </Form>
  );
}

/**
 * A design's or product's thread: the newest top-level comments first, each
 * with its replies, and "Load more comments" for older ones. `thread` is the
 * route's `usePagedList` over the loader's page of comments; `count` how many
 * top-level comments there are in all.
 */
export function CommentsSection({
  thread,
  count,
  canComment,
  pagePath,
  isLaterPage,
}: {
  thread: {
    items: CommentView[];
    href: string | null;
    loadMore: (event: React.MouseEvent) => void;
    loading: boolean;
  };
  count: number;
  canComment: boolean;
  pagePath: string;
  /** The reader followed a plain link to older comments: offer the way back to the newest. */
  isLaterPage: boolean;
}) {
  return (
    <section aria-labelledby="comments-heading" className="mt-10">
      <h2 id="comments-heading" className="text-xl font-semibold">
        Comments ({count})
      </h2>
      <p className="text-xs text-stone-600">Markdown: *emphasis*, **bold**, [links](https://…), lists and quotes.</p>
      {canComment ? (
        // Keyed by the comment count: a posted comment empties the box, a refused one keeps the text.
        <CommentForm key={count} label="Add a comment" />
      ) : (
        <p className="mt-3 text-sm">
          <Link to="/login" className="text-brand-700 underline">
            Log in
          </Link>{" "}
          to comment.
        </p>
      )}
      {thread.items.length ? (
        <ul className="mt-3 space-y-3">
          {thread.items.map((c) => (
            <CommentItem key={c.id} comment={c} canReply={canComment} pagePath={pagePath} />
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-stone-700">No comments yet.</p>
      )}
      <MoreLink
        list={thread}
        label="Load more comments"
        startHref={isLaterPage ? `${pagePath}#comments-heading` : null}
      />
    </section>
  );
}
