import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/bar-chart";
import { ConfirmStep, type Confirmation } from "~/components/confirm-step";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { voidBallots, voidedBallotCount, voidPreview, voidsInRound } from "~/domain/ballot-voids.server";
import { BURST_MIN_SIGNUPS, LOW_WEIGHT, NEW_ACCOUNT_DAYS } from "~/domain/integrity";
import { voidBallotsSchema } from "~/domain/integrity-forms";
import {
  ballotSources,
  ballotsPerHour,
  coVotingGroups,
  designsLeaningOnLowWeight,
  findRoundForIntegrity,
  signupBursts,
  voterWeightsForIntegrity,
} from "~/domain/integrity.server";
import { PHASE_LABELS } from "~/domain/round-phase";
import { requireAdmin } from "~/lib/auth.server";
import { askToConfirm } from "~/lib/confirm.server";
import { idParam, parseParams, readForm } from "~/lib/edge.server";
import { formatCount, formatDateTime } from "~/lib/format";
import { FAILURE_STATUS } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Integrity: ${data.round.title} · Admin · Crowdthread` : "Integrity · Admin" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  await requireAdmin(request);
  const round = await findRoundForIntegrity(id);
  if (!round) throw new Response("There is no such round.", { status: 404 });
  if (round.phase === "draft" || round.phase === "submissions") {
    return { round, open: false as const };
  }
  const now = new Date();
  const [hours, sources, groups, bursts, voided, voids, leaning] = await Promise.all([
    ballotsPerHour(round, now),
    ballotSources(round.id),
    coVotingGroups(round.id),
    signupBursts(round, now),
    voidedBallotCount(round.id),
    voidsInRound(round.id),
    voterWeightsForIntegrity(round).then((weights) => designsLeaningOnLowWeight(round.id, weights)),
  ]);
  return { round, open: true as const, hours, sources, groups, bursts, voided, voids, leaning };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { id: roundId } = parseParams(params, { id: idParam });
  const admin = await requireAdmin(request);
  const submission = parseWithZod(await readForm(request), { schema: voidBallotsSchema });
  if (submission.status !== "success") {
    const errors = Object.values(submission.error ?? {}).flat();
    // A reason too short is the admin's to fix; a forged list of ids is a form nobody made.
    if (!submission.error?.reason) throw new Response("This form cannot be read.", { status: 400 });
    return data({ confirm: null, errors }, { status: 400 });
  }
  const { voterIds, reason, confirmed } = submission.value;
  if (confirmed !== "void") {
    const round = await findRoundForIntegrity(roundId);
    if (!round) throw new Response("There is no such round.", { status: 404 });
    // Names what goes: the ballots and the accounts not voided yet (a short list: the form names at most 200).
    const accounts = await voidPreview(roundId, voterIds);
    const ballotCount = accounts.reduce((n, a) => n + a.ballots, 0);
    const shown = accounts.slice(0, 12).map((a) => `@${a.username}`);
    const names =
      accounts.length > shown.length
        ? `${shown.join(", ")} and ${accounts.length - shown.length} more`
        : shown.join(", ");
    const confirmation: Confirmation = {
      intent: "void",
      question: `Void ${formatCount(ballotCount, "ballot")} of ${formatCount(accounts.length, "account")}${
        names ? ` (${names})` : ""
      } in “${round.title}”? They will not count in the results, the ballots CSV or any count shown, and the results page will say how many ballots were voided. Your reason is kept in the audit log: “${reason}”.`,
      confirmLabel: `Yes, void ${formatCount(ballotCount, "ballot")}`,
      token: "void",
      fields: { voterIds: voterIds.join(","), reason },
    };
    return askToConfirm(confirmation);
  }
  const done = await voidBallots({ roundId, voterIds, reason, adminId: admin.id });
  if (!done.ok) {
    // The round is missing (no field to blame), not one of the accounts the form names.
    if (done.code === "not_found" && !done.field) throw new Response(done.message, { status: 404 });
    return data({ confirm: null, errors: [done.message] }, { status: FAILURE_STATUS[done.code] });
  }
  const { accounts, ballots } = done.value;
  return redirectWithToast(request, `/admin/rounds/${roundId}/integrity`, {
    kind: "success",
    title: `Voided ${formatCount(ballots, "ballot")} of ${formatCount(accounts, "account")}`,
  });
}

const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 1000) / 10}%` : "—");
const hourLabel = (hour: Date | string) => `${formatDateTime(hour)} UTC`;

function VoidForm({ voterIds, label, id }: { voterIds: string[]; label: string; id: string }) {
  return (
    // Stacked on a phone (the reason full width), side by side from sm up.
    <Form method="post" className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
      <input type="hidden" name="intent" value="void" />
      <input type="hidden" name="voterIds" value={voterIds.join(",")} />
      <label className="w-full min-w-0 text-sm font-medium sm:flex-1" htmlFor={id}>
        Reason
        <input
          id={id}
          name="reason"
          required
          minLength={5}
          maxLength={500}
          placeholder="e.g. identical ballots, one network"
          className="mt-1 block w-full rounded-md border border-stone-300 px-2 py-1.5"
        />
      </label>
      <button
        type="submit"
        className="self-start rounded-md border border-red-300 px-3 py-2 text-sm font-semibold text-red-800 hover:bg-red-50 sm:self-auto"
      >
        {label}
      </button>
    </Form>
  );
}

export default function IntegrityPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { round } = loaded;
  return (
    <div className="min-w-0 space-y-8">
      <div>
        <p className="text-sm">
          <Link to={`/admin/rounds/${round.id}`} className="text-brand-700 underline">
            {round.title}
          </Link>
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">Integrity: {round.title}</h1>
        <p className="font-semibold text-brand-700">{PHASE_LABELS[round.phase]}</p>
      </div>

      {actionData && "confirm" in actionData && actionData.confirm ? (
        <ConfirmStep confirmation={actionData.confirm} cancelHref={`/admin/rounds/${round.id}/integrity`} />
      ) : null}
      {actionData && "errors" in actionData && actionData.errors?.length ? (
        <ErrorList errors={actionData.errors.filter((e): e is string => typeof e === "string")} />
      ) : null}

      {!loaded.open ? (
        <p className="text-stone-700">Voting has not opened yet: there are no ballots to look at.</p>
      ) : (
        <>
          <section aria-labelledby="hours-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="hours-heading" className="text-lg font-semibold">
              Ballots per hour
            </h2>
            <BarChart
              title="Counted ballots per hour since voting opened"
              unit="ballots"
              bars={loaded.hours.map((h) => ({ label: hourLabel(h.hour), n: h.n }))}
              summary={hourSummary(loaded.hours)}
            />
          </section>

          <section aria-labelledby="sources-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="sources-heading" className="text-lg font-semibold">
              Where the ballots come from
            </h2>
            <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
              <dt>Counted ballots</dt>
              <dd className="text-right tabular-nums">{loaded.sources.total}</dd>
              <dt>From accounts under {NEW_ACCOUNT_DAYS} days old</dt>
              <dd className="text-right tabular-nums">
                {loaded.sources.fromNewAccounts} ({percent(loaded.sources.fromNewAccounts, loaded.sources.total)})
              </dd>
              <dt>From accounts that arrived by a share link in the 48 hours before</dt>
              <dd className="text-right tabular-nums">
                {loaded.sources.viaRecentShareLink} ({percent(loaded.sources.viaRecentShareLink, loaded.sources.total)})
              </dd>
              <dt>Voided</dt>
              <dd className="text-right tabular-nums">{loaded.voided}</dd>
            </dl>
          </section>

          <section aria-labelledby="groups-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="groups-heading" className="text-lg font-semibold">
              Accounts with near-identical ballots
            </h2>
            <p className="text-sm text-stone-700">
              Groups of accounts that scored at least 5 of the same designs, mostly the same ones, with scores a
              half-point apart or less on average. Honest voters rarely do.
            </p>
            {loaded.groups.length === 0 ? (
              <p className="mt-2 text-sm">No such group.</p>
            ) : (
              <ol className="mt-3 space-y-4">
                {loaded.groups.map((g, i) => (
                  <li key={g.accounts[0]!.id} className="rounded-lg border border-amber-300 bg-amber-50 p-3">
                    <h3 className="font-semibold">
                      Group {i + 1}: {g.accounts.length} accounts
                    </h3>
                    <ul
                      className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm"
                      aria-label={`Accounts in group ${i + 1}`}
                    >
                      {g.accounts.map((a) => (
                        <li key={a.id}>
                          @{a.username}{" "}
                          <span className="text-stone-600">
                            ({a.ballots} ballots, joined {formatDateTime(a.createdAt)})
                          </span>
                        </li>
                      ))}
                    </ul>
                    {round.phase === "finalized" ? null : (
                      <VoidForm
                        id={`void-group-${i}`}
                        voterIds={g.accounts.map((a) => a.id)}
                        label={`Void this group's ballots…`}
                      />
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section aria-labelledby="leaning-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="leaning-heading" className="text-lg font-semibold">
              Designs whose score leans on low-weight voters
            </h2>
            <p className="text-sm text-stone-700">
              Half or more of their ballots come from voters weighing under {LOW_WEIGHT} in the ranking rule, and those
              ballots lift the plain mean above the weighted one.
            </p>
            {loaded.leaning.length === 0 ? (
              <p className="mt-2 text-sm">No such design.</p>
            ) : (
              <div className="relative mt-2 overflow-x-auto">
                <table className="w-full text-left text-sm">
                  <thead>
                    <tr>
                      <th scope="col">Design</th>
                      <th scope="col" className="text-right">
                        Ballots
                      </th>
                      <th scope="col" className="text-right">
                        Low-weight
                      </th>
                      <th scope="col" className="text-right">
                        Mean → weighted
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {loaded.leaning.map((d) => (
                      <tr key={d.submissionId} className="border-t border-stone-100">
                        <td>
                          <Link to={`/submissions/${d.submissionId}`} className="underline">
                            {d.title}
                          </Link>
                        </td>
                        <td className="text-right tabular-nums">{d.ballots}</td>
                        <td className="text-right tabular-nums">{percent(d.lowWeightBallots, d.ballots)}</td>
                        <td className="text-right tabular-nums">
                          {d.mean.toFixed(2)} → {d.weightedMean === null ? "—" : d.weightedMean.toFixed(2)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section aria-labelledby="bursts-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="bursts-heading" className="text-lg font-semibold">
              Sign-up bursts from one network
            </h2>
            <p className="text-sm text-stone-700">
              Hours with {BURST_MIN_SIGNUPS} or more sign-ups from one network (the same /24 or /48), from two weeks
              before voting opened. Networks are named by a keyed hash: no address is stored.
            </p>
            {loaded.bursts.length === 0 ? (
              <p className="mt-2 text-sm">No burst.</p>
            ) : (
              <ul className="mt-2 space-y-2 text-sm">
                {loaded.bursts.map((b) => (
                  <li key={`${b.network}-${String(b.hour)}`} className="border-t border-stone-100 pt-2">
                    <span className="font-semibold">
                      {b.signups} sign-ups from network {b.network}… in the hour of {hourLabel(b.hour)}
                    </span>
                    , {b.voted} of them voted in this round.
                    <span className="block break-words text-stone-600">
                      {b.usernames.map((u) => `@${u}`).join(", ")}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="voids-heading" className="rounded-xl border border-stone-200 bg-white p-4">
            <h2 id="voids-heading" className="text-lg font-semibold">
              Voided accounts
            </h2>
            {loaded.voids.length === 0 ? (
              <p className="mt-2 text-sm">None.</p>
            ) : (
              <ul className="mt-2 space-y-1 text-sm">
                {loaded.voids.map((v) => (
                  <li key={v.voterId}>
                    @{v.username}: {v.ballots} ballots, {formatDateTime(v.at)} UTC, “{v.reason}”
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function hourSummary(hours: { hour: Date | string; n: number }[]) {
  if (!hours.length) return "No hours yet.";
  const total = hours.reduce((n, h) => n + h.n, 0);
  const peak = hours.reduce((best, h) => (h.n > best.n ? h : best), hours[0]!);
  return `${total} ballots over ${hours.length} hours; the busiest hour, ${hourLabel(peak.hour)}, had ${peak.n}.`;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
