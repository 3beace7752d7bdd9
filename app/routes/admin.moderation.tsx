import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ArtworkPicture, StatusBadge } from "~/components/artwork";
import { ConfirmStep, HeldWhileConfirming } from "~/components/confirm-step";
import { ErrorList, useIsPending } from "~/components/forms";
import { MoreLink, usePagedList } from "~/components/pager";
import {
  approveSubmission,
  decisionCursor,
  moderationQueue,
  pendingCount,
  pendingForDecision,
  queueCursor,
  recentDecisions,
  rejectSubmission,
} from "~/domain/moderation.server";
import { REASON_LABELS } from "~/domain/report-reasons";
import { closeReport, openReportCount, openReports, reportCursor, reportTarget } from "~/domain/reports.server";
import { rejectSchema } from "~/domain/submission-forms";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { parseSearchParams, readForm } from "~/lib/edge.server";
import { cursorParam, encodeCursor, type CursorKey } from "~/lib/pagination.server";
import { askToConfirm, isConfirmed } from "~/lib/confirm.server";
import { redirectWithFailure, redirectWithOutcome } from "~/lib/outcome.server";

export const meta: MetaFunction = () => [{ title: "Moderation · Admin · Crowdthread" }];

/** Three lists, each a page at a time with its own cursor: the queue, open reports, past decisions. */
const listSearch = {
  after: cursorParam(queueCursor).optional(),
  reportsAfter: cursorParam(reportCursor).optional(),
  decisionsAfter: cursorParam(decisionCursor).optional(),
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const search = parseSearchParams(request, listSearch);
  const [queue, waiting, open, openCount, decisions] = await Promise.all([
    moderationQueue({ after: search.after }),
    pendingCount(),
    openReports({ after: search.reportsAfter }),
    openReportCount(),
    recentDecisions({ after: search.decisionsAfter }),
  ]);
  const reportsWithLinks = await Promise.all(
    open.items.map(async (r) => ({ ...r, href: await reportTarget(r.subjectType, r.subjectId) })),
  );
  return {
    queue,
    waiting,
    decisions,
    reports: { items: reportsWithLinks, next: open.next },
    openCount,
    // Which lists the reader followed a plain "More" link into, to offer each one's start.
    laterPages: {
      queue: search.after !== undefined,
      reports: search.reportsAfter !== undefined,
      decisions: search.decisionsAfter !== undefined,
    },
  };
}

/** Back to the page the decided row was on (its place in its list), or to the start. */
function backTo(param: "after" | "reportsAfter", place: CursorKey | undefined) {
  return place ? `/admin/moderation?${new URLSearchParams({ [param]: encodeCursor(place) })}` : "/admin/moderation";
}

/** The queue's forms, one per intent. */
const moderationActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), submissionId: z.uuid(), place: listSearch.after }),
  rejectSchema.extend({
    intent: z.literal("reject"),
    place: listSearch.after,
    /** The second step's answer (app/components/confirm-step.tsx); without it the page only asks. */
    confirmed: z.string().max(100).optional(),
  }),
  z.object({
    intent: z.enum(["resolve-report", "dismiss-report"]),
    reportId: z.uuid(),
    place: listSearch.reportsAfter,
  }),
]);
type ModerationAction = z.output<typeof moderationActionSchema>;
type Intent<I extends ModerationAction["intent"]> = Extract<ModerationAction, { intent: I }>;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const formData = await readForm(request);
  const parsed = moderationActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    // A reason that does not pass is shown under its field; anything else is not a form of this page.
    if (formData.get("intent") !== "reject") throw new Response("This form cannot be read.", { status: 400 });
    const reasonErrors = parsed.error.issues.filter((i) => i.path[0] === "reason").map((i) => i.message);
    return data(
      {
        submissionId: String(formData.get("submissionId") ?? ""),
        errors: reasonErrors.length ? reasonErrors : ["Check the form"],
      },
      { status: 400 },
    );
  }
  const value = parsed.data;
  switch (value.intent) {
    case "approve":
      return approve(request, admin.id, value);
    case "reject":
      return reject(request, admin.id, value);
    case "resolve-report":
    case "dismiss-report":
      return closeOneReport(request, admin.id, value);
  }
}

async function approve(request: Request, adminId: string, value: Intent<"approve">) {
  const result = await approveSubmission(value.submissionId, adminId);
  return redirectWithOutcome(request, backTo("after", value.place), result, { kind: "success", title: "Approved" });
}

/**
 * Two steps: the first post (with its reason) only asks, naming the design,
 * its designer and the reason they will read; the one carrying `confirmed`
 * rejects. A rejection cannot be taken back (the designer would upload again).
 */
async function reject(request: Request, adminId: string, value: Intent<"reject">) {
  const token = `reject:${value.submissionId}`;
  if (!isConfirmed(value.confirmed, token)) {
    const waiting = await pendingForDecision(value.submissionId);
    if (!waiting.ok) return redirectWithFailure(request, backTo("after", value.place), waiting, "Not rejected");
    const { title, designer, roundTitle } = waiting.value;
    return askToConfirm({
      intent: "reject",
      question: `Reject “${title}” by @${designer} from ${roundTitle}? It leaves the queue for good, and the designer is told why: “${value.reason}”.`,
      confirmLabel: `Yes, reject “${title}”`,
      token,
      fields: {
        submissionId: value.submissionId,
        reason: value.reason,
        ...(value.place ? { place: encodeCursor(value.place) } : {}),
      },
    });
  }
  const result = await rejectSubmission(value.submissionId, adminId, value.reason);
  return redirectWithOutcome(request, backTo("after", value.place), result, {
    kind: "info",
    title: "Rejected; the designer will see your reason",
  });
}

async function closeOneReport(request: Request, adminId: string, value: Intent<"resolve-report" | "dismiss-report">) {
  const closed = await closeReport(
    value.reportId,
    adminId,
    value.intent === "resolve-report" ? "resolved" : "dismissed",
  );
  return redirectWithOutcome(request, backTo("reportsAfter", value.place), closed, {
    kind: "success",
    title: "Report closed",
  });
}

export default function ModerationPage() {
  const { queue, waiting, decisions, reports, openCount, laterPages } = useLoaderData<typeof loader>();
  const queueList = usePagedList(queue, useFetcher<typeof loader>(), (data) => data.queue);
  const reportList = usePagedList(reports, useFetcher<typeof loader>(), (data) => data.reports, "reportsAfter");
  const decisionList = usePagedList(decisions, useFetcher<typeof loader>(), (data) => data.decisions, "decisionsAfter");
  const startHref = (later: boolean) => (later ? "/admin/moderation" : null);
  const actionData = useActionData<typeof action>();
  const confirming = actionData && "confirm" in actionData ? actionData.confirm : null;
  const refusedReject = actionData && "errors" in actionData ? actionData : null;
  const busy = useIsPending({ until: "loaded" });
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Moderation queue</h1>
      <p className="mt-2 text-stone-700">
        {waiting === 0 ? "Nothing is waiting. Well done." : `${waiting} waiting, oldest first.`}
      </p>
      {confirming ? (
        <div className="mt-4">
          <ConfirmStep confirmation={confirming} cancelHref="/admin/moderation" />
        </div>
      ) : null}
      <HeldWhileConfirming held={Boolean(confirming)}>
        <ol className="mt-6 space-y-6">
          {queueList.items.map((s) => (
            <li
              key={s.id}
              className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm"
              aria-labelledby={`title-${s.id}`}
            >
              <div className="grid gap-4 md:grid-cols-[14rem_1fr]">
                <Link
                  to={`/submissions/${s.id}`}
                  className="flex aspect-square items-center justify-center overflow-hidden rounded-lg bg-stone-100"
                >
                  <ArtworkPicture
                    images={s.images}
                    size="thumb"
                    alt={s.title}
                    className="max-h-full max-w-full object-contain"
                  />
                </Link>
                <div className="min-w-0">
                  <h2 id={`title-${s.id}`} className="text-lg font-semibold">
                    {s.title}
                  </h2>
                  <p className="text-sm text-stone-600">
                    by @{s.designerUsername} · {s.roundTitle} · {s.artworkWidth} × {s.artworkHeight} px ·{" "}
                    {formatDateTime(s.createdAt)} UTC
                  </p>
                  {s.description ? <p className="mt-2 line-clamp-3 text-sm">{s.description}</p> : null}
                  {s.nearDuplicates.length ? (
                    <div className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3">
                      <p className="text-sm font-semibold text-amber-900">
                        Looks like {s.nearDuplicates.length === 1 ? "an earlier upload" : "earlier uploads"}: compare
                        before deciding
                      </p>
                      <ul className="mt-2 flex flex-wrap gap-3">
                        {s.nearDuplicates.map((d) => (
                          <li key={d.earlierId} className="w-40 text-xs">
                            <Link to={`/submissions/${d.earlierId}`} className="block">
                              <div className="flex aspect-square items-center justify-center overflow-hidden rounded bg-white">
                                <ArtworkPicture
                                  images={d.earlierImages}
                                  size="thumb"
                                  alt={d.earlierTitle}
                                  className="max-h-full max-w-full object-contain"
                                />
                              </div>
                              <span className="mt-1 block truncate font-medium">{d.earlierTitle}</span>
                            </Link>
                            <span className="block text-stone-700">
                              by @{d.earlierDesigner} · {d.distance === 0 ? "identical" : `${d.distance}/64 bits apart`}
                            </span>
                            <StatusBadge status={d.earlierStatus} />
                          </li>
                        ))}
                      </ul>
                    </div>
                  ) : null}
                  <div className="mt-4 flex flex-wrap items-start gap-4">
                    <Form method="post">
                      <input type="hidden" name="submissionId" value={s.id} />
                      {s.place ? <input type="hidden" name="place" value={s.place} /> : null}
                      <button
                        type="submit"
                        name="intent"
                        value="approve"
                        disabled={busy}
                        className="rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800 disabled:opacity-60"
                      >
                        Approve
                      </button>
                    </Form>
                    <Form method="post" className="flex min-w-64 flex-1 flex-col gap-1">
                      <input type="hidden" name="submissionId" value={s.id} />
                      {s.place ? <input type="hidden" name="place" value={s.place} /> : null}
                      <label htmlFor={`reason-${s.id}`} className="text-sm font-medium">
                        Reason for rejecting (the designer sees it)
                      </label>
                      <div className="flex gap-2">
                        <input
                          id={`reason-${s.id}`}
                          name="reason"
                          required
                          minLength={5}
                          maxLength={500}
                          aria-invalid={refusedReject?.submissionId === s.id ? true : undefined}
                          aria-describedby={refusedReject?.submissionId === s.id ? `reason-${s.id}-error` : undefined}
                          className="min-w-0 flex-1 rounded-md border border-stone-300 px-3 py-2"
                        />
                        <button
                          type="submit"
                          name="intent"
                          value="reject"
                          disabled={busy}
                          className="rounded-md border border-red-300 px-4 py-2 font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60"
                        >
                          Reject
                        </button>
                      </div>
                      {refusedReject?.submissionId === s.id ? (
                        <ErrorList id={`reason-${s.id}-error`} errors={refusedReject.errors} />
                      ) : null}
                    </Form>
                  </div>
                </div>
              </div>
            </li>
          ))}
        </ol>
      </HeldWhileConfirming>
      <MoreLink list={queueList} label="More waiting designs" startHref={startHref(laterPages.queue)} />
      <h2 className="mt-12 text-xl font-semibold">Reports from members ({openCount})</h2>
      {reportList.items.length === 0 ? (
        <p className="mt-2 text-stone-700">No open reports.</p>
      ) : (
        <ul className="mt-3 space-y-2">
          {reportList.items.map((r) => (
            <li
              key={r.id}
              className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm"
            >
              <span>
                <span className="font-semibold">{REASON_LABELS[r.reason]}</span> · {r.subjectType} ·{" "}
                <Link to={r.href} className="underline">
                  look at it
                </Link>{" "}
                · by @{r.reporter ?? "deleted account"}, {formatDateTime(r.createdAt)} UTC
                {r.note ? <span className="block text-stone-700">“{r.note}”</span> : null}
              </span>
              <Form method="post" className="flex gap-2">
                <input type="hidden" name="reportId" value={r.id} />
                {r.place ? <input type="hidden" name="place" value={r.place} /> : null}
                <button
                  type="submit"
                  name="intent"
                  value="resolve-report"
                  className="rounded-md border border-stone-300 bg-white px-3 py-1 font-semibold"
                >
                  Resolved
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="dismiss-report"
                  className="rounded-md border border-stone-300 bg-white px-3 py-1"
                >
                  Dismiss
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={reportList} label="More reports" startHref={startHref(laterPages.reports)} />

      <h2 className="mt-12 text-xl font-semibold">Recent decisions</h2>
      {decisionList.items.length === 0 ? (
        <p className="mt-2 text-stone-700">None yet.</p>
      ) : (
        <ul className="mt-3 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white text-sm">
          {decisionList.items.map((d) => (
            <li key={d.id} className="px-4 py-2">
              <span className="font-medium">{d.action === "submission.approved" ? "Approved" : "Rejected"}</span>{" "}
              <Link to={`/submissions/${d.subjectId}`} className="underline">
                {String(d.detail.title ?? "a submission")}
              </Link>{" "}
              by @{d.actor ?? "deleted account"}, {formatDateTime(d.createdAt)} UTC
              {d.detail.reason ? <span className="text-stone-600"> — “{String(d.detail.reason)}”</span> : null}
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={decisionList} label="Older decisions" startHref={startHref(laterPages.decisions)} />
    </div>
  );
}
