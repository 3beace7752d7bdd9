import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatMoney } from "~/lib/format";
import { findOrderForBuyer, markOrderPaid } from "~/domain/orders.server";
import { requireUser } from "~/lib/auth.server";
import { getEnv } from "~/lib/env.server";
import { paymentsProvider } from "~/lib/payments.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Test payment · Crowdthread" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const order = await findOrderForBuyer(params.id ?? "", user.id);
  if (!order) throw new Response("There is no order of yours at this address.", { status: 404 });
  if (order.status !== "pending_payment") throw redirect(`/orders/${order.id}`);
  if (order.provider === "stripe") {
    // Back to the same Checkout Session (the idempotency key returns it again).
    const checkout = await paymentsProvider().startCheckout(order, getEnv().APP_ORIGIN ?? new URL(request.url).origin);
    throw redirect(checkout.redirectUrl);
  }
  return {
    order: {
      id: order.id,
      amountDueCents: order.amountDueCents,
      creditCents: order.creditCents,
      currency: order.currency,
      provider: order.provider,
    },
  };
}

/**
 * The built-in `local` payments provider: a test page that confirms payment
 * through the same markOrderPaid step a Stripe webhook would use.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const order = await findOrderForBuyer(params.id ?? "", user.id);
  if (!order) throw new Response("There is no order of yours at this address.", { status: 404 });
  if (order.provider !== "local") throw new Response("This order is paid through Stripe.", { status: 400 });
  const outcome = await markOrderPaid(order.id, { reference: `local:${crypto.randomUUID()}` });
  if (outcome === "paid" || outcome === "already-paid") {
    return redirectWithToast(request, `/orders/${order.id}`, {
      kind: "success",
      title: "Payment received",
      description: "Thank you! The designers have been credited.",
    });
  }
  return redirectWithToast(request, `/orders/${order.id}`, {
    kind: "error",
    title: "This order can no longer be paid",
  });
}

export default function LocalPaymentPage() {
  const { order } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-xl border-2 border-dashed border-amber-400 bg-amber-50 p-6">
        <p className="text-sm font-bold uppercase tracking-wide text-amber-900">Test payment — no money moves</p>
        <h1 className="mt-2 text-2xl font-bold">Pay {formatMoney(order.amountDueCents, order.currency)}</h1>
        {order.creditCents > 0 ? (
          <p className="text-sm text-amber-900">
            {formatMoney(order.creditCents, order.currency)} of store credit is already applied.
          </p>
        ) : null}
        <p className="mt-2 text-sm text-amber-900">
          This shop runs the built-in local payments provider (no Stripe key is configured). Confirming marks the order
          paid exactly as a real payment would, and credits the designers' royalties.
        </p>
        <Form method="post" className="mt-4">
          <button
            type="submit"
            disabled={navigation.state !== "idle"}
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
