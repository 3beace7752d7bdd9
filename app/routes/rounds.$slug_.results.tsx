import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { ArtworkPicture } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MoreLink, usePagedList } from "~/components/pager";
import { voidedBallotCount } from "~/domain/ballot-voids.server";
import { findFinalizedRound, rankCursor, rankingPage, rankingSummary, roundWinners } from "~/domain/results.server";
import { parseParams, parseSearchParams, slugParam } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Results: ${data.round.title} · Crowdthread` : "Results · Crowdthread" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const { after } = parseSearchParams(request, { after: cursorParam(rankCursor).optional() });
  const round = await findFinalizedRound(slug);
  if (!round) throw new Response("This round has no published results yet.", { status: 404 });
  // The podium heads the first page only; later pages (and "More results") carry just the ranking.
  const [rows, winners, voidedBallots] = await Promise.all([
    rankingPage(round.id, { after }),
    after ? null : roundWinners(round.id),
    voidedBallotCount(round.id),
  ]);
  return { round, ...rankingSummary(round), winners, rows, voidedBallots, isLaterPage: after !== undefined };
}

function DistributionChart({ distribution, label }: { distribution: number[]; label: string }) {
  const max = Math.max(1, ...distribution);
  return (
    <figure aria-label={label} className="flex h-12 items-end gap-1">
      {distribution.map((n, score) => (
        <div key={score} className="flex w-5 flex-col items-center">
          <div
            className="w-full rounded-t bg-brand-600"
            style={{ height: `${Math.round((n / max) * 32)}px` }}
            title={`${n} × ${score}`}
          />
          <span className="text-[10px] leading-3 text-stone-600">{score}</span>
        </div>
      ))}
      <figcaption className="sr-only">
        {distribution.map((n, score) => `${n} ballots scored ${score}`).join(", ")}
      </figcaption>
    </figure>
  );
}

const fixed = (n: number | null, digits = 3) => (n === null ? "—" : n.toFixed(digits));

export default function ResultsPage() {
  const { round, rows, winners, isLaterPage, priorMean, countedBallots, voidedBallots, z } =
    useLoaderData<typeof loader>();
  const ranking = usePagedList(rows, useFetcher<typeof loader>(), (data) => data.rows);
  const m = round.minVotes;
  return (
    <article>
      <p className="text-sm">
        <Link to={`/rounds/${round.slug}`} className="text-brand-700 underline">
          {round.title}
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Results: {round.title}</h1>

      <section
        aria-labelledby="formula-heading"
        className="mt-6 rounded-xl border border-stone-200 bg-white p-5 text-sm"
      >
        <h2 id="formula-heading" className="text-lg font-semibold">
          How this ranking was computed
        </h2>
        <ol className="mt-2 list-decimal space-y-1 pl-5">
          <li>
            {voidedBallots === 0
              ? "No ballots were voided."
              : `${voidedBallots} ballot${voidedBallots === 1 ? " was" : "s were"} voided by the admins (accounts found voting as a ring or otherwise breaking the rules) and left out of everything below, the CSV included.`}
          </li>
          <li>
            Only ballots from members who scored at least {round.voterMinScored} designs in this round count (
            {countedBallots} counted ballots).
          </li>
          <li>
            Score = Bayesian average = (C × m + sum of scores) / (m + n), with the round mean C = {priorMean.toFixed(4)}
            , m = {m} (the round's minimum votes) and n the design's counted ballots.
          </li>
          <li>Second signal: the Wilson lower bound (z = {z}) of the share of "I'd buy this" ticks.</li>
          <li>Ties: more counted ballots first, then the earlier submission.</li>
          <li>
            The top {round.winnersCount} designs with at least {m} counted ballots win and become products.
          </li>
        </ol>
        <p className="mt-3">
          <a href={`/rounds/${round.slug}/ballots.csv`} className="font-semibold text-brand-700 underline" download>
            Download the anonymised ballots (CSV)
          </a>{" "}
          to recompute it yourself.
        </p>
      </section>

      {winners?.length ? (
        <section aria-labelledby="winners-heading" className="mt-6">
          <h2 id="winners-heading" className="text-lg font-semibold">
            Winners
          </h2>
          <ol className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
            {winners.map((w) => (
              <li key={w.submissionId} className="rounded-xl border border-emerald-200 bg-emerald-50 p-3">
                <Link to={`/submissions/${w.submissionId}`} className="block hover:underline">
                  <span className="flex aspect-square items-center justify-center overflow-hidden rounded bg-white">
                    <ArtworkPicture images={w.images} size="thumb" alt="" className="max-h-full max-w-full" />
                  </span>
                  <span className="mt-2 block font-semibold">
                    #{w.rank} {w.title}
                  </span>
                  <span className="block text-xs text-stone-600">@{w.designerUsername}</span>
                </Link>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <div className="mt-6 overflow-x-auto rounded-xl border border-stone-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Full ranking</caption>
          <thead className="bg-stone-50">
            <tr>
              <th scope="col" className="px-3 py-2">
                Rank
              </th>
              <th scope="col" className="px-3 py-2">
                Design
              </th>
              <th scope="col" className="px-3 py-2">
                Score
              </th>
              <th scope="col" className="px-3 py-2">
                Mean
              </th>
              <th scope="col" className="px-3 py-2">
                Ballots
              </th>
              <th scope="col" className="px-3 py-2">
                Would buy
              </th>
              <th scope="col" className="px-3 py-2">
                Distribution (0–5)
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {ranking.items.map((r) => (
              <tr key={r.submissionId} className={r.winner ? "bg-emerald-50" : undefined}>
                <td className="px-3 py-2 font-semibold">
                  {r.rank}
                  {r.winner ? (
                    <span className="ml-1 rounded bg-emerald-200 px-1.5 py-0.5 text-xs text-emerald-900">Winner</span>
                  ) : null}
                  {!r.qualified ? (
                    <span className="ml-1 block text-xs font-normal text-stone-500">too few votes</span>
                  ) : null}
                </td>
                <td className="px-3 py-2">
                  <Link to={`/submissions/${r.submissionId}`} className="flex items-center gap-2 hover:underline">
                    <span className="flex h-10 w-10 shrink-0 items-center justify-center overflow-hidden rounded bg-stone-100">
                      <ArtworkPicture images={r.images} size="thumb" alt="" className="max-h-full max-w-full" />
                    </span>
                    <span>
                      {r.title}
                      <span className="block text-xs text-stone-600">@{r.designerUsername}</span>
                    </span>
                  </Link>
                </td>
                <td className="px-3 py-2 tabular-nums">{fixed(r.bayesianScore)}</td>
                <td className="px-3 py-2 tabular-nums">{fixed(r.mean, 2)}</td>
                <td className="px-3 py-2 tabular-nums">{r.ballots}</td>
                <td className="px-3 py-2 tabular-nums">
                  {r.wouldBuy}{" "}
                  <span className="text-xs text-stone-500">(≥ {(r.wouldBuyLowerBound * 100).toFixed(0)}%)</span>
                </td>
                <td className="px-3 py-2">
                  <DistributionChart distribution={r.distribution} label={`Score distribution for ${r.title}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MoreLink list={ranking} label="More results" startHref={isLaterPage ? `/rounds/${round.slug}/results` : null} />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
