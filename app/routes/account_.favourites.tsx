import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { ListThumbnail } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FavouriteButton } from "~/components/favourite-button";
import { MoreLink, usePagedList } from "~/components/pager";
import { favouriteCursor, favouritesOf } from "~/domain/favourites.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { requireUser } from "~/lib/auth.server";
import { parseSearchParams } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction = () => [{ title: "Your favourites · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { after } = parseSearchParams(request, { after: cursorParam(favouriteCursor).optional() });
  return { isLaterPage: after !== undefined, items: await favouritesOf(user.id, { after }) };
}

export default function FavouritesPage() {
  const { items: firstPage, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(firstPage, useFetcher<typeof loader>(), (data) => data.items);
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Your favourites</h1>
      <p className="mt-2 text-stone-700">
        Designs you saved with the heart, newest first. When one becomes a product you can buy it from here, and you
        hear about it as your{" "}
        <Link to="/settings#notifications" className="text-brand-700 underline">
          notification settings
        </Link>{" "}
        say.
      </p>
      {list.items.length === 0 ? (
        <p className="mt-8">
          Nothing saved yet.{" "}
          <Link to="/shop" className="font-semibold text-brand-700 underline">
            Browse the shop
          </Link>{" "}
          or{" "}
          <Link to="/rounds" className="font-semibold text-brand-700 underline">
            the rounds
          </Link>{" "}
          and press Save on what you like.
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {list.items.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-4 p-4">
              <ListThumbnail images={s.images} to={`/submissions/${s.id}`} />
              <div className="min-w-0 flex-1">
                <p className="font-semibold">
                  <Link to={`/submissions/${s.id}`} className="hover:underline">
                    {s.title}
                  </Link>
                </p>
                <p className="text-sm text-stone-600">
                  by{" "}
                  <Link to={`/designers/${s.designerUsername}`} className="underline">
                    @{s.designerUsername}
                  </Link>
                </p>
                {s.products.length ? (
                  <p className="mt-1 flex flex-wrap gap-2 text-sm">
                    {s.products.map((p) => (
                      <Link
                        key={p.id}
                        to={`/shop/${p.id}`}
                        className="rounded-full bg-brand-50 px-2.5 py-0.5 font-semibold text-brand-800 hover:underline"
                      >
                        Buy the {PRODUCT_TYPE_LABELS[p.type].toLowerCase()}
                      </Link>
                    ))}
                  </p>
                ) : null}
              </div>
              <FavouriteButton submissionId={s.id} saved title={s.title} redirectTo="/account/favourites" />
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={list} label="More favourites" startHref={isLaterPage ? "/account/favourites" : null} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
