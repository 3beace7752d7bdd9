import { Link } from "@remix-run/react";
import type { RoundPhase } from "~/domain/round-phase";
import { PHASE_LABELS } from "~/domain/round-phase";
import { formatDay } from "~/lib/format";

export type RoundCardData = {
  slug: string;
  title: string;
  brief: string;
  phase: RoundPhase;
  submissionsOpenAt: Date;
  votingOpensAt: Date;
  votingClosesAt: Date;
  /** Null for a draft, which only admins are shown. */
  publishedAt?: Date | null;
};

const PHASE_STYLE: Record<RoundPhase, string> = {
  draft: "bg-stone-100 text-stone-700",
  submissions: "bg-amber-100 text-amber-900",
  voting: "bg-brand-100 text-brand-900",
  closed: "bg-sky-100 text-sky-900",
  finalized: "bg-emerald-100 text-emerald-900",
};

function nextMoment(round: RoundCardData): string {
  switch (round.phase) {
    case "draft":
      return `Submissions open ${formatDay(round.submissionsOpenAt)}`;
    case "submissions":
      return `Submissions close ${formatDay(round.votingOpensAt)}`;
    case "voting":
      return `Voting ends ${formatDay(round.votingClosesAt)}`;
    case "closed":
      return `Voting ended ${formatDay(round.votingClosesAt)}; results are being counted`;
    case "finalized":
      return `Results published`;
  }
}

export function RoundCard({ round }: { round: RoundCardData }) {
  return (
    <article className="flex flex-col rounded-xl border border-stone-200 bg-white p-5 shadow-sm">
      <span className={`self-start rounded-full px-2.5 py-0.5 text-xs font-semibold ${PHASE_STYLE[round.phase]}`}>
        {round.publishedAt === null ? "Draft (admins only)" : PHASE_LABELS[round.phase]}
      </span>
      <h3 className="mt-3 text-lg font-semibold">
        <Link to={`/rounds/${round.slug}`} className="hover:underline">
          {round.title}
        </Link>
      </h3>
      <p className="mt-1 line-clamp-3 text-sm text-stone-700">{round.brief}</p>
      <p className="mt-auto pt-4 text-sm text-stone-600">{nextMoment(round)}</p>
      {round.phase === "voting" ? (
        <Link
          to={`/vote/${round.slug}`}
          className="mt-3 self-start rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700"
        >
          Vote now
        </Link>
      ) : null}
      {round.phase === "submissions" ? (
        <Link
          to={`/rounds/${round.slug}/submit`}
          className="mt-3 self-start rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700"
        >
          Submit a design
        </Link>
      ) : null}
      {round.phase === "finalized" ? (
        <Link
          to={`/rounds/${round.slug}/results`}
          className="mt-3 self-start text-sm font-semibold text-brand-700 underline"
        >
          See the results
        </Link>
      ) : null}
    </article>
  );
}

/** Round cards in the responsive grid every round listing uses; `empty` is said when there are none. */
export function RoundGrid({
  rounds,
  empty,
  spacing = "mt-4",
}: {
  rounds: RoundCardData[];
  empty?: string;
  spacing?: string;
}) {
  if (rounds.length === 0) return empty ? <p className={`${spacing} text-stone-700`}>{empty}</p> : null;
  return (
    <div className={`${spacing} grid gap-4 sm:grid-cols-2 lg:grid-cols-3`}>
      {rounds.map((r) => (
        <RoundCard key={r.slug} round={r} />
      ))}
    </div>
  );
}
