import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PHASE_LABELS } from "~/domain/round-phase";
import { findRoundBySlug } from "~/domain/rounds.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.round.title} · Crowdthread` : "Round · Crowdthread" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const round = await findRoundBySlug(params.slug ?? "");
  if (!round) throw new Response("There is no round at this address.", { status: 404 });
  return { round };
}

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function RoundPage() {
  const { round } = useLoaderData<typeof loader>();
  return (
    <article>
      <p className="text-sm">
        <Link to="/rounds" className="text-brand-700 underline">
          All rounds
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{round.title}</h1>
      <p className="mt-1 font-semibold text-brand-700">{PHASE_LABELS[round.phase]}</p>
      <p className="mt-4 max-w-3xl whitespace-pre-line text-stone-800">{round.brief}</p>
      <dl className="mt-6 grid max-w-xl grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="font-medium">Submissions open</dt>
        <dd>{when.format(round.submissionsOpenAt)} UTC</dd>
        <dt className="font-medium">Voting opens</dt>
        <dd>{when.format(round.votingOpensAt)} UTC</dd>
        <dt className="font-medium">Voting closes</dt>
        <dd>{when.format(round.votingClosesAt)} UTC</dd>
      </dl>
    </article>
  );
}
