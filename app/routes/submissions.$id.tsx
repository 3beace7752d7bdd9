import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ArtworkPicture, StatusBadge } from "~/components/artwork";
import { withRedirectTo } from "~/components/account-links";
import { NewAccountNotice } from "~/components/new-account-notice";
import { ShareLink, shareMeta } from "~/components/share";
import { TagLinks } from "~/components/tag-links";
import { shareLink } from "~/domain/share-links.server";
import { noteShareVisit } from "~/lib/share-arrival.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PHASE_LABELS } from "~/domain/round-phase";
import { canView, findSubmission, withdrawSubmission } from "~/domain/submissions.server";
import { CommentsSection } from "~/components/comments";
import { ReportForm } from "~/components/report-form";
import { FavouriteButton } from "~/components/favourite-button";
import { isFavourite } from "~/domain/favourites.server";
import { productsOfDesigns } from "~/domain/shop.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { commentsFor, setCritiqueWanted, threadCount, threadCursor } from "~/domain/comments.server";
import { usePagedList } from "~/components/pager";
import { cursorParam } from "~/lib/pagination.server";
import { COMMENT_INTENTS, handleCommentIntent } from "~/lib/comment-action.server";
import { ballotCountsForDesigner, findBallot, scoresCountFrom } from "~/domain/voting.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { idParam, parseParams, parseSearchParams, readForm } from "~/lib/edge.server";
import { formatDay } from "~/lib/format";
import { failureResponse, valueOrThrow } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.submission.title} by @${data.submission.designerUsername} · Crowdthread` },
        ...shareMeta(data.share),
      ]
    : [{ title: "Design · Crowdthread" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const { after } = parseSearchParams(request, { after: cursorParam(threadCursor).optional() });
  const viewer = await getOptionalUser(request);
  const submission = await findSubmission(id);
  // Unapproved work is private to its designer and the admins: others get the same 404 as for nothing at all.
  if (!submission || !canView(submission, viewer))
    throw new Response("There is no design at this address.", { status: 404 });
  const isOwner = viewer?.id === submission.designerId;
  const voting = submission.phase === "voting" && submission.status === "approved";
  const myBallot = voting && viewer && !isOwner ? await findBallot(submission.id, viewer.id) : null;
  // The designer sees only how many ballots their design has, never the scores.
  const ballotCount =
    voting && isOwner ? ((await ballotCountsForDesigner(submission.designerId)).get(submission.id) ?? 0) : null;
  const origin = publicOrigin(request);
  const share =
    submission.status === "approved"
      ? {
          title: `${submission.title} by @${submission.designerUsername}`,
          description: `A design in ${submission.round.title} on Crowdthread, the marketplace where the community picks the winners.`,
          url: `${origin}/submissions/${submission.id}`,
          link: shareLink(`${origin}/submissions/${submission.id}`, submission.designerShareCode),
          // Absolute already when a CDN serves the images.
          imageUrl: new URL(submission.images.share, origin).href,
        }
      : undefined;
  const subject = { kind: "submission", id: submission.id } as const;
  const approved = submission.status === "approved";
  const [comments, commentCount, saved, goods] = approved
    ? await Promise.all([
        commentsFor(subject, viewer, { after }),
        threadCount(subject),
        viewer ? isFavourite(viewer.id, submission.id) : false,
        // Only a finalized round's winners have products.
        submission.phase === "finalized" ? productsOfDesigns([submission.id]) : null,
      ])
    : [{ items: [], next: null }, 0, false, null];
  const setCookie = approved
    ? await noteShareVisit(
        request,
        { id: submission.designerId, shareCode: submission.designerShareCode },
        viewer?.id ?? null,
      )
    : undefined;
  return data(
    {
      saved,
      canSave: approved,
      products: goods?.get(submission.id) ?? [],
      comments,
      commentCount,
      isLaterCommentsPage: after !== undefined,
      canComment: Boolean(viewer) && submission.status === "approved",
      share,
      canVote: Boolean(voting && viewer && !isOwner),
      // A guest on a design in voting (often from a share link) is asked to log in or sign up to score it.
      inviteToVote: voting && !viewer,
      // A member too new to vote sees the buttons switched off and from when they count, as on the vote page.
      countsFrom: voting && viewer && !isOwner ? (scoresCountFrom(viewer)?.toISOString() ?? null) : null,
      myBallot,
      ballotCount,
      submission: {
        id: submission.id,
        title: submission.title,
        description: submission.description,
        tags: submission.tags,
        status: submission.status,
        rejectionReason: isOwner || viewer?.role === "admin" ? submission.rejectionReason : null,
        critiqueWanted: submission.critiqueWanted,
        images: submission.images,
        artworkWidth: submission.artworkWidth,
        artworkHeight: submission.artworkHeight,
        designerUsername: submission.designerUsername,
        round: { slug: submission.round.slug, title: submission.round.title },
        phase: submission.phase,
        createdAt: submission.createdAt,
      },
      isOwner,
      canWithdraw: isOwner && submission.canWithdraw,
      canEdit: isOwner && submission.canEdit,
    },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

/** The page's forms: the comment thread's (handled by comment-action), and the designer's own two. */
const submissionActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(COMMENT_INTENTS) }),
  z.object({ intent: z.literal("critique"), wanted: z.enum(["true", "false"]).transform((v) => v === "true") }),
  z.object({ intent: z.literal("withdraw") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const form = await readForm(request);
  const parsed = submissionActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new Response("This form cannot be read.", { status: 400 });
  const value = parsed.data;
  switch (value.intent) {
    case "comment":
    case "edit-comment":
    case "delete-comment":
    case "hide-comment":
      return handleCommentIntent(request, { kind: "submission", id }, value.intent, form);
    case "critique":
      return setCritique(request, id, value.wanted);
    case "withdraw":
      return withdraw(request, id);
  }
}

async function setCritique(request: Request, id: string, wanted: boolean) {
  const user = await requireUser(request);
  valueOrThrow(await setCritiqueWanted(id, user.id, wanted));
  return redirectWithToast(request, `/submissions/${id}`, {
    kind: "info",
    title: wanted ? "Listed on the critique page" : "Taken off the critique page",
  });
}

async function withdraw(request: Request, id: string) {
  const user = await requireUser(request);
  const result = await withdrawSubmission(id, user.id);
  if (!result.ok) {
    if (result.code === "not_found") throw failureResponse(result);
    return redirectWithToast(request, `/submissions/${id}`, { kind: "error", title: result.message });
  }
  return redirectWithToast(request, "/account/submissions", { kind: "info", title: "Submission withdrawn" });
}

/** The design on each product type, as the pipeline's mockups show it. */
const MOCKUPS = [
  { type: "tee", alt: (title: string) => `${title} printed on a T-shirt` },
  { type: "poster", alt: (title: string) => `${title} as a framed poster` },
] as const;

export default function SubmissionPage() {
  const {
    submission,
    isOwner,
    canWithdraw,
    canEdit,
    canVote,
    inviteToVote,
    countsFrom,
    myBallot,
    ballotCount,
    share,
    comments,
    commentCount,
    isLaterCommentsPage,
    canComment,
    saved,
    canSave,
    products,
  } = useLoaderData<typeof loader>();
  const thread = usePagedList(comments, useFetcher<typeof loader>(), (data) => data.comments);
  return (
    <article className="grid gap-8 lg:grid-cols-[3fr_2fr]">
      <div>
        <div className="flex items-center justify-center rounded-2xl border border-stone-200 bg-white p-4">
          <ArtworkPicture
            images={submission.images}
            size="preview"
            alt={submission.title}
            loading="eager"
            className="h-auto max-h-[70vh] w-auto max-w-full"
          />
        </div>
        <h2 className="mt-8 text-xl font-semibold">{products.length ? "In the shop" : "On products"}</h2>
        <div className="mt-3 grid grid-cols-2 gap-4">
          {MOCKUPS.map(({ type, alt }) => {
            const product = products.find((p) => p.type === type);
            const picture = (
              <img
                src={submission.images.mockups[type]}
                alt={alt(submission.title)}
                width={1200}
                height={1200}
                loading="lazy"
                className="rounded-xl border border-stone-200"
              />
            );
            return (
              <figure key={type}>
                {/* A winner's pictures lead to the product they show. */}
                {product ? (
                  <Link to={`/shop/${product.id}`} className="block hover:opacity-90">
                    {picture}
                  </Link>
                ) : (
                  picture
                )}
                <figcaption className="mt-1 text-sm text-stone-600">
                  {product ? (
                    <Link to={`/shop/${product.id}`} className="font-semibold text-brand-700 underline">
                      Buy the {PRODUCT_TYPE_LABELS[type].toLowerCase()}
                    </Link>
                  ) : (
                    PRODUCT_TYPE_LABELS[type]
                  )}
                </figcaption>
              </figure>
            );
          })}
        </div>
      </div>
      <div>
        <p className="text-sm">
          <Link to={`/rounds/${submission.round.slug}`} className="text-brand-700 underline">
            {submission.round.title}
          </Link>{" "}
          · {PHASE_LABELS[submission.phase]}
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">{submission.title}</h1>
        <p className="mt-1 text-stone-700">
          by{" "}
          <Link to={`/designers/${submission.designerUsername}`} className="font-semibold text-brand-700 underline">
            @{submission.designerUsername}
          </Link>
        </p>
        {isOwner || submission.status !== "approved" ? (
          <div className="mt-4 space-y-2">
            <StatusBadge status={submission.status} />
            {submission.rejectionReason ? (
              <p className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
                <span className="font-semibold">Reason: </span>
                {submission.rejectionReason}
              </p>
            ) : null}
          </div>
        ) : null}
        {submission.description ? (
          <p className="mt-4 whitespace-pre-line text-stone-800">{submission.description}</p>
        ) : null}
        {ballotCount !== null ? (
          <p className="mt-4 rounded-lg bg-brand-50 p-3 text-sm text-brand-900">
            {ballotCount} ballot{ballotCount === 1 ? "" : "s"} so far. Scores stay hidden until voting ends.
          </p>
        ) : null}
        {canVote ? (
          <Form
            method="post"
            action={`/vote/${submission.round.slug}`}
            className="mt-4 rounded-xl border border-stone-200 bg-white p-4"
          >
            <input type="hidden" name="submissionId" value={submission.id} />
            <input type="hidden" name="redirectTo" value={`/submissions/${submission.id}`} />
            <p className="font-semibold">
              {myBallot
                ? `Your score: ${myBallot.score}${myBallot.wouldBuy ? ", and you'd buy it" : ""}. Change it?`
                : "Score this design"}
            </p>
            {countsFrom ? <NewAccountNotice countsFrom={countsFrom} className="mt-2" /> : null}
            <fieldset disabled={countsFrom !== null} className="m-0 min-w-0 border-0 p-0">
              <label className="mt-2 inline-flex items-center gap-2 text-sm has-disabled:text-stone-400">
                <input
                  type="checkbox"
                  name="wouldBuy"
                  defaultChecked={myBallot?.wouldBuy ?? false}
                  className="h-4 w-4 accent-brand-600"
                />{" "}
                I'd buy this
              </label>
              <div className="mt-2 flex flex-wrap gap-2">
                {[0, 1, 2, 3, 4, 5].map((score) => (
                  <button
                    key={score}
                    type="submit"
                    name="score"
                    value={score}
                    aria-label={`Score ${score}`}
                    aria-pressed={myBallot?.score === score}
                    className="h-10 w-10 rounded-lg border border-stone-300 font-semibold hover:border-brand-600 disabled:opacity-50 disabled:hover:border-stone-300 aria-pressed:bg-brand-600 aria-pressed:text-white"
                  >
                    {score}
                  </button>
                ))}
              </div>
            </fieldset>
          </Form>
        ) : null}
        {inviteToVote ? (
          <p
            className="mt-4 rounded-xl border border-brand-100 bg-brand-50 p-4 text-brand-900"
            data-testid="vote-invite"
          >
            Voting is open in {submission.round.title}.{" "}
            <Link
              to={withRedirectTo("/login", `/submissions/${submission.id}`)}
              className="font-semibold text-brand-700 underline"
            >
              Log in
            </Link>{" "}
            or{" "}
            <Link
              to={withRedirectTo("/signup", `/submissions/${submission.id}`)}
              className="font-semibold text-brand-700 underline"
            >
              sign up
            </Link>{" "}
            to score this design.
          </p>
        ) : null}
        {products.length ? (
          <p className="mt-4 flex flex-wrap items-center gap-2">
            <span className="font-semibold">Won its round, now in the shop:</span>
            {products.map((p) => (
              <Link
                key={p.id}
                to={`/shop/${p.id}`}
                className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
              >
                {PRODUCT_TYPE_LABELS[p.type]}
              </Link>
            ))}
          </p>
        ) : null}
        {canSave ? (
          <div className="mt-4">
            <FavouriteButton
              submissionId={submission.id}
              saved={saved}
              title={submission.title}
              redirectTo={`/submissions/${submission.id}`}
            />
          </div>
        ) : null}
        <TagLinks tags={submission.tags} className="mt-4" />
        {share ? (
          <div className="mt-4">
            <ShareLink url={share.link} />
          </div>
        ) : null}
        <p className="mt-4 text-sm text-stone-600">
          Artwork {submission.artworkWidth} × {submission.artworkHeight} px · submitted{" "}
          {formatDay(submission.createdAt)}
        </p>
        {isOwner ? (
          <div className="mt-6 flex flex-wrap gap-3">
            {canEdit ? (
              <Link
                to={`/submissions/${submission.id}/edit`}
                className="rounded-md border border-stone-300 px-4 py-2 font-semibold hover:bg-stone-100"
              >
                Edit title and description
              </Link>
            ) : null}
            {submission.status === "approved" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="critique" />
                <input type="hidden" name="wanted" value={submission.critiqueWanted ? "false" : "true"} />
                <button
                  type="submit"
                  className="rounded-md border border-stone-300 px-4 py-2 font-semibold hover:bg-stone-100"
                >
                  {submission.critiqueWanted ? "Stop asking for critique" : "Ask for critique"}
                </button>
              </Form>
            ) : null}
            {canWithdraw ? (
              <Form method="post">
                <input type="hidden" name="intent" value="withdraw" />
                <button
                  type="submit"
                  className="rounded-md border border-red-300 px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
                >
                  Withdraw from the round
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
        {canComment && !isOwner ? (
          <div className="mt-4">
            <ReportForm
              subjectType="submission"
              subjectId={submission.id}
              redirectTo={`/submissions/${submission.id}`}
              label="Report this design"
            />
          </div>
        ) : null}
        {submission.status === "approved" ? (
          <CommentsSection
            thread={thread}
            count={commentCount}
            canComment={canComment}
            pagePath={`/submissions/${submission.id}`}
            isLaterPage={isLaterCommentsPage}
          />
        ) : null}
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
