import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listRoundsForAdmin } from "~/domain/round-admin.server";
import { PHASE_LABELS } from "~/domain/round-phase";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Rounds · Admin · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const rounds = await listRoundsForAdmin();
  return {
    rounds: rounds.map((r) => ({
      id: r.id,
      title: r.title,
      slug: r.slug,
      phase: r.phase,
      votingClosesAt: r.votingClosesAt,
      publishedAt: r.publishedAt,
    })),
  };
}

export default function AdminRoundsPage() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">Rounds</h1>
        <Link
          to="/admin/rounds/new"
          className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
        >
          New round
        </Link>
      </div>
      <ul className="mt-6 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white">
        {rounds.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
            <div>
              <Link to={`/admin/rounds/${r.id}`} className="font-semibold hover:underline">
                {r.title}
              </Link>
              <p className="text-sm text-stone-600">
                {r.publishedAt ? PHASE_LABELS[r.phase] : "Draft (only admins see it)"} ·{" "}
                {r.phase === "closed" || r.phase === "finalized" ? "voting closed" : "voting closes"}{" "}
                {formatDateTime(r.votingClosesAt)} UTC
              </p>
            </div>
            <Link to={`/rounds/${r.slug}`} className="text-sm text-brand-700 underline">
              Public page
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
