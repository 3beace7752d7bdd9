import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OrderStatus } from "~/components/order-status";
import { TrackingNumber } from "~/components/tracking";
import { z } from "zod";
import { shippingPlace } from "~/domain/addresses.server";
import { cancelOrderOfBuyer, findOrderForBuyer } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { totalsOfOrder } from "~/domain/totals";
import { requireUser } from "~/lib/auth.server";
import { idParam, parseParams, parseSearchParams, readForm } from "~/lib/edge.server";
import { formatDateTime, formatMoney } from "~/lib/format";
import { redirectWithFailure } from "~/lib/outcome.server";
import { ShipToAddress } from "~/components/ship-to";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Order · Crowdthread" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  // Stripe sends the buyer back with ?checkout=success or =cancelled; anything else means nothing.
  const { checkout } = parseSearchParams(request, {
    checkout: z.enum(["success", "cancelled"]).optional().catch(undefined),
  });
  const user = await requireUser(request);
  const order = await findOrderForBuyer(id, user.id);
  if (!order) throw new Response("There is no order of yours at this address.", { status: 404 });
  return {
    order,
    totals: totalsOfOrder(order),
    place: shippingPlace(order),
    confirming: checkout === "success" && order.status === "pending_payment",
  };
}

/** The page's one form: the buyer cancels an unpaid order. */
const cancelSchema = z.object({ intent: z.literal("cancel") });

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  if (!cancelSchema.safeParse(Object.fromEntries(await readForm(request))).success)
    throw new Response("Unknown action", { status: 400 });
  const cancelled = await cancelOrderOfBuyer(id, user.id);
  if (!cancelled.ok) return redirectWithFailure(request, `/orders/${id}`, cancelled);
  return redirectWithToast(request, `/orders/${id}`, {
    kind: "info",
    title: "Order cancelled",
    description: cancelled.value.creditReturned ? "Your store credit is back in your balance." : undefined,
  });
}

export default function OrderPage() {
  const { order, totals, place, confirming } = useLoaderData<typeof loader>();
  return (
    <article className="mx-auto max-w-3xl">
      <p className="text-sm">
        <Link to="/orders" className="text-brand-700 underline">
          Your orders
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">Order {order.id.slice(0, 8)}</h1>
        <OrderStatus status={order.status} fulfilment={order.fulfilment} />
      </div>
      <p className="mt-1 text-sm text-stone-600">
        Placed {formatDateTime(order.createdAt)} UTC{order.paidAt ? ` · paid ${formatDateTime(order.paidAt)} UTC` : ""}
        {order.trackingNumber ? (
          <>
            {" "}
            · tracking <TrackingNumber number={order.trackingNumber} url={order.trackingUrl} carrier={order.carrier} />
          </>
        ) : null}
      </p>
      {confirming ? (
        <p role="status" className="mt-4 rounded-lg border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900">
          Thank you! Stripe is confirming your payment; this page shows it as paid as soon as the confirmation arrives.
        </p>
      ) : null}
      {order.status === "pending_payment" && !confirming ? (
        <div className="mt-4 flex flex-wrap gap-3">
          <Link
            to={`/orders/${order.id}/pay`}
            className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            Complete payment
          </Link>
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <button
              type="submit"
              className="rounded-md border border-stone-300 px-4 py-2 font-semibold hover:bg-stone-100"
            >
              Cancel order
            </button>
          </Form>
        </div>
      ) : null}
      <table className="mt-6 w-full rounded-xl border border-stone-200 bg-white text-left text-sm">
        <thead className="bg-stone-50">
          <tr>
            <th scope="col" className="px-4 py-2">
              Item
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Price
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Qty
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Total
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {order.items.map((i) => (
            <tr key={i.id}>
              <td className="px-4 py-2">
                {i.title} {PRODUCT_TYPE_LABELS[i.productType]} ({i.size})
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{formatMoney(i.unitPriceCents, order.currency)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{i.quantity}</td>
              <td className="px-4 py-2 text-right tabular-nums">
                {formatMoney(i.unitPriceCents * i.quantity, order.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-stone-200">
          {[
            ["Subtotal", formatMoney(totals.subtotalCents, order.currency)],
            ["Shipping", totals.shippingCents === 0 ? "Free" : formatMoney(totals.shippingCents, order.currency)],
            ["Tax", totals.taxPending ? "Added at payment" : formatMoney(totals.taxCents, order.currency)],
            ...(totals.creditCents > 0
              ? [["Store credit", `−${formatMoney(totals.creditCents, order.currency)}`]]
              : []),
          ].map(([label, value]) => (
            <tr key={label}>
              <td className="px-4 py-1" colSpan={3}>
                {label}
              </td>
              <td className="px-4 py-1 text-right tabular-nums">{value}</td>
            </tr>
          ))}
          <tr className="font-semibold">
            <td className="px-4 py-2" colSpan={3}>
              {order.status === "pending_payment" ? "To pay" : totals.creditCents > 0 ? "Paid by card" : "Total"}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{formatMoney(totals.amountDueCents, order.currency)}</td>
          </tr>
          {order.refundedCardCents + order.refundedCreditCents > 0 ? (
            <tr>
              <td className="px-4 py-1" colSpan={3}>
                {order.status === "refunded" ? "Refunded" : "Refunded so far"}
                {order.refundedCreditCents > 0
                  ? ` (${formatMoney(order.refundedCardCents, order.currency)} to your card, ${formatMoney(order.refundedCreditCents, order.currency)} as store credit)`
                  : ""}
              </td>
              <td className="px-4 py-1 text-right tabular-nums">
                −{formatMoney(order.refundedCardCents + order.refundedCreditCents, order.currency)}
              </td>
            </tr>
          ) : null}
        </tfoot>
      </table>
      <h2 className="mt-6 font-semibold">Ships to</h2>
      <ShipToAddress place={place} className="mt-1 text-sm not-italic text-stone-700" />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
