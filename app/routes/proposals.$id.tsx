import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CommentsSection } from "~/components/comments";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { usePagedList } from "~/components/pager";
import { ReportForm } from "~/components/report-form";
import { commentsFor, threadCount, threadCursor } from "~/domain/comments.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import {
  findProposal,
  supportProposal,
  supportThreshold,
  withdrawProposal,
  withdrawSupport,
} from "~/domain/proposals.server";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { COMMENT_INTENTS, handleCommentIntent } from "~/lib/comment-action.server";
import { idParam, parseParams, parseSearchParams, readForm } from "~/lib/edge.server";
import { formatDay } from "~/lib/format";
import { redirectWithOutcome } from "~/lib/outcome.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · Round proposals · Crowdthread` : "Round proposal · Crowdthread" },
];

const SEARCH = { after: cursorParam(threadCursor).optional() };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const { after } = parseSearchParams(request, SEARCH);
  const viewer = await getOptionalUser(request);
  const proposal = await findProposal(id, viewer);
  if (!proposal) throw new Response("There is no proposal at this address.", { status: 404 });
  const subject = { kind: "proposal", id } as const;
  const [comments, commentCount, threshold] = await Promise.all([
    commentsFor(subject, viewer, { after }),
    threadCount(subject),
    supportThreshold(),
  ]);
  const { now: _now, ...shown } = proposal;
  return {
    proposal: shown,
    threshold,
    signedIn: Boolean(viewer),
    comments,
    commentCount,
    canComment: Boolean(viewer) && proposal.status !== "withdrawn" && proposal.status !== "removed",
    isLaterCommentsPage: after !== undefined,
  };
}

/** The page's forms: support and its withdrawal, the proposer's withdrawal, and the comment thread's. */
const proposalActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(COMMENT_INTENTS) }),
  z.object({ intent: z.literal("support") }),
  z.object({ intent: z.literal("unsupport") }),
  z.object({ intent: z.literal("withdraw") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const form = await readForm(request);
  const parsed = proposalActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new Response("This form cannot be read.", { status: 400 });
  const value = parsed.data;
  const back = `/proposals/${id}`;
  switch (value.intent) {
    case "comment":
    case "edit-comment":
    case "delete-comment":
    case "hide-comment":
      return handleCommentIntent(request, { kind: "proposal", id }, value.intent, form);
    case "support": {
      const user = await requireUser(request);
      const outcome = await supportProposal(id, user.id);
      return redirectWithOutcome(request, back, outcome, {
        kind: "success",
        title: outcome.ok && outcome.value.queued ? "Supported: it now goes to the admins for review" : "Supported",
      });
    }
    case "unsupport": {
      const user = await requireUser(request);
      return redirectWithOutcome(request, back, await withdrawSupport(id, user.id), {
        kind: "info",
        title: "Support withdrawn",
      });
    }
    case "withdraw": {
      const user = await requireUser(request);
      return redirectWithOutcome(request, back, await withdrawProposal(id, user.id), {
        kind: "info",
        title: "Proposal withdrawn",
      });
    }
  }
}

const STATUS_TEXT = {
  open: "Open for support",
  review: "With the admins for review",
  accepted: "Accepted: becoming a round",
  declined: "Declined",
  withdrawn: "Withdrawn by the proposer",
  removed: "Removed by the moderators",
} as const;

export default function ProposalPage() {
  const { proposal, threshold, signedIn, comments, commentCount, canComment, isLaterCommentsPage } =
    useLoaderData<typeof loader>();
  const thread = usePagedList(comments, useFetcher<typeof loader>(), (data) => data.comments);
  const path = `/proposals/${proposal.id}`;
  const button = "rounded-md px-4 py-2 font-semibold";
  return (
    <article className="max-w-3xl">
      <p className="text-sm">
        <Link to="/proposals" className="text-brand-700 underline">
          All proposals
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight break-words">{proposal.title}</h1>
      <p className="mt-1 text-sm text-stone-700">
        Proposed by{" "}
        {proposal.proposer ? (
          <Link to={`/designers/${proposal.proposer}`} className="text-brand-700 underline">
            @{proposal.proposer}
          </Link>
        ) : (
          "a former member"
        )}{" "}
        on {formatDay(proposal.createdAt)}
        {proposal.edited ? " (edited)" : ""}
      </p>
      <p className="mt-3 font-semibold text-brand-700">{STATUS_TEXT[proposal.status]}</p>

      {proposal.status === "declined" && proposal.declineReason ? (
        <div role="note" className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
          <p className="font-semibold">Why the admins declined it</p>
          <p className="mt-1 break-words whitespace-pre-line">{proposal.declineReason}</p>
        </div>
      ) : null}
      {proposal.status === "removed" && proposal.removalReason ? (
        <div role="note" className="mt-3 rounded-lg border border-red-300 bg-red-50 p-4 text-red-900">
          <p className="font-semibold">Why the moderators removed it</p>
          <p className="mt-1 break-words whitespace-pre-line">{proposal.removalReason}</p>
        </div>
      ) : null}
      {proposal.round ? (
        <p className="mt-3 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-emerald-900">
          This proposal became the round{" "}
          <Link to={`/rounds/${proposal.round.slug}`} className="font-semibold underline">
            {proposal.round.title}
          </Link>
          {proposal.round.published ? "." : " (a draft only admins can see yet)."}
        </p>
      ) : null}

      <section aria-label="Support" className="mt-4 rounded-xl border border-stone-200 bg-white p-4">
        <p>
          <span className="text-2xl font-bold">{proposal.supportCount}</span> supporter
          {proposal.supportCount === 1 ? "" : "s"}
          {proposal.status === "open" ? (
            <span className="text-stone-600">
              {" "}
              · {threshold === 1 ? "1 supporter takes" : `${threshold} supporters take`} it to the admins
            </span>
          ) : null}
        </p>
        <div className="mt-3 flex flex-wrap gap-3">
          {proposal.canSupport ? (
            <Form method="post">
              <input type="hidden" name="intent" value="support" />
              <button type="submit" className={`${button} bg-brand-600 text-white hover:bg-brand-700`}>
                Support this theme
              </button>
            </Form>
          ) : null}
          {proposal.canWithdrawSupport ? (
            <Form method="post">
              <input type="hidden" name="intent" value="unsupport" />
              <p className="mb-2 text-sm text-emerald-800">You support this theme.</p>
              <button type="submit" className={`${button} border border-stone-300 hover:bg-stone-100`}>
                Withdraw my support
              </button>
            </Form>
          ) : null}
          {!signedIn && (proposal.status === "open" || proposal.status === "review") ? (
            <p className="text-sm">
              <Link to={`/login?redirectTo=${encodeURIComponent(path)}`} className="text-brand-700 underline">
                Log in
              </Link>{" "}
              to support it.
            </p>
          ) : null}
          {proposal.canEdit ? (
            <Link to={`${path}/edit`} className={`${button} border border-stone-300 hover:bg-stone-100`}>
              Edit
            </Link>
          ) : null}
          {proposal.canWithdraw ? (
            <Form method="post">
              <input type="hidden" name="intent" value="withdraw" />
              <button type="submit" className={`${button} border border-red-300 text-red-800 hover:bg-red-50`}>
                Withdraw my proposal
              </button>
            </Form>
          ) : null}
        </div>
        {proposal.isProposer && !proposal.canEdit && proposal.status === "open" ? (
          <p className="mt-2 text-sm text-stone-600">
            Members have supported it as it stands, so it can no longer be edited.
          </p>
        ) : null}
      </section>

      {proposal.moodImages.length ? (
        <ul aria-label="Mood images" className="mt-6 grid grid-cols-1 gap-3 sm:grid-cols-3">
          {proposal.moodImages.map((m, i) => (
            <li key={m.large}>
              <a href={m.large}>
                <img
                  src={m.small}
                  alt={`Mood image ${i + 1} for ${proposal.title}`}
                  width={m.width}
                  height={m.height}
                  className="h-auto w-full rounded-lg bg-stone-100 object-cover"
                />
              </a>
            </li>
          ))}
        </ul>
      ) : null}

      <div
        className="markdown mt-6 break-words text-stone-800"
        dangerouslySetInnerHTML={{ __html: proposal.briefHtml }}
      />
      {proposal.productTypes.length ? (
        <p className="mt-4 text-sm text-stone-700">
          Suggested products: {proposal.productTypes.map((t) => PRODUCT_TYPE_LABELS[t]).join(", ")}
        </p>
      ) : null}

      {signedIn && !proposal.isProposer ? (
        <div className="mt-4">
          <ReportForm subjectType="proposal" subjectId={proposal.id} redirectTo={path} label="Report this proposal" />
        </div>
      ) : null}

      <CommentsSection
        thread={thread}
        count={commentCount}
        canComment={canComment}
        pagePath={path}
        isLaterPage={isLaterCommentsPage}
      />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
