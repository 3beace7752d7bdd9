import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SubmissionGrid } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PHASE_LABELS } from "~/domain/round-phase";
import { findRoundBySlug } from "~/domain/rounds.server";
import { listApprovedForRound, publicImages } from "~/domain/submissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.round.title} · Crowdthread` : "Round · Crowdthread" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const round = await findRoundBySlug(params.slug ?? "");
  if (!round) throw new Response("There is no round at this address.", { status: 404 });
  const approved = await listApprovedForRound(round.id);
  return {
    round,
    submissions: approved.map((s) => ({ id: s.id, title: s.title, images: publicImages(s.images), designerUsername: s.designerUsername })),
  };
}

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function RoundPage() {
  const { round, submissions } = useLoaderData<typeof loader>();
  return (
    <article>
      <p className="text-sm">
        <Link to="/rounds" className="text-brand-700 underline">
          All rounds
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{round.title}</h1>
          <p className="mt-1 font-semibold text-brand-700">{PHASE_LABELS[round.phase]}</p>
        </div>
        {round.phase === "submissions" ? (
          <Link to={`/rounds/${round.slug}/submit`} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
            Submit a design
          </Link>
        ) : null}
      </div>
      <p className="mt-4 max-w-3xl whitespace-pre-line text-stone-800">{round.brief}</p>
      <dl className="mt-6 grid max-w-xl grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="font-medium">Submissions open</dt>
        <dd>{when.format(round.submissionsOpenAt)} UTC</dd>
        <dt className="font-medium">Voting opens</dt>
        <dd>{when.format(round.votingOpensAt)} UTC</dd>
        <dt className="font-medium">Voting closes</dt>
        <dd>{when.format(round.votingClosesAt)} UTC</dd>
      </dl>
      <section aria-labelledby="entries-heading" className="mt-10">
        <h2 id="entries-heading" className="text-xl font-semibold">
          Designs in this round <span className="font-normal text-stone-600">({submissions.length})</span>
        </h2>
        <SubmissionGrid items={submissions} empty={round.phase === "draft" ? "Submissions have not opened yet." : "No approved designs yet."} />
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
