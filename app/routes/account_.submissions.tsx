import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { ListThumbnail, StatusBadge } from "~/components/artwork";
import { MoreLink, usePagedList } from "~/components/pager";
import { mapPage } from "~/domain/page";
import { PHASE_LABELS } from "~/domain/round-phase";
import { designerCursor, listDesignerSubmissions } from "~/domain/submissions.server";
import { requireUser } from "~/lib/auth.server";
import { parseSearchParams } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction = () => [{ title: "Your designs · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { after } = parseSearchParams(request, { after: cursorParam(designerCursor).optional() });
  const page = await listDesignerSubmissions(user.id, { after });
  return {
    isLaterPage: after !== undefined,
    items: mapPage(page, (s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      rejectionReason: s.rejectionReason,
      images: s.images,
      round: { slug: s.round.slug, title: s.round.title },
      phase: s.phase,
      canEdit: s.canEdit,
      canWithdraw: s.canWithdraw,
      ballots: s.phase === "voting" && s.status === "approved" ? s.ballotCount : null,
      rank: s.rank,
      won: Boolean(s.won),
    })),
  };
}

export default function MySubmissionsPage() {
  const { items: firstPage, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(firstPage, useFetcher<typeof loader>(), (data) => data.items);
  const items = list.items;
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Your designs</h1>
      <p className="mt-2 text-stone-700">
        Everything you have submitted, with its status. You can withdraw a design until its round's voting starts.
      </p>
      <p className="mt-2">
        <Link to="/account/shares" className="font-semibold text-brand-700 underline">
          What your share links brought
        </Link>
      </p>
      {items.length === 0 ? (
        <p className="mt-8">
          Nothing yet.{" "}
          <Link to="/rounds" className="font-semibold text-brand-700 underline">
            Find a round that is open for submissions
          </Link>
          .
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {items.map((s) => (
            <li key={s.id} className="flex gap-4 p-4">
              <ListThumbnail images={s.images} />
              <div className="min-w-0 flex-1">
                <p className="font-semibold">
                  <Link to={`/submissions/${s.id}`} className="hover:underline">
                    {s.title}
                  </Link>
                </p>
                <p className="text-sm text-stone-600">
                  {s.round.title} · {PHASE_LABELS[s.phase]}
                </p>
                <div className="mt-1 flex flex-wrap items-center gap-2">
                  <StatusBadge status={s.status} />
                  {s.won ? (
                    <span className="rounded-full bg-amber-300 px-2 py-0.5 text-xs font-bold text-amber-950">
                      Winner · #{s.rank}
                    </span>
                  ) : null}
                  {s.rank !== null && !s.won ? (
                    <Link to={`/rounds/${s.round.slug}/results`} className="text-sm text-stone-700 underline">
                      Placed #{s.rank}
                    </Link>
                  ) : null}
                </div>
                {s.rejectionReason ? <p className="mt-1 text-sm text-red-800">Reason: {s.rejectionReason}</p> : null}
                {s.ballots !== null ? (
                  <p className="mt-1 text-sm text-brand-900">
                    {s.ballots} ballot{s.ballots === 1 ? "" : "s"} so far
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={list} label="More of your designs" startHref={isLaterPage ? "/account/submissions" : null} />
    </div>
  );
}
