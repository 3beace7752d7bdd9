import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ArtworkPicture } from "~/components/artwork";
import { ProductGrid } from "~/components/product-grid";
import { RoundGrid } from "~/components/round-card";
import { feedFor } from "~/domain/follows.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import {
  bestSellers,
  designersToFollow,
  liveVotes,
  newestWinners,
  openForSubmissions,
} from "~/domain/storefront.server";
import { getOptionalUser } from "~/lib/auth.server";
import { formatDay, formatMoney } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Crowdthread — designs chosen by the crowd" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date();
  const user = await getOptionalUser(request);
  const [voting, winners, sellers, designers, submissions, feed] = await Promise.all([
    liveVotes(now),
    newestWinners(),
    bestSellers(),
    designersToFollow(),
    openForSubmissions(now),
    user ? feedFor(user.id, 8) : null,
  ]);
  return { voting, winners, sellers, designers, submissions, feed };
}

const buttonClass = "rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700";

export default function HomePage() {
  const { voting, winners, sellers, designers, submissions, feed } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-12">
      <section className="rounded-2xl bg-brand-900 px-6 py-10 text-white sm:px-10">
        <h1 className="max-w-2xl text-3xl font-black tracking-tight sm:text-5xl">
          Designs chosen by the crowd. Royalties you can audit.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-brand-100">
          Designers submit artwork to themed rounds. Everyone scores it while voting is open. The winners become shirts
          and posters in the shop, and every sale pays the designer a royalty.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link to="/shop" className="rounded-md bg-white px-5 py-2.5 font-semibold text-brand-900 hover:bg-brand-50">
            Shop the winners
          </Link>
          <Link to="/vote" className="rounded-md border border-white/60 px-5 py-2.5 font-semibold hover:bg-white/10">
            Vote on designs
          </Link>
        </div>
      </section>

      {voting.map((round) => (
        <section key={round.id} aria-labelledby={`vote-${round.slug}`}>
          <div className="flex flex-wrap items-end justify-between gap-3">
            <div className="min-w-0">
              <p className="text-sm font-semibold text-brand-700">
                Voting now · ends {formatDay(round.votingClosesAt)}
              </p>
              <h2 id={`vote-${round.slug}`} className="text-2xl font-bold">
                <Link to={`/rounds/${round.slug}`} className="hover:underline">
                  {round.title}
                </Link>
              </h2>
            </div>
            <Link to={`/vote/${round.slug}`} className={buttonClass}>
              Vote now
            </Link>
          </div>
          {round.designs.length ? (
            <ul className="mt-4 grid grid-cols-4 gap-2 sm:gap-3 lg:grid-cols-8">
              {round.designs.map((d) => (
                <li key={d.id}>
                  <Link
                    to={`/submissions/${d.id}`}
                    className="flex aspect-square items-center justify-center overflow-hidden rounded-lg border border-stone-200 bg-white hover:border-brand-600"
                  >
                    <ArtworkPicture
                      images={d.images}
                      size="thumb"
                      alt={`${d.title} by @${d.designerUsername}`}
                      className="max-h-full max-w-full object-contain"
                    />
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-stone-700">The first designs are on their way.</p>
          )}
        </section>
      ))}

      <section aria-labelledby="winners-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="winners-heading" className="text-2xl font-bold">
            New winners in the shop
          </h2>
          <Link to="/shop" className="text-sm font-semibold text-brand-700 underline">
            The whole shop
          </Link>
        </div>
        {winners.length ? (
          <ul className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
            {winners.map((w) => (
              <li
                key={w.submissionId}
                className="flex flex-col overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm"
              >
                <Link to={`/shop/${w.products[0]!.id}`} className="block">
                  <img
                    src={w.mockupUrl}
                    alt={`${w.title} ${PRODUCT_TYPE_LABELS[w.products[0]!.type]}`}
                    width={1200}
                    height={1200}
                    loading="lazy"
                    className="aspect-square w-full object-cover"
                  />
                </Link>
                <div className="flex flex-1 flex-col p-3">
                  <p className="truncate font-semibold">{w.title}</p>
                  <p className="truncate text-sm text-stone-600">
                    by{" "}
                    <Link to={`/designers/${w.designerUsername}`} className="underline">
                      @{w.designerUsername}
                    </Link>
                  </p>
                  <p className="truncate text-xs text-stone-600">
                    won{" "}
                    <Link to={`/rounds/${w.roundSlug}/results`} className="underline">
                      {w.roundTitle}
                    </Link>
                  </p>
                  <p className="mt-auto flex flex-wrap gap-2 pt-2">
                    {w.products.map((p) => (
                      <Link
                        key={p.id}
                        to={`/shop/${p.id}`}
                        className="rounded-full bg-brand-50 px-2.5 py-0.5 text-sm font-semibold text-brand-800 hover:underline"
                      >
                        {PRODUCT_TYPE_LABELS[p.type]} {formatMoney(p.basePriceCents, p.currency)}
                      </Link>
                    ))}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-stone-700">No round has finished yet: the first winners arrive when one does.</p>
        )}
      </section>

      {sellers.length ? (
        <section aria-labelledby="sellers-heading">
          <h2 id="sellers-heading" className="text-2xl font-bold">
            Best sellers
          </h2>
          <ProductGrid items={sellers} spacing="mt-4" />
        </section>
      ) : null}

      {designers.length ? (
        <section aria-labelledby="designers-heading">
          <h2 id="designers-heading" className="text-2xl font-bold">
            Designers worth following
          </h2>
          <p className="mt-1 text-stone-700">The most wins in the latest rounds.</p>
          <ul className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {designers.map((d) => (
              <li key={d.username}>
                <Link
                  to={`/designers/${d.username}`}
                  className="flex h-full flex-col items-center rounded-xl border border-stone-200 bg-white p-4 text-center hover:border-brand-600"
                >
                  {d.avatarUrl ? (
                    <img
                      src={d.avatarUrl}
                      alt=""
                      width={64}
                      height={64}
                      loading="lazy"
                      className="size-16 rounded-full object-cover"
                    />
                  ) : (
                    <span
                      aria-hidden
                      className="flex size-16 items-center justify-center rounded-full bg-brand-100 text-2xl font-bold text-brand-800"
                    >
                      {d.username.slice(0, 1).toUpperCase()}
                    </span>
                  )}
                  <span className="mt-2 max-w-full truncate font-semibold">@{d.username}</span>
                  <span className="text-xs text-stone-600">
                    {d.wins} win{d.wins === 1 ? "" : "s"} · {d.followers} follower{d.followers === 1 ? "" : "s"}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="submit-heading">
        <h2 id="submit-heading" className="text-2xl font-bold">
          Open for submissions
        </h2>
        <RoundGrid rounds={submissions} empty="No round is taking submissions right now." />
      </section>

      {feed ? (
        <section aria-labelledby="feed-heading">
          <h2 id="feed-heading" className="text-2xl font-bold">
            From designers you follow and rounds you entered
          </h2>
          {feed.length ? (
            <ul className="mt-4 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white">
              {feed.map((item) => (
                <li key={`${item.kind}-${item.id}`} className="px-4 py-3 text-sm">
                  <Link to={item.url} className="font-semibold hover:underline">
                    {item.title}
                  </Link>{" "}
                  <span className="text-stone-600">
                    {item.kind === "product"
                      ? "is in the shop"
                      : item.kind === "win"
                        ? "won its round"
                        : "is a new design"}{" "}
                    · @{item.designer} · {item.roundTitle}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-stone-700">
              Nothing yet. Follow designers from their profile pages to see their new work here.
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}
