import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { confirmLocalPayment, continuePayment } from "~/domain/orders.server";
import { requireUser } from "~/lib/auth.server";
import { idParam, parseParams } from "~/lib/edge.server";
import { formatMoney } from "~/lib/format";
import { redirectWithFailure } from "~/lib/outcome.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { redirectWithToast } from "~/lib/toast.server";
import { useIsPending } from "~/components/forms";
import { OrderTotals } from "~/components/order-totals";

export const meta: MetaFunction = () => [{ title: "Test payment · Crowdthread" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  const next = await continuePayment(id, user.id, publicOrigin(request));
  if (!next.ok) throw await redirectWithFailure(request, `/orders/${id}`, next, "Payment could not start");
  if ("redirectTo" in next.value) throw redirect(next.value.redirectTo);
  return { order: next.value.localPayment };
}

/**
 * The built-in `local` payments provider: a test page that confirms payment
 * through the same markOrderPaid step a Stripe webhook would use.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  const paid = await confirmLocalPayment(id, user.id);
  if (paid.ok) {
    return redirectWithToast(request, `/orders/${id}`, {
      kind: "success",
      title: "Payment received",
      description: "Thank you! The designers have been credited.",
    });
  }
  return redirectWithFailure(request, `/orders/${id}`, paid);
}

export default function LocalPaymentPage() {
  const { order } = useLoaderData<typeof loader>();
  const busy = useIsPending({ until: "loaded" });
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-xl border-2 border-dashed border-amber-400 bg-amber-50 p-6">
        <p className="text-sm font-bold uppercase tracking-wide text-amber-900">Test payment — no money moves</p>
        <h1 className="mt-2 text-2xl font-bold">Pay {formatMoney(order.totals.amountDueCents, order.currency)}</h1>
        <div className="mt-3 rounded-lg bg-white/70 p-3">
          <OrderTotals totals={order.totals} currency={order.currency} dueLabel="To pay" />
        </div>
        <p className="mt-2 text-sm text-amber-900">
          This shop runs the built-in local payments provider (no Stripe key is configured). Confirming marks the order
          paid exactly as a real payment would, and credits the designers' royalties.
        </p>
        <Form method="post" className="mt-4">
          <button
            type="submit"
            disabled={busy}
            className="w-full rounded-md bg-amber-600 px-4 py-3 font-semibold text-white hover:bg-amber-700 disabled:opacity-60"
          >
            Confirm test payment
          </button>
        </Form>
      </div>
      <Link to={`/orders/${order.id}`} className="mt-4 inline-block text-sm text-brand-700 underline">
        Back to the order
      </Link>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
