import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "How ranking works · Crowdthread" }];

export default function RankingRulesPage() {
  return (
    <article className="mx-auto max-w-3xl space-y-4 text-stone-800">
      <h1 className="text-3xl font-bold tracking-tight text-stone-900">How ranking works</h1>
      <p>
        Every round is ranked by the same published rules. After a round is finalized, its results page shows the
        numbers and offers every ballot, anonymised, so anyone can recompute the result.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">1. Whose ballots count</h2>
      <p>
        Only ballots from members who scored at least a minimum number of designs in the round (shown on each round, 5
        by default). A ring of throwaway accounts that each cast one ballot for a friend counts for nothing. In our
        simulation of a 200-design round, such a ring lifts a design 18 places without this rule and not at all with it.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">2. The score</h2>
      <p>
        A Bayesian average: <code>(C × m + sum of the design's scores) / (m + n)</code>, where <code>C</code> is the
        mean of all counted scores in the round, <code>m</code> the round's minimum votes, and <code>n</code> the
        design's counted ballots. A design with two perfect scores does not beat one with two hundred very good ones:
        few ballots pull a design towards the round's mean.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">3. The second signal</h2>
      <p>
        The share of voters who ticked "I'd buy this", taken as the lower bound of its 95% Wilson interval, so that 1 of
        1 does not beat 80 of 100.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">4. Ties and winners</h2>
      <p>
        Equal designs are ordered by counted ballots, then by who submitted first. The top designs (as many as the round
        announces) with at least <code>m</code> counted ballots win: they become products in the shop, and their
        designers earn a royalty on every sale.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">Fair exposure</h2>
      <p>
        The Vote page always shows you the design with the fewest ballots that you have not scored yet, so late entries
        are seen as much as early ones. Galleries are shuffled differently for each member, and nobody sees scores until
        voting ends.
      </p>
    </article>
  );
}
