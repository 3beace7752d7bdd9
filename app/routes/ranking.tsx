import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "How ranking works · Crowdthread" }];

export default function RankingRulesPage() {
  return (
    <article className="mx-auto max-w-3xl space-y-4 text-stone-800">
      <h1 className="text-3xl font-bold tracking-tight text-stone-900">How ranking works</h1>
      <p>
        Every round is ranked by the published rules below, fixed for the round when its submissions open (rounds that
        opened before voter weights keep the plain average of rule 1). After a round is finalized, its results page
        shows the numbers and offers every ballot, anonymised, with each voter&apos;s weight, so anyone can recompute
        the result: <code>npm run results:verify -- &lt;round&gt;</code> does it design by design.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">1. Whose ballots count</h2>
      <p>
        Only ballots from members who scored at least a minimum number of designs in the round (shown on each round, 5
        by default). A ring of throwaway accounts that each cast one ballot for a friend counts for nothing. In our
        simulation of a 200-design round, such a ring lifts a design 18 places without this rule and not at all with it.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">2. How much each ballot weighs</h2>
      <p>
        A ring can also cast enough ballots to pass that minimum: each account scores the design it backs 5 and the
        strongest rivals 0. So each voter is weighed by how well their scores agree with everyone else&apos;s:
      </p>
      <ul className="list-disc space-y-1 pl-6">
        <li>
          <code>r</code> is the correlation between the voter&apos;s scores and, for the same designs, the mean score of
          all the other voters (their own ballot left out);
        </li>
        <li>
          with only a few ballots that says little, so it is pulled towards a neutral 0.5:{" "}
          <code>s = (k × r + 0.5 × 5) / (k + 5)</code> for a voter who scored <code>k</code> designs;
        </li>
        <li>
          the weight is <code>w = s / 0.5</code>, at most 1 and at least 0: a voter who broadly agrees with the crowd
          counts in full, one who scores against it counts less or not at all.
        </li>
      </ul>
      <p>
        A correlation does not care where a voter&apos;s scale starts, so harsh and generous voters keep their full
        weight. Every voter&apos;s weight is published with the ballots.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">3. The score</h2>
      <p>
        A weighted Bayesian average: <code>(C × m + Σ w × score) / (m + Σ w)</code>, where <code>C</code> is the
        weighted mean of all counted scores in the round and <code>m</code> the round&apos;s minimum votes. A design
        with two perfect scores does not beat one with two hundred very good ones: few ballots pull a design towards the
        round&apos;s mean.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">What the simulation shows</h2>
      <p>
        In a simulated round of 200 designs and 2,000 honest voters (25 ballots each, through the vote queue, averaged
        over 20 rounds), a ring of 20 accounts that scores its design 5 and the five strongest rivals 0 lifts a
        mid-table design about 16 places under a plain Bayesian average, and under one place with the weights. Honest
        rounds come out the same either way: the ranking&apos;s correlation with the designs&apos; true quality is
        0.996, and 9 of the true top 10 are found. The simulation is in the source (<code>npm run sim:votes</code>).
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">4. The second signal</h2>
      <p>
        The share of voters who ticked "I'd buy this", taken as the lower bound of its 95% Wilson interval, so that 1 of
        1 does not beat 80 of 100.
      </p>
      <h2 className="pt-2 text-xl font-semibold text-stone-900">5. Ties and winners</h2>
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
