import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RoundGrid } from "~/components/round-card";
import { feedFor } from "~/domain/follows.server";
import { listRounds } from "~/domain/rounds.server";
import { getOptionalUser } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Crowdthread — designs chosen by the crowd" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const rounds = await listRounds(user);
  return {
    feed: user ? await feedFor(user.id, 12) : null,
    voting: rounds.filter((r) => r.phase === "voting"),
    submissions: rounds.filter((r) => r.phase === "submissions"),
  };
}

export default function HomePage() {
  const { voting, submissions, feed } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-12">
      <section className="rounded-2xl bg-brand-900 px-6 py-12 text-white sm:px-10">
        <h1 className="max-w-2xl text-4xl font-black tracking-tight sm:text-5xl">
          Designs chosen by the crowd. Royalties you can audit.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-brand-100">
          Designers submit artwork to themed rounds. Everyone scores it while voting is open. The winners become shirts
          and posters in the shop, and every sale pays the designer a royalty, line by line in their ledger.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link to="/vote" className="rounded-md bg-white px-5 py-2.5 font-semibold text-brand-900 hover:bg-brand-50">
            Vote on designs
          </Link>
          <Link to="/rounds" className="rounded-md border border-white/60 px-5 py-2.5 font-semibold hover:bg-white/10">
            Submit your artwork
          </Link>
        </div>
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

      <section aria-labelledby="voting-heading">
        <h2 id="voting-heading" className="text-2xl font-bold">
          Voting now
        </h2>
        <RoundGrid rounds={voting} empty="No round is open for voting right now." />
      </section>

      <section aria-labelledby="submit-heading">
        <h2 id="submit-heading" className="text-2xl font-bold">
          Open for submissions
        </h2>
        <RoundGrid rounds={submissions} empty="No round is taking submissions right now." />
      </section>
    </div>
  );
}
