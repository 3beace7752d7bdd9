import type { Submission, SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ArtworkPicture } from "~/components/artwork";
import { ConfirmStep, HeldWhileConfirming, type Confirmation } from "~/components/confirm-step";
import { ErrorList } from "~/components/forms";
import { RoundForm } from "~/components/round-form";
import { finalizeRound } from "~/domain/finalize.server";
import { centsToInput } from "~/domain/money";
import {
  changeSchedule,
  disqualifySubmission,
  findEntryForAdmin,
  findRoundForAdmin,
  publishRound,
  scheduleChanges,
  updateDraftRound,
} from "~/domain/round-admin.server";
import { adminRoundActionSchema } from "~/domain/round-forms";
import { PHASE_LABELS, SCHEDULE_CHANGE_LABELS } from "~/domain/round-phase";
import { approvedCount, approvedInRound, arrivalCursor } from "~/domain/submissions.server";
import { MoreLink, usePagedList } from "~/components/pager";
import { mapPage } from "~/domain/page";
import { cursorParam } from "~/lib/pagination.server";
import { requireAdmin } from "~/lib/auth.server";
import { idParam, parseParams, parseSearchParams, readForm } from "~/lib/edge.server";
import { formatDateTime, formatMoney } from "~/lib/format";
import { roundProposer } from "~/domain/rounds.server";
import { FAILURE_STATUS, failureReply, failureResponse } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.round.title} · Admin · Crowdthread` : "Round · Admin" },
];

/** Built once: parseSearchParams caches its parser by the shape's identity. */
const ENTRIES_SEARCH = { after: cursorParam(arrivalCursor).optional() };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  await requireAdmin(request);
  const found = await findRoundForAdmin(id);
  if (!found) throw new Response("There is no such round.", { status: 404 });
  const round = { ...found, proposer: await roundProposer(found.proposalId) };
  const { after } = parseSearchParams(request, ENTRIES_SEARCH);
  const [entries, entryCount, changes] = await Promise.all([
    approvedInRound(round.id, { after }),
    approvedCount(round.id),
    scheduleChanges(round.id),
  ]);
  return {
    round,
    changes,
    entryCount,
    isLaterPage: after !== undefined,
    entries: mapPage(entries, (e) => ({
      id: e.id,
      title: e.title,
      designerUsername: e.designerUsername,
      images: e.images,
    })),
  };
}

type Intent<I extends AdminRoundAction["intent"]> = Extract<AdminRoundAction, { intent: I }>;
type AdminRoundAction = z.output<typeof adminRoundActionSchema>;
type Admin = { id: string };

/** The intents whose forms have fields that can be refused ("finalize" has none). */
const FORMS_WITH_FIELDS = z.enum(["update", "schedule", "disqualify"]);

/**
 * What each form shows when it is refused: the round form its Conform reply,
 * the others one message; or, for a disqualification not yet confirmed, the
 * question (status 200: the page is the next step).
 */
function refused(
  status: number,
  shown: {
    result?: SubmissionResult<string[]>;
    scheduleError?: string;
    disqualify?: { id: string; errors: string[] };
    confirm?: Confirmation;
  },
) {
  return data(
    {
      result: shown.result,
      scheduleError: shown.scheduleError ?? null,
      disqualify: shown.disqualify ?? null,
      confirm: shown.confirm ?? null,
    },
    { status },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { id: roundId } = parseParams(params, { id: idParam });
  const admin = await requireAdmin(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: adminRoundActionSchema });
  if (submission.status !== "success") {
    // The message goes where the form that sent it shows errors; a post from none of this page's forms has nowhere.
    const form = FORMS_WITH_FIELDS.safeParse(formData.get("intent"));
    if (!form.success) throw new Response("This form cannot be read.", { status: 400 });
    const errors = submission.error ?? {};
    switch (form.data) {
      case "update":
        return refused(400, { result: submission.reply() });
      case "schedule":
        return refused(400, { scheduleError: Object.values(errors).flat()[0] ?? "Check the date" });
      case "disqualify":
        return refused(400, {
          disqualify: { id: String(formData.get("submissionId")), errors: errors.reason ?? ["Check the form"] },
        });
    }
  }
  const value = submission.value;
  switch (value.intent) {
    case "update":
      return updateRound(request, roundId, admin, submission, value);
    case "schedule":
      return moveSchedule(request, roundId, admin, value);
    case "disqualify":
      return disqualify(request, roundId, admin, value);
    case "finalize":
      return finalize(request, roundId, value);
    case "publish":
      return publish(request, roundId, admin);
  }
}

async function publish(request: Request, roundId: string, admin: Admin) {
  const published = await publishRound(roundId, admin.id);
  if (!published.ok) {
    if (published.code === "not_found") throw failureResponse(published);
    return redirectWithToast(request, `/admin/rounds/${roundId}`, { kind: "error", title: published.message });
  }
  return redirectWithToast(request, `/admin/rounds/${roundId}`, {
    kind: "success",
    title: "Round published: everyone can see it now",
  });
}

async function updateRound(
  request: Request,
  roundId: string,
  admin: Admin,
  submission: Submission<unknown>,
  value: Intent<"update">,
) {
  const updated = await updateDraftRound(roundId, value, admin.id);
  if (!updated.ok)
    return failureReply(submission, updated, { extra: { scheduleError: null, disqualify: null, confirm: null } });
  return redirectWithToast(request, `/admin/rounds/${roundId}`, { kind: "success", title: "Round saved" });
}

/**
 * Extending a window only gives more time; ending voting early cannot be
 * undone, so it asks first, naming the round and how early. The answer names
 * the closing time it was given for: a confirmation for a schedule that
 * has since moved is asked again.
 */
async function moveSchedule(request: Request, roundId: string, admin: Admin, value: Intent<"schedule">) {
  if (value.change === "end-voting") {
    const round = await findRoundForAdmin(roundId);
    if (round?.phase === "voting") {
      const token = `end-voting:${round.votingClosesAt.getTime()}`;
      if (value.confirmed !== token)
        return refused(200, {
          confirm: {
            intent: "schedule",
            question: `End voting on “${round.title}” now, instead of at ${formatDateTime(round.votingClosesAt)} UTC? Ballots stop at once and the round closes for results; voting cannot be opened again.`,
            confirmLabel: "Yes, end voting now",
            token,
            fields: { change: "end-voting" },
          },
        });
    }
  }
  const changed = await changeSchedule(roundId, value, admin.id);
  if (!changed.ok) return refused(FAILURE_STATUS[changed.code], { scheduleError: changed.message });
  return redirectWithToast(request, `/admin/rounds/${roundId}`, {
    kind: "success",
    title: value.change === "end-voting" ? "Voting ended" : "Schedule extended",
  });
}

/** Two steps: the first post (with its reason) only asks; the one carrying `confirmed` disqualifies. */
async function disqualify(request: Request, roundId: string, admin: Admin, value: Intent<"disqualify">) {
  if (value.confirmed !== "disqualify") {
    const entry = await findEntryForAdmin(roundId, value.submissionId);
    if (!entry)
      return refused(404, {
        disqualify: { id: value.submissionId, errors: ["There is no such design in this round."] },
      });
    return refused(200, {
      confirm: {
        intent: "disqualify",
        question: `Disqualify “${entry.title}” by @${entry.designer}? It leaves the round for good, and the designer sees your reason: “${value.reason}”.`,
        confirmLabel: `Yes, disqualify “${entry.title}”`,
        token: "disqualify",
        fields: { submissionId: value.submissionId, reason: value.reason },
      },
    });
  }
  const done = await disqualifySubmission(roundId, value.submissionId, admin.id, value.reason);
  if (!done.ok) {
    return refused(FAILURE_STATUS[done.code], { disqualify: { id: value.submissionId, errors: [done.message] } });
  }
  return redirectWithToast(request, `/admin/rounds/${roundId}`, { kind: "info", title: "Design disqualified" });
}

/**
 * Finalizing publishes the ranking, creates the winners' products and pays
 * the prizes, and cannot be undone, so it asks first, as ending voting does.
 * The answer names the round and its closing time: a confirmation given for
 * anything else is asked again.
 */
async function finalize(request: Request, roundId: string, value: Intent<"finalize">) {
  const round = await findRoundForAdmin(roundId);
  if (round?.phase === "closed") {
    const token = `finalize:${round.id}:${round.votingClosesAt.getTime()}`;
    if (value.confirmed !== token) {
      const winners = round.winnersCount === 1 ? "the winner" : `the ${round.winnersCount} winners`;
      const money = (cents: number) => formatMoney(cents, round.currency);
      const toWinners = round.winnersCount === 1 ? "the winner" : `each of the ${round.winnersCount} winners`;
      // The proposer's share is paid only to a round that came from a proposal, and to an account that still
      // exists (finalize.server.ts).
      const proposer = await roundProposer(round.proposalId);
      const paid = [
        round.prizeCents > 0 ? `${money(round.prizeCents)} to ${toWinners}` : null,
        round.proposerPrizeCents > 0 && proposer?.sharePaid
          ? `${money(round.proposerPrizeCents)} to the proposer`
          : null,
      ].filter(Boolean);
      const prizes = paid.length ? ` and pays the prizes (${paid.join(", ")})` : "";
      return refused(200, {
        confirm: {
          intent: "finalize",
          question: `Finalize “${round.title}” now? This publishes the ranking, creates ${winners}' products in the shop${prizes}. It cannot be undone.`,
          confirmLabel: "Yes, finalize and publish results",
          token,
          fields: {},
        },
      });
    }
  }
  const outcome = await finalizeRound(roundId);
  if (!outcome.ok) {
    if (outcome.code === "not_found") throw failureResponse(outcome);
    return redirectWithToast(request, `/admin/rounds/${roundId}`, { kind: "info", title: outcome.message });
  }
  const { winners, products } = outcome.value;
  return redirectWithToast(request, `/admin/rounds/${roundId}`, {
    kind: "success",
    title: `Finalized: ${winners} winner${winners === 1 ? "" : "s"}, ${products} products`,
  });
}

const local = (d: Date) => d.toISOString().slice(0, 16);

const MINUTE = 60_000;

/**
 * The date field starts at the current end, which the server refuses (windows only grow), so the
 * browser asks for a later one before anything is sent; submissions must also end before voting does.
 */
function ExtendWindowForm({
  change,
  label,
  current,
  before,
}: {
  change: "extend-submissions" | "extend-voting";
  label: string;
  current: Date;
  before?: Date;
}) {
  return (
    <Form method="post" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="intent" value="schedule" />
      <input type="hidden" name="change" value={change} />
      <label className="text-sm font-medium">
        Extend {label} until (UTC)
        <input
          type="datetime-local"
          name="until"
          required
          defaultValue={local(current)}
          min={local(new Date(current.getTime() + MINUTE))}
          max={before ? local(new Date(before.getTime() - MINUTE)) : undefined}
          className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5"
        />
      </label>
      <button
        type="submit"
        className="rounded-md border border-stone-300 px-3 py-2 text-sm font-semibold hover:bg-stone-100"
      >
        Extend {label}
      </button>
    </Form>
  );
}

export default function AdminRoundPage() {
  const { round, changes, entries, entryCount, isLaterPage } = useLoaderData<typeof loader>();
  const entryList = usePagedList(entries, useFetcher<typeof loader>(), (data) => data.entries);
  const actionData = useActionData<typeof action>();
  const tee = round.productTypes.find((p) => p.type === "tee");
  const poster = round.productTypes.find((p) => p.type === "poster");
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/admin/rounds" className="text-brand-700 underline">
            All rounds
          </Link>{" "}
          ·{" "}
          <Link to={`/rounds/${round.slug}`} className="text-brand-700 underline">
            Public page
          </Link>
          {round.phase === "voting" || round.phase === "closed" || round.phase === "finalized" ? (
            <>
              {" "}
              ·{" "}
              <Link to={`/admin/rounds/${round.id}/integrity`} className="text-brand-700 underline">
                Integrity view
              </Link>
            </>
          ) : null}
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">{round.title}</h1>
        <p className="font-semibold text-brand-700">
          {round.publishedAt ? PHASE_LABELS[round.phase] : "Draft: only admins can see it"}
        </p>
        {round.proposer ? (
          <p className="text-sm text-stone-700">
            From the proposal{" "}
            <Link to={`/admin/proposals/${round.proposer.proposalId}`} className="text-brand-700 underline">
              {round.proposer.title}
            </Link>{" "}
            by {round.proposer.username ? `@${round.proposer.username}` : "a former member"}
            {round.proposerPrizeCents
              ? round.proposer.sharePaid
                ? `; the proposer's share of the prize is ${formatMoney(round.proposerPrizeCents, round.currency)}`
                : `; the proposer deleted their account, so their share (${formatMoney(round.proposerPrizeCents, round.currency)}) will not be paid`
              : ""}
            .
          </p>
        ) : null}
      </div>

      {round.publishedAt ? null : (
        <Form method="post" className="rounded-xl border border-amber-300 bg-amber-50 p-4">
          <input type="hidden" name="intent" value="publish" />
          <p className="text-sm text-amber-900">
            Members and guests cannot see this round anywhere until it is published. Publishing freezes its rules; only
            the schedule can be extended afterwards.
          </p>
          <button
            type="submit"
            className="mt-2 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
          >
            Publish round
          </button>
        </Form>
      )}

      {actionData?.confirm ? (
        <ConfirmStep confirmation={actionData.confirm} cancelHref={`/admin/rounds/${round.id}`} />
      ) : null}

      <HeldWhileConfirming held={Boolean(actionData?.confirm)} className="space-y-8">
        {round.phase === "draft" && !round.publishedAt ? (
          <>
            <input type="hidden" name="intent" value="update" form="round" />
            <RoundForm
              lastResult={actionData?.result}
              submitLabel="Save round"
              defaults={{
                title: round.title,
                slug: round.slug,
                brief: round.brief,
                submissionsOpenAt: local(round.submissionsOpenAt),
                votingOpensAt: local(round.votingOpensAt),
                votingClosesAt: local(round.votingClosesAt),
                maxSubmissionsPerDesigner: String(round.maxSubmissionsPerDesigner),
                minArtworkWidth: String(round.minArtworkWidth),
                minArtworkHeight: String(round.minArtworkHeight),
                autoApprove: round.autoApprove ? "on" : undefined,
                winnersCount: String(round.winnersCount),
                minVotes: String(round.minVotes),
                voterMinScored: String(round.voterMinScored),
                prize: centsToInput(round.prizeCents),
                royaltyPercent: String(round.royaltyBps / 100),
                offerTee: tee ? "on" : undefined,
                teePrice: tee ? centsToInput(tee.basePriceCents) : "25.00",
                offerPoster: poster ? "on" : undefined,
                posterPrice: poster ? centsToInput(poster.basePriceCents) : "18.00",
              }}
            />
          </>
        ) : (
          <section aria-labelledby="schedule-heading" className="rounded-xl border border-stone-200 bg-white p-6">
            <h2 id="schedule-heading" className="text-lg font-semibold">
              Schedule
            </h2>
            <p className="mt-1 text-sm text-stone-700">
              {round.phase === "draft"
                ? "The round is published, so the rules designers read are frozen. "
                : "Submissions opened, so the rules designers read are frozen. "}
              Windows can only be extended, or voting ended early; every change is logged and shown on the round's page.
            </p>
            <dl className="mt-3 grid max-w-lg grid-cols-[auto_1fr] gap-x-4 text-sm">
              <dt>Submissions open</dt>
              <dd>{formatDateTime(round.submissionsOpenAt)} UTC</dd>
              <dt>Voting opens</dt>
              <dd>{formatDateTime(round.votingOpensAt)} UTC</dd>
              <dt>Voting closes</dt>
              <dd>{formatDateTime(round.votingClosesAt)} UTC</dd>
            </dl>
            {actionData?.scheduleError ? <ErrorList errors={[actionData.scheduleError]} /> : null}
            <div className="mt-4 flex flex-wrap gap-6">
              {round.phase === "submissions" ? (
                <ExtendWindowForm
                  change="extend-submissions"
                  label="submissions"
                  current={round.votingOpensAt}
                  before={round.votingClosesAt}
                />
              ) : null}
              {round.phase === "submissions" || round.phase === "voting" ? (
                <ExtendWindowForm change="extend-voting" label="voting" current={round.votingClosesAt} />
              ) : null}
              {round.phase === "voting" ? (
                <Form method="post" className="flex items-end">
                  <input type="hidden" name="intent" value="schedule" />
                  <input type="hidden" name="change" value="end-voting" />
                  <button
                    type="submit"
                    className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800"
                  >
                    End voting now
                  </button>
                </Form>
              ) : null}
              {round.phase === "closed" ? (
                <Form method="post" className="flex items-end">
                  <input type="hidden" name="intent" value="finalize" />
                  <button
                    type="submit"
                    className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
                  >
                    Finalize now
                  </button>
                </Form>
              ) : null}
            </div>
            {changes.length ? (
              <ul
                className="mt-4 space-y-1 border-t border-stone-100 pt-3 text-sm text-stone-700"
                aria-label="Schedule changes"
              >
                {changes.map((c) => (
                  <li key={c.at.toISOString()}>
                    {SCHEDULE_CHANGE_LABELS[c.change]} by {c.by ? `@${c.by}` : "a former admin"} on{" "}
                    {formatDateTime(c.at)} UTC: {formatDateTime(c.from)} → {formatDateTime(c.to)}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
        )}

        {round.phase !== "finalized" && entryCount ? (
          <section aria-labelledby="entries-heading">
            <h2 id="entries-heading" className="text-lg font-semibold">
              Approved designs ({entryCount})
            </h2>
            <p className="text-sm text-stone-700">
              Disqualify a design before finalize if it breaks the rules; the designer sees the reason.
            </p>
            <ul className="mt-3 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white">
              {entryList.items.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
                  <span className="flex h-12 w-12 items-center justify-center overflow-hidden rounded bg-stone-100">
                    <ArtworkPicture images={e.images} size="thumb" alt="" className="max-h-full max-w-full" />
                  </span>
                  <span className="min-w-40 flex-1">
                    <Link to={`/submissions/${e.id}`} className="font-medium hover:underline">
                      {e.title}
                    </Link>
                    <span className="block text-xs text-stone-600">@{e.designerUsername}</span>
                  </span>
                  <Form method="post" className="flex flex-wrap items-start gap-2">
                    <input type="hidden" name="intent" value="disqualify" />
                    <input type="hidden" name="submissionId" value={e.id} />
                    <label className="sr-only" htmlFor={`dq-${e.id}`}>
                      Reason for disqualifying {e.title}
                    </label>
                    <input
                      id={`dq-${e.id}`}
                      name="reason"
                      required
                      minLength={5}
                      placeholder="Reason"
                      className="rounded-md border border-stone-300 px-2 py-1.5 text-sm"
                    />
                    <button
                      type="submit"
                      className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50"
                    >
                      Disqualify…
                    </button>
                    {actionData?.disqualify?.id === e.id ? <ErrorList errors={actionData.disqualify.errors} /> : null}
                  </Form>
                </li>
              ))}
            </ul>
            <MoreLink
              list={entryList}
              label="More designs"
              startHref={isLaterPage ? `/admin/rounds/${round.id}` : null}
            />
          </section>
        ) : null}
      </HeldWhileConfirming>
    </div>
  );
}
