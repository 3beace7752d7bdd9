import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { adminOverview } from "~/domain/admin-overview.server";
import { mailQueueSummary } from "~/domain/mailer.server";
import { requireAdmin } from "~/lib/auth.server";
import { getEnv } from "~/lib/env.server";
import { formatDay } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Admin · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const [overview, mail] = await Promise.all([adminOverview(), mailQueueSummary()]);
  return { ...overview, mail, localOutbox: !getEnv().SMTP_URL };
}

export default function AdminOverview() {
  const overview = useLoaderData<typeof loader>();
  const stats = [
    ["Members", overview.members],
    ["Admins", overview.admins],
    ["Rounds", overview.rounds],
    ["Active sessions", overview.activeSessions],
  ] as const;
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Admin overview</h1>
      <dl className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {stats.map(([label, value]) => (
          <div key={label} className="rounded-xl border border-stone-200 bg-white p-4">
            <dt className="text-sm text-stone-600">{label}</dt>
            <dd className="text-2xl font-bold">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-4 text-sm text-stone-700">
        Email: {overview.mail.pending} waiting, {overview.mail.sent} delivered,{" "}
        <span className={overview.mail.failed ? "font-semibold text-red-700" : ""}>
          {overview.mail.failed} given up
        </span>
        {overview.localOutbox ? (
          <>
            {" "}
            · no SMTP_URL, so mail goes to the{" "}
            <Link to="/dev/outbox" className="font-semibold text-brand-700 underline">
              local outbox
            </Link>
          </>
        ) : null}
        .
      </p>
      <h2 className="mt-10 text-xl font-semibold">Newest members</h2>
      <div className="relative mt-3 overflow-x-auto rounded-xl border border-stone-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-stone-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                Username
              </th>
              <th scope="col" className="px-4 py-2">
                Email
              </th>
              <th scope="col" className="px-4 py-2">
                Role
              </th>
              <th scope="col" className="px-4 py-2">
                Joined
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {overview.newest.map((m) => (
              <tr key={m.username}>
                <td className="px-4 py-2">@{m.username}</td>
                <td className="px-4 py-2">{m.email}</td>
                <td className="px-4 py-2">{m.role}</td>
                <td className="px-4 py-2">{formatDay(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
