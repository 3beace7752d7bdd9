import { describeDestination, PAYOUT_STATUSES } from "~/domain/payout-forms";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ConfirmStep, HeldWhileConfirming } from "~/components/confirm-step";
import { MoreLink, usePagedList } from "~/components/pager";
import {
  markPayoutPaid,
  payoutCursor,
  payoutForDecision,
  payoutsForAdmin,
  rejectPayout,
} from "~/domain/payouts.server";
import { askToConfirm, isConfirmed } from "~/lib/confirm.server";
import { safeText } from "~/domain/safe-text";
import { requireAdmin } from "~/lib/auth.server";
import { formatDay, formatMoney } from "~/lib/format";
import { cursorParam, encodeCursor, type CursorKey } from "~/lib/pagination.server";
import { redirectWithToast } from "~/lib/toast.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";
import { redirectWithOutcome } from "~/lib/outcome.server";

export const meta: MetaFunction = () => [{ title: "Payouts · Admin · Crowdthread" }];

/** The tabs: those waiting for an admin come first (and are the default), then each other status, then all. */
const VIEWS = ["requested", ...PAYOUT_STATUSES.filter((s) => s !== "requested"), "all"] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABELS: Record<View, string> = {
  requested: "waiting",
  paid: "paid",
  failed: "failed",
  rejected: "declined",
  all: "all",
};

/** An unknown status shows the waiting requests, as the first tab does; `after` is the page's cursor. */
const listSearch = {
  status: z.enum(VIEWS).optional().catch(undefined),
  after: cursorParam(payoutCursor).optional(),
};

/** A tab's address (the page needs it too, so it stays free of server code). */
function tabAddress(view: View) {
  return view === "requested" ? "/admin/payouts" : `/admin/payouts?status=${view}`;
}

/** A tab's address, at a place in its list when there is one (actions only). */
function viewAddress(view: View, after?: CursorKey) {
  return after
    ? `${tabAddress(view)}${view === "requested" ? "?" : "&"}after=${encodeCursor(after)}`
    : tabAddress(view);
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const { status: view = "requested", after } = parseSearchParams(request, listSearch);
  return {
    view,
    payouts: await payoutsForAdmin({ status: view === "all" ? undefined : view, after }),
    isLaterPage: after !== undefined,
  };
}

const decision = {
  payoutId: z.uuid(),
  /** The request's place in its list, so the admin comes back to its page. */
  place: listSearch.after,
  note: safeText().trim().min(3, "Add a note: how it was paid, or why it was declined").max(300),
};
const decisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("paid"), ...decision }),
  z.object({ intent: z.literal("reject"), ...decision, confirmed: z.string().max(100).optional() }),
]);
type Decision = z.infer<typeof decisionSchema>;
type Admin = Awaited<ReturnType<typeof requireAdmin>>;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const { status: view = "requested" } = parseSearchParams(request, { status: listSearch.status });
  const form = await readForm(request);
  const parsed = decisionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const place = listSearch.after.safeParse(form.get("place") ?? undefined);
    return redirectWithToast(request, viewAddress(view, place.success ? place.data : undefined), {
      kind: "error",
      title: parsed.error.issues[0]?.message ?? "Check the form",
    });
  }
  // Back to the tab the admin was on, at the page the request was on.
  const back = viewAddress(view, parsed.data.place);
  switch (parsed.data.intent) {
    case "paid":
      return markPaid(request, back, admin, parsed.data);
    case "reject":
      return decline(request, back, admin, parsed.data);
  }
}

/** Local provider: the admin sent the money by other means and records it. */
async function markPaid(request: Request, back: string, admin: Admin, form: Decision) {
  const done = await markPayoutPaid(form.payoutId, admin.id, form.note);
  return redirectWithOutcome(request, back, done, { kind: "success", title: "Payout marked paid" });
}

/** Two steps: the first post (with its note) only asks, naming the amount; the one carrying `confirmed` declines. */
async function decline(request: Request, back: string, admin: Admin, form: Extract<Decision, { intent: "reject" }>) {
  const payout = await payoutForDecision(form.payoutId);
  if (!payout || payout.status !== "requested")
    return redirectWithToast(request, back, { kind: "error", title: "That payout is not waiting" });
  const amount = formatMoney(payout.amountCents, payout.currency);
  const token = `${payout.amountCents}:${payout.currency}`;
  if (!isConfirmed(form.confirmed, token))
    return askToConfirm({
      intent: "reject",
      question: `Decline the payout of ${amount} to @${payout.username}? The money goes back to their balance, and they are told why: “${form.note}”.`,
      confirmLabel: `Yes, decline ${amount}`,
      token,
      fields: { payoutId: payout.id, note: form.note, ...(form.place ? { place: encodeCursor(form.place) } : {}) },
    });
  const done = await rejectPayout(form.payoutId, admin.id, form.note);
  return redirectWithOutcome(request, back, done, {
    kind: "info",
    title: "Payout declined; the balance was returned",
  });
}

export default function AdminPayoutsPage() {
  const { view, payouts, isLaterPage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const list = usePagedList(payouts, useFetcher<typeof loader>(), (data) => data.payouts);
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Payout requests</h1>
      {actionData?.confirm ? (
        <div className="mt-4">
          <ConfirmStep confirmation={actionData.confirm} cancelHref="/admin/payouts" />
        </div>
      ) : null}
      <nav aria-label="Payout status" className="mt-4 flex flex-wrap gap-2 text-sm">
        {VIEWS.map((v) => (
          <Link
            key={v}
            to={tabAddress(v)}
            aria-current={view === v ? "page" : undefined}
            className="rounded-full border border-stone-300 px-3 py-1 aria-[current=page]:bg-brand-600 aria-[current=page]:text-white"
          >
            {VIEW_LABELS[v]}
          </Link>
        ))}
      </nav>
      <p className="mt-2 text-sm text-stone-600">
        {view === "requested" ? "Waiting the longest first." : "Newest first."}
      </p>
      {list.items.length === 0 ? <p className="mt-4 text-stone-700">No payout requests.</p> : null}
      <HeldWhileConfirming held={Boolean(actionData?.confirm)}>
        <ul className="mt-6 space-y-3">
          {list.items.map((p) => (
            <li
              key={p.id}
              className="rounded-xl border border-stone-200 bg-white p-4"
              aria-label={`Payout to @${p.username}`}
            >
              <p className="font-semibold">
                {formatMoney(p.amountCents, p.currency)} to @{p.username} ({p.email}) · {formatDay(p.createdAt)} ·{" "}
                {p.provider} · {p.status}
                {p.transferId ? ` · ${p.transferId}` : ""}
              </p>
              {p.destination ? (
                <p className="text-sm">
                  Send to: <span className="font-medium">{describeDestination(p.destination)}</span>
                </p>
              ) : null}
              {p.note ? <p className="text-sm text-stone-600">{p.note}</p> : null}
              {p.status === "requested" && p.provider === "local" ? (
                <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                  <input type="hidden" name="payoutId" value={p.id} />
                  {p.place ? <input type="hidden" name="place" value={p.place} /> : null}
                  <label className="text-sm font-medium">
                    Note
                    <input
                      name="note"
                      required
                      minLength={3}
                      placeholder="e.g. bank transfer ref 4471"
                      className="mt-1 block w-72 rounded-md border border-stone-300 px-2 py-1.5"
                    />
                  </label>
                  <button
                    type="submit"
                    name="intent"
                    value="paid"
                    className="rounded-md bg-emerald-700 px-3 py-2 text-sm font-semibold text-white hover:bg-emerald-800"
                  >
                    Mark paid
                  </button>
                  <button
                    type="submit"
                    name="intent"
                    value="reject"
                    className="rounded-md border border-red-300 px-3 py-2 text-sm font-semibold text-red-800 hover:bg-red-50"
                  >
                    Decline…
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </HeldWhileConfirming>
      <MoreLink list={list} label="More payout requests" startHref={isLaterPage ? tabAddress(view) : null} />
    </div>
  );
}
