import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RoundGrid } from "~/components/round-card";
import { PHASE_LABELS, type RoundPhase } from "~/domain/round-phase";
import { listRounds } from "~/domain/rounds.server";
import { getOptionalUser } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Rounds · Crowdthread" }];

const ORDER: RoundPhase[] = ["submissions", "voting", "draft", "closed", "finalized"];

export async function loader({ request }: LoaderFunctionArgs) {
  return { rounds: await listRounds(await getOptionalUser(request)) };
}

export default function RoundsPage() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Rounds</h1>
      <p className="mt-2 max-w-2xl text-stone-700">
        Each round has a theme and a clock: submissions first, then a public vote, then the results and the winners'
        products.
      </p>
      {rounds.length === 0 ? <p className="mt-8 text-stone-700">No rounds yet. Check back soon.</p> : null}
      {ORDER.map((phase) => {
        const inPhase = rounds.filter((r) => r.phase === phase);
        if (inPhase.length === 0) return null;
        return (
          <section key={phase} aria-labelledby={`phase-${phase}`} className="mt-10">
            <h2 id={`phase-${phase}`} className="text-xl font-semibold">
              {PHASE_LABELS[phase]}
            </h2>
            <RoundGrid rounds={inPhase} />
          </section>
        );
      })}
    </div>
  );
}
