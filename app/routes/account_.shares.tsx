import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/bar-chart";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SHARE_STATS_DAYS, shareCodeOf, shareStats } from "~/domain/share-links.server";
import { requireUser } from "~/lib/auth.server";
import { formatCount, formatDay } from "~/lib/format";
import { SHARE_WINDOW_DAYS } from "~/lib/share-cookie.server";

export const meta: MetaFunction = () => [{ title: "Your share links · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [code, stats] = await Promise.all([shareCodeOf(user.id), shareStats(user.id)]);
  return { code, ...stats, statsDays: SHARE_STATS_DAYS, windowDays: SHARE_WINDOW_DAYS };
}

const SERIES = [
  { key: "visits", title: "Visits", one: "visit", unit: "visits" },
  { key: "signups", title: "Sign-ups", one: "sign-up", unit: "sign-ups" },
  { key: "ballots", title: "Ballots", one: "ballot", unit: "ballots" },
  { key: "sales", title: "Sales of your work", one: "sale", unit: "sales" },
] as const;

export default function SharesPage() {
  const { code, days, totals, statsDays, windowDays } = useLoaderData<typeof loader>();
  return (
    <div className="min-w-0">
      <p className="text-sm">
        <Link to="/account/submissions" className="text-brand-700 underline">
          Your designs
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">What your share links brought</h1>
      <p className="mt-2 text-stone-700">
        Every design and product page offers a share link with your code (<code>?ref={code}</code>). A visitor who
        arrives through one is credited to you for {windowDays} days: their visits (once a day), their sign-up, their
        ballots and their orders of your work. You see how many, never who.
      </p>
      <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {SERIES.map((s) => (
          <div key={s.key} className="rounded-lg border border-stone-200 bg-white p-3">
            <dt className="text-sm text-stone-600">{s.title}</dt>
            <dd className="text-2xl font-bold tabular-nums">{totals[s.key]}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-1 text-sm text-stone-600">In the last {statsDays} days.</p>
      <div className="mt-6 grid gap-6 md:grid-cols-2">
        {SERIES.map((s) => (
          <section key={s.key} aria-labelledby={`${s.key}-heading`} className="min-w-0">
            <h2 id={`${s.key}-heading`} className="font-semibold">
              {s.title} per day
            </h2>
            <BarChart
              title={`${s.title} per day through your share links`}
              unit={s.unit}
              unitOne={s.one}
              bars={days.map((d) => ({ label: formatDay(d.day), n: d[s.key] }))}
              summary={`${formatCount(totals[s.key], s.one, s.unit)} in the last ${statsDays} days, from ${formatDay(days[0]!.day)} to ${formatDay(days[days.length - 1]!.day)}.`}
            />
          </section>
        ))}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
