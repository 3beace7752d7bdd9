import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { ArtworkPicture } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MoreLink, usePagedList } from "~/components/pager";
import { voidedBallotCount } from "~/domain/ballot-voids.server";
import { findFinalizedRound, rankCursor, rankingPage, rankingSummary, roundWinners } from "~/domain/results.server";
import { WEIGHT_BUCKETS } from "~/domain/ranking";
import { parseParams, parseSearchParams, slugParam } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";
import { mapPage } from "~/domain/page";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { productsOfDesigns } from "~/domain/shop.server";
import { formatCount } from "~/lib/format";

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
  // The winners' products, so a result leads to what can be bought (a page has at most its winners).
  const won = [...rows.items, ...(winners ?? [])].filter((r) => r.winner).map((r) => r.submissionId);
  const goods = await productsOfDesigns([...new Set(won)]);
  const withProducts = <T extends { submissionId: string }>(r: T) => ({
    ...r,
    products: goods.get(r.submissionId) ?? [],
  });
  return {
    round,
    ...rankingSummary(round),
    winners: winners?.map(withProducts) ?? null,
    rows: mapPage(rows, withProducts),
    voidedBallots,
    isLaterPage: after !== undefined,
  };
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
        {distribution.map((n, score) => `${formatCount(n, "ballot")} scored ${score}`).join(", ")}
      </figcaption>
    </figure>
  );
}

/** "Buy: T-shirt · Poster" under a winner: the way from a result to the shop. */
function ProductLinks({ products, title }: { products: { id: string; type: "tee" | "poster" }[]; title: string }) {
  if (products.length === 0) return null;
  return (
    <p className="mt-1 flex flex-wrap gap-x-2 text-xs">
      <span className="text-stone-600">Buy:</span>
      {products.map((p) => (
        <Link
          key={p.id}
          to={`/shop/${p.id}`}
          aria-label={`Buy ${title} as a ${PRODUCT_TYPE_LABELS[p.type].toLowerCase()}`}
          className="font-semibold text-brand-700 underline"
        >
          {PRODUCT_TYPE_LABELS[p.type]}
        </Link>
      ))}
    </p>
  );
}

const fixed = (n: number | null, digits = 3) => (n === null ? "—" : n.toFixed(digits));

const BUCKET_LABELS = [
  ...Array.from({ length: WEIGHT_BUCKETS - 1 }, (_, i) => `${i / 10}–${(i + 1) / 10}`),
  "1 (full)",
];

/** How the voters' weights fell: one bar per tenth, as a list a screen reader reads as text. */
function WeightHistogram({ histogram }: { histogram: number[] }) {
  const max = Math.max(1, ...histogram);
  return (
    <ol aria-label="Voters by weight" className="mt-2 space-y-0.5 text-xs">
      {histogram.map((n, bucket) => (
        <li key={bucket} className="grid grid-cols-[4.5rem_1fr_3.5rem] items-center gap-2">
          <span className="tabular-nums text-stone-600">{BUCKET_LABELS[bucket]}</span>
          <span aria-hidden="true" className="h-3 rounded-sm bg-stone-100">
            <span className="block h-3 rounded-sm bg-brand-600" style={{ width: `${(n / max) * 100}%` }} />
          </span>
          <span className="text-right tabular-nums">
            {n}
            <span className="sr-only"> voters weighed {BUCKET_LABELS[bucket]}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

type RuleSectionProps = Pick<
  ReturnType<typeof useLoaderData<typeof loader>>,
  "round" | "priorMean" | "countedBallots" | "z" | "rule" | "weights" | "voidedBallots"
>;

function RankingRuleSection({ round, priorMean, countedBallots, z, rule, weights, voidedBallots }: RuleSectionProps) {
  const m = round.minVotes;
  return (
    <section aria-labelledby="formula-heading" className="mt-6 rounded-xl border border-stone-200 bg-white p-5 text-sm">
      <h2 id="formula-heading" className="text-lg font-semibold">
        How this ranking was computed
      </h2>
      <p className="mt-1 text-stone-600">
        Rule {rule.version} of{" "}
        <Link to="/ranking" className="text-brand-700 underline">
          the published rules
        </Link>
        , fixed when submissions opened.
      </p>
      <ol className="mt-2 list-decimal space-y-1 pl-5">
        <li>
          {voidedBallots === 0
            ? "No ballots were voided."
            : `${voidedBallots} ballot${voidedBallots === 1 ? " was" : "s were"} voided by the admins (accounts found voting as a ring or otherwise breaking the rules) and left out of everything below, the CSV included.`}
        </li>
        <li>
          Only ballots from members who scored at least {formatCount(round.voterMinScored, "design")} in this round
          count ({formatCount(countedBallots, "counted ballot")}).
        </li>
        {rule.version === 1 ? (
          <li>
            Score = Bayesian average = (C × m + sum of scores) / (m + n), with the round mean C = {priorMean.toFixed(4)}
            , m = {m} (the round's minimum votes) and n the design's counted ballots.
          </li>
        ) : (
          <>
            <li>
              Each voter is weighed by how well their scores agree with everyone else's: r is the correlation between
              their scores and the other voters' mean score for the same designs, over the k designs they scored. It is
              pulled towards {rule.shrinkTowards} when k is small: s = (k × r + {rule.shrinkTowards} ×{" "}
              {rule.shrinkBallots}) / (k + {rule.shrinkBallots}). Weight w = s / {rule.fullWeightAt}, at most 1 and at
              least 0. Being harsh or generous does not lower a weight; scoring against the crowd does.
            </li>
            <li>
              Score = weighted Bayesian average = (C × m + Σ w × score) / (m + Σ w), with the weighted round mean C ={" "}
              {priorMean.toFixed(4)} and m = {m} (the round's minimum votes).
            </li>
          </>
        )}
        <li>Second signal: the Wilson lower bound (z = {z}) of the share of "I'd buy this" ticks.</li>
        <li>Ties: more counted ballots first, then the earlier submission.</li>
        <li>
          {round.winnersCount === 1 ? "The top design" : `The top ${round.winnersCount} designs`} with at least{" "}
          {formatCount(m, "counted ballot")} {round.winnersCount === 1 ? "wins and becomes" : "win and become"}{" "}
          products.
        </li>
      </ol>
      {rule.version === 2 && weights ? (
        <div className="mt-4">
          <h3 className="font-semibold">Voter weights</h3>
          <p className="mt-1">
            {weights.reducedBallots} of {formatCount(countedBallots, "counted ballot")} counted at less than full weight
            {weights.zeroBallots ? `, ${weights.zeroBallots} of them at weight 0` : ""};{" "}
            {formatCount(weights.countedVoters, "voter")} counted.
          </p>
          <WeightHistogram histogram={weights.voterHistogram} />
        </div>
      ) : null}
      <p className="mt-3">
        <a href={`/rounds/${round.slug}/ballots.csv`} className="font-semibold text-brand-700 underline" download>
          Download the anonymised ballots (CSV)
        </a>{" "}
        with each voter's weight, and{" "}
        <a href={`/rounds/${round.slug}/results.json`} className="font-semibold text-brand-700 underline" download>
          the published ranking
        </a>
        , to recompute it yourself:{" "}
        <code className="break-all">npm run results:verify -- {round.slug}-ballots.csv</code>
      </p>
    </section>
  );
}

export default function ResultsPage() {
  const { round, rows, winners, isLaterPage, priorMean, countedBallots, z, rule, weights, voidedBallots } =
    useLoaderData<typeof loader>();
  const ranking = usePagedList(rows, useFetcher<typeof loader>(), (data) => data.rows);
  return (
    <article>
      <p className="text-sm">
        <Link to={`/rounds/${round.slug}`} className="text-brand-700 underline">
          {round.title}
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Results: {round.title}</h1>

      <RankingRuleSection
        round={round}
        priorMean={priorMean}
        countedBallots={countedBallots}
        z={z}
        rule={rule}
        weights={weights}
        voidedBallots={voidedBallots}
      />

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
                <ProductLinks products={w.products} title={w.title} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <div className="relative mt-6 overflow-x-auto rounded-xl border border-stone-200 bg-white">
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
                  <ProductLinks products={r.products} title={r.title} />
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
