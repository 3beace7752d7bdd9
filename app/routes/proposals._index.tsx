import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MoreLink, usePagedList } from "~/components/pager";
import { SORT_LABELS, SORTS } from "~/domain/proposal-forms";
import { listProposals, proposalCursor, supportThreshold } from "~/domain/proposals.server";
import { parseSearchParams } from "~/lib/edge.server";
import { formatCount } from "~/lib/format";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction = () => [{ title: "Round proposals · Crowdthread" }];

/** Built once: parseSearchParams caches its parser by the shape's identity. */
const SEARCH = { sort: z.enum(SORTS).default("trending"), after: cursorParam(proposalCursor).optional() };

export async function loader({ request }: LoaderFunctionArgs) {
  const { sort, after } = parseSearchParams(request, SEARCH);
  const [items, threshold] = await Promise.all([listProposals(sort, { after }), supportThreshold()]);
  return { sort, items, threshold, isLaterPage: after !== undefined };
}

export default function ProposalsPage() {
  const { sort, items: firstPage, threshold, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(firstPage, useFetcher<typeof loader>(), (data) => data.items);
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl">
          <h1 className="text-3xl font-bold tracking-tight">Round proposals</h1>
          <p className="mt-2 text-stone-700">
            Themes members want as the next rounds. Support the ones you would design for or buy from: at{" "}
            {formatCount(threshold, "supporter")} a proposal goes to the admins, who can turn it into a round.
          </p>
        </div>
        <Link
          to="/proposals/new"
          className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
        >
          Propose a theme
        </Link>
      </div>
      <nav aria-label="Sort proposals" className="mt-6 flex flex-wrap gap-2 text-sm">
        {SORTS.map((s) => (
          <Link
            key={s}
            to={`/proposals?sort=${s}`}
            aria-current={s === sort ? "page" : undefined}
            className={`rounded-full border px-3 py-1 ${s === sort ? "border-brand-600 bg-brand-600 text-white" : "border-stone-300 hover:bg-stone-100"}`}
          >
            {SORT_LABELS[s]}
          </Link>
        ))}
      </nav>
      {list.items.length === 0 ? (
        <p className="mt-6 text-stone-700">No proposals yet. Be the first to propose a theme.</p>
      ) : (
        <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {list.items.map((p) => (
            <li key={p.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
              <Link to={`/proposals/${p.id}`} className="block">
                {p.cover ? (
                  <img src={p.cover.small} alt="" className="aspect-[4/3] w-full bg-stone-100 object-cover" />
                ) : null}
                <div className="p-4">
                  <p className="font-semibold break-words">{p.title}</p>
                  <p className="text-sm text-stone-600">
                    by {p.proposer ? `@${p.proposer}` : "a former member"} · {formatCount(p.supportCount, "supporter")}
                    {sort === "trending" ? ` (${p.recentSupport} this week)` : ""}
                    {p.status === "review" ? " · in review" : ""}
                  </p>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={list} label="More proposals" startHref={isLaterPage ? `/proposals?sort=${sort}` : null} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
