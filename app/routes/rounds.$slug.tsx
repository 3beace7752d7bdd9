import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { SubmissionGrid } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { formatBps, formatDateTime, formatMoney } from "~/lib/format";
import { scheduleChanges } from "~/domain/round-admin.server";
import { PHASE_LABELS, SCHEDULE_CHANGE_LABELS } from "~/domain/round-phase";
import { findRoundBySlug, roundProposer } from "~/domain/rounds.server";
import { z } from "zod";
import { MoreLink, usePagedList } from "~/components/pager";
import { mapPage } from "~/domain/page";
import { defaultGallerySort, GALLERY_SORT_LABELS, GALLERY_SORTS, type GallerySort } from "~/domain/search";
import {
  approvedCount,
  approvedInRound,
  arrivalCursor,
  commentedCursor,
  mostCommentedInRound,
} from "~/domain/submissions.server";
import { galleryForViewer, shuffleCursor } from "~/domain/voting.server";
import { getOptionalUser } from "~/lib/auth.server";
import { parseParams, parseSearchParams, slugParam } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";
import { renderMarkdown } from "~/lib/markdown.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.round.title} · Crowdthread` },
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: `${data.round.title} designs`,
          href: `/rounds/${data.round.slug}/feed.xml`,
        },
      ]
    : [{ title: "Round · Crowdthread" }];

/** Built once: parseSearchParams caches its parser by the shape's identity. */
const SORT_SEARCH = { sort: z.enum(GALLERY_SORTS).optional().catch(undefined) };
const AFTER_SEARCH = {
  shuffle: { after: cursorParam(shuffleCursor).optional() },
  newest: { after: cursorParam(arrivalCursor).optional() },
  oldest: { after: cursorParam(arrivalCursor).optional() },
  "most-commented": { after: cursorParam(commentedCursor).optional() },
} satisfies Record<GallerySort, unknown>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const viewer = await getOptionalUser(request);
  const round = await findRoundBySlug(slug, viewer);
  if (!round) throw new Response("There is no round at this address.", { status: 404 });
  // While voting, each viewer gets their own stable shuffle by default, so no design always sits first.
  const voting = round.phase === "voting";
  const sort = parseSearchParams(request, SORT_SEARCH).sort ?? defaultGallerySort(voting);
  // The cursor's shape follows the sort: one from another order is a 400, like any unreadable one.
  const { after } = parseSearchParams(request, AFTER_SEARCH[sort]);
  const [entries, entryCount] = await Promise.all([
    galleryPage(round.id, viewer?.id ?? null, sort, after),
    approvedCount(round.id),
  ]);
  return {
    proposer: await roundProposer(round.proposalId),
    round: {
      slug: round.slug,
      title: round.title,
      phase: round.phase,
      /** Only admins get here for a draft (roundVisibleTo); the page says it is not public. */
      draft: round.publishedAt === null,
      submissionsOpenAt: round.submissionsOpenAt,
      votingOpensAt: round.votingOpensAt,
      votingClosesAt: round.votingClosesAt,
      maxSubmissionsPerDesigner: round.maxSubmissionsPerDesigner,
      minArtworkWidth: round.minArtworkWidth,
      minArtworkHeight: round.minArtworkHeight,
      winnersCount: round.winnersCount,
      minVotes: round.minVotes,
      voterMinScored: round.voterMinScored,
      prize: round.prizeCents ? formatMoney(round.prizeCents, round.currency) : null,
      royalty: formatBps(round.royaltyBps),
      products: round.productTypes.map(
        (p) => `${PRODUCT_TYPE_LABELS[p.type]} from ${formatMoney(p.basePriceCents, round.currency)}`,
      ),
    },
    briefHtml: renderMarkdown(round.brief),
    changes: await scheduleChanges(round.id),
    entryCount,
    sort,
    isDefaultSort: sort === defaultGallerySort(voting),
    isLaterPage: after !== undefined,
    submissions: mapPage(entries, (s) => ({
      id: s.id,
      title: s.title,
      images: s.images,
      tags: s.tags,
      designerUsername: s.designerUsername,
    })),
  };
}

/** One page of the gallery in the chosen order; each order is one walk of its own index. */
function galleryPage(roundId: string, viewerId: string | null, sort: GallerySort, after: unknown) {
  switch (sort) {
    case "shuffle":
      return galleryForViewer(roundId, viewerId, { after: after as z.output<typeof shuffleCursor> | undefined });
    case "newest":
    case "oldest":
      return approvedInRound(roundId, { order: sort, after: after as z.output<typeof arrivalCursor> | undefined });
    case "most-commented":
      return mostCommentedInRound(roundId, { after: after as z.output<typeof commentedCursor> | undefined });
  }
}

export default function RoundPage() {
  const { round, proposer, briefHtml, changes, submissions, entryCount, sort, isDefaultSort, isLaterPage } =
    useLoaderData<typeof loader>();
  const gallery = usePagedList(submissions, useFetcher<typeof loader>(), (data) => data.submissions);
  return (
    <article>
      <p className="text-sm">
        <Link to="/rounds" className="text-brand-700 underline">
          All rounds
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{round.title}</h1>
          <p className="mt-1 font-semibold text-brand-700">
            {round.draft ? "Draft: only admins can see this round" : PHASE_LABELS[round.phase]}
          </p>
          {proposer ? (
            <p className="mt-1 text-sm text-stone-700">
              Proposed by{" "}
              {proposer.username ? (
                <Link to={`/designers/${proposer.username}`} className="font-semibold text-brand-700 underline">
                  @{proposer.username}
                </Link>
              ) : (
                "a former member"
              )}{" "}
              and chosen by the community:{" "}
              <Link to={`/proposals/${proposer.proposalId}`} className="text-brand-700 underline">
                see the proposal
              </Link>
            </p>
          ) : null}
        </div>
        {round.phase === "submissions" ? (
          <Link
            to={`/rounds/${round.slug}/submit`}
            className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            Submit a design
          </Link>
        ) : null}
        {round.phase === "voting" ? (
          <Link
            to={`/vote/${round.slug}`}
            className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            Vote on these designs
          </Link>
        ) : null}
        {round.phase === "finalized" ? (
          <Link
            to={`/rounds/${round.slug}/results`}
            className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            See the results
          </Link>
        ) : null}
      </div>
      <div className="mt-6 grid gap-8 lg:grid-cols-[2fr_1fr]">
        <div className="markdown max-w-3xl text-stone-800" dangerouslySetInnerHTML={{ __html: briefHtml }} />
        <aside className="space-y-4 text-sm">
          <section aria-labelledby="schedule-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="schedule-heading" className="font-semibold">
              Schedule (UTC)
            </h2>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt>Submissions open</dt>
              <dd>{formatDateTime(round.submissionsOpenAt)}</dd>
              <dt>Voting opens</dt>
              <dd>{formatDateTime(round.votingOpensAt)}</dd>
              <dt>Voting closes</dt>
              <dd>{formatDateTime(round.votingClosesAt)}</dd>
            </dl>
            {changes.length ? (
              <ul
                className="mt-3 space-y-1 border-t border-stone-100 pt-2 text-stone-700"
                aria-label="Schedule changes"
              >
                {changes.map((c) => (
                  <li key={c.at.toISOString()}>
                    {SCHEDULE_CHANGE_LABELS[c.change]} on {formatDateTime(c.at)}: {formatDateTime(c.from)} →{" "}
                    {formatDateTime(c.to)}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
          <section aria-labelledby="rules-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="rules-heading" className="font-semibold">
              Rules
            </h2>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              <li>
                Up to {round.maxSubmissionsPerDesigner} designs each, at least {round.minArtworkWidth} ×{" "}
                {round.minArtworkHeight} px.
              </li>
              <li>
                The top {round.winnersCount} designs with at least {round.minVotes} counted votes become products:{" "}
                {round.products.join(", ")}.
              </li>
              <li>
                Designers earn {round.royalty} of every sale
                {round.prize ? `, and each winner gets a ${round.prize} prize` : ""}.
              </li>
              <li>
                Ballots count from members who scored at least {round.voterMinScored} designs.{" "}
                <Link to="/ranking" className="text-brand-700 underline">
                  How ranking works
                </Link>
              </li>
            </ul>
          </section>
        </aside>
      </div>
      <section aria-labelledby="entries-heading" className="mt-10">
        <h2 id="entries-heading" className="text-xl font-semibold">
          Designs in this round <span className="font-normal text-stone-600">({entryCount})</span>
        </h2>
        <Form method="get" className="mt-2 flex flex-wrap items-end gap-2" aria-label="Order of the designs">
          <label className="text-sm font-medium">
            Order{" "}
            <select
              name="sort"
              defaultValue={sort}
              className="ml-1 rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm"
            >
              {GALLERY_SORTS.map((s) => (
                <option key={s} value={s}>
                  {GALLERY_SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-50"
          >
            Show
          </button>
        </Form>
        {round.phase === "voting" ? (
          <p className="mt-1 text-sm text-stone-600">
            {sort === "shuffle" ? "Shown in an order shuffled for you. " : ""}Scores stay hidden until voting ends.
          </p>
        ) : null}
        <SubmissionGrid
          items={gallery.items}
          empty={round.phase === "draft" ? "Submissions have not opened yet." : "No approved designs yet."}
        />
        <MoreLink
          list={gallery}
          label="More designs"
          startHref={isLaterPage ? `/rounds/${round.slug}${isDefaultSort ? "" : `?sort=${sort}`}` : null}
        />
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
