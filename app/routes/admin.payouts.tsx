import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ConfirmStep } from "~/components/confirm-step";
import { allPayouts, markPayoutPaid, payoutForDecision, rejectPayout } from "~/domain/payouts.server";
import { safeText } from "~/domain/safe-text";
import { requireAdmin } from "~/lib/auth.server";
import { formatDay, formatMoney } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/edge.server";
import { redirectWithOutcome } from "~/lib/outcome.server";
import { askToConfirm, isConfirmed } from "~/lib/confirm.server";

export const meta: MetaFunction = () => [{ title: "Payouts · Admin · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { payouts: await allPayouts() };
}

const decision = {
  payoutId: z.uuid(),
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
  const parsed = decisionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success)
    return redirectWithToast(request, "/admin/payouts", {
      kind: "error",
      title: parsed.error.issues[0]?.message ?? "Check the form",
    });
  switch (parsed.data.intent) {
    case "paid":
      return markPaid(request, admin, parsed.data);
    case "reject":
      return decline(request, admin, parsed.data);
  }
}

/** Local provider: the admin sent the money by other means and records it. */
async function markPaid(request: Request, admin: Admin, form: Decision) {
  const done = await markPayoutPaid(form.payoutId, admin.id, form.note);
  return redirectWithOutcome(request, "/admin/payouts", done, { kind: "success", title: "Payout marked paid" });
}

/** Two steps: the first post (with its note) only asks, naming the amount; the one carrying `confirmed` declines. */
async function decline(request: Request, admin: Admin, form: Extract<Decision, { intent: "reject" }>) {
  const payout = await payoutForDecision(form.payoutId);
  if (!payout || payout.status !== "requested")
    return redirectWithToast(request, "/admin/payouts", { kind: "error", title: "That payout is not waiting" });
  const amount = formatMoney(payout.amountCents, payout.currency);
  const token = `${payout.amountCents}:${payout.currency}`;
  if (!isConfirmed(form.confirmed, token))
    return askToConfirm({
      intent: "reject",
      question: `Decline the payout of ${amount} to @${payout.username}? The money goes back to their balance, and they are told why: “${form.note}”.`,
      confirmLabel: `Yes, decline ${amount}`,
      token,
      fields: { payoutId: payout.id, note: form.note },
    });
  const done = await rejectPayout(form.payoutId, admin.id, form.note);
  return redirectWithOutcome(request, "/admin/payouts", done, {
    kind: "info",
    title: "Payout declined; the balance was returned",
  });
}

export default function AdminPayoutsPage() {
  const { payouts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Payout requests</h1>
      {actionData?.confirm ? (
        <div className="mt-4">
          <ConfirmStep confirmation={actionData.confirm} cancelHref="/admin/payouts" />
        </div>
      ) : null}
      {payouts.length === 0 ? <p className="mt-4 text-stone-700">No payout requests.</p> : null}
      <ul className="mt-6 space-y-3">
        {payouts.map((p) => (
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
            {p.note ? <p className="text-sm text-stone-600">{p.note}</p> : null}
            {p.status === "requested" && p.provider === "local" ? (
              <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                <input type="hidden" name="payoutId" value={p.id} />
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
    </div>
  );
}
