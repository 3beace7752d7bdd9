import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { ArtworkPicture } from "~/components/artwork";
import { MoreLink, usePagedList } from "~/components/pager";
import { critiqueCursor, critiqueWanted } from "~/domain/comments.server";
import { parseSearchParams } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction = () => [{ title: "Critique wanted · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { after } = parseSearchParams(request, { after: cursorParam(critiqueCursor).optional() });
  return { items: await critiqueWanted({ after }), isLaterPage: after !== undefined };
}

export default function CritiquePage() {
  const { items: firstPage, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(firstPage, useFetcher<typeof loader>(), (data) => data.items);
  const items = list.items;
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Critique wanted</h1>
      <p className="mt-2 max-w-2xl text-stone-700">
        These designers asked for honest feedback. Say what works and what could be better; comments never show anyone's
        score.
      </p>
      {items.length === 0 ? (
        <p className="mt-6 text-stone-700">
          Nobody is asking right now. Designers can ask for critique from their design's page.
        </p>
      ) : (
        <ul className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
          {items.map((s) => (
            <li key={s.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
              <Link to={`/submissions/${s.id}#comments-heading`} className="block">
                <div className="flex aspect-square items-center justify-center bg-stone-100">
                  <ArtworkPicture
                    images={s.images}
                    size="thumb"
                    alt={s.title}
                    className="max-h-full max-w-full object-contain"
                  />
                </div>
                <div className="p-3">
                  <p className="truncate font-semibold">{s.title}</p>
                  <p className="text-sm text-stone-600">
                    by @{s.designerUsername} · {s.commentCount} comment{s.commentCount === 1 ? "" : "s"}
                  </p>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={list} label="More designs" startHref={isLaterPage ? "/critique" : null} />
    </div>
  );
}
