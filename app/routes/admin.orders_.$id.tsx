import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ConfirmStep, HeldWhileConfirming } from "~/components/confirm-step";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OrderStatus } from "~/components/order-status";
import { TrackingNumber } from "~/components/tracking";
import { FULFILMENT_STATUSES } from "#db/schema";
import { shippingPlace } from "~/domain/addresses.server";
import { sendOrderNow } from "~/domain/fulfilment.server";
import { orderForAdmin, refundConfirmation, refundPreview, refundQuestion } from "~/domain/order-admin.server";
import { refundOrder, setFulfilment } from "~/domain/orders.server";
import { parseMoneyToCents } from "~/domain/money";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { safeText } from "~/domain/safe-text";
import { CARRIER_NAMES } from "~/domain/tracking";
import { requireAdmin } from "~/lib/auth.server";
import { askToConfirm, isConfirmed } from "~/lib/confirm.server";
import { idParam, parseParams, readForm } from "~/lib/edge.server";
import { formatDateTime, formatMoney } from "~/lib/format";
import { fulfilmentProvider } from "~/lib/fulfilment.server";
import { redirectWithFailure, redirectWithOutcome } from "~/lib/outcome.server";
import { ShipToAddress } from "~/components/ship-to";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Order ${data.order.id.slice(0, 8)} · Admin · Crowdthread` : "Order · Admin · Crowdthread" },
];

/** An admin's view of one order: everything needed to pack, ship or refund it. The buyer's own page stays /orders/<id>. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  await requireAdmin(request);
  const order = await orderForAdmin(id);
  if (!order) throw new Response("There is no such order.", { status: 404 });
  return { order, place: shippingPlace(order), fulfilmentProvider: fulfilmentProvider().name };
}

const orderActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("fulfilment"),
    fulfilment: z.enum(FULFILMENT_STATUSES),
    carrier: safeText().trim().max(60).optional(),
    trackingNumber: safeText().trim().max(80).optional(),
  }),
  z.object({
    intent: z.literal("refund"),
    /** Dollars and cents, e.g. "12.50"; empty for all that is left. */
    amount: z
      .string()
      .trim()
      .max(20)
      .optional()
      .transform((value, ctx) => {
        if (!value) return undefined;
        const cents = parseMoneyToCents(value);
        if (cents === null) {
          ctx.addIssue({ code: "custom", message: "Enter an amount like 12.50" });
          return z.NEVER;
        }
        return cents;
      }),
    confirmed: z.string().max(100).optional(),
  }),
  z.object({ intent: z.literal("send-to-printful") }),
]);
type OrderAction = z.infer<typeof orderActionSchema>;
type Admin = Awaited<ReturnType<typeof requireAdmin>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const admin = await requireAdmin(request);
  const parsed = orderActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("This form cannot be read.", { status: 400 });
  const form = parsed.data;
  switch (form.intent) {
    case "fulfilment":
      return updateFulfilment(request, id, admin, form);
    case "refund":
      return refund(request, id, admin, form);
    case "send-to-printful":
      return sendToPrintful(request, id, admin);
  }
}

async function updateFulfilment(
  request: Request,
  orderId: string,
  admin: Admin,
  form: Extract<OrderAction, { intent: "fulfilment" }>,
) {
  const done = await setFulfilment(
    orderId,
    form.fulfilment,
    form.trackingNumber || null,
    admin.id,
    form.carrier || null,
  );
  return redirectWithOutcome(request, `/admin/orders/${orderId}`, done, { kind: "success", title: "Order updated" });
}

/**
 * Two steps: a post without the confirmation (or with one for other amounts)
 * only asks, naming the amounts; the post that carries it refunds, through
 * the one refund step Stripe's own refund events take too.
 */
async function refund(
  request: Request,
  orderId: string,
  admin: Admin,
  form: Extract<OrderAction, { intent: "refund" }>,
) {
  const back = `/admin/orders/${orderId}`;
  const preview = await refundPreview(orderId, form.amount);
  if (!preview.ok) return redirectWithFailure(request, back, preview, "Not refunded");
  if (preview.value === "already-refunded")
    return redirectWithToast(request, back, { kind: "info", title: "This order was already refunded" });
  const token = refundConfirmation(preview.value);
  if (!isConfirmed(form.confirmed, token)) {
    const total = preview.value.paymentCents + preview.value.creditCents;
    return askToConfirm({
      intent: "refund",
      question: refundQuestion(preview.value),
      confirmLabel: `Yes, refund ${formatMoney(total, preview.value.currency)}`,
      token,
      fields: form.amount === undefined ? {} : { amount: (form.amount / 100).toFixed(2) },
    });
  }
  const refunded = await refundOrder(orderId, { actorId: admin.id, amountCents: form.amount });
  if (!refunded.ok) return redirectWithFailure(request, back, refunded, "Not refunded");
  return redirectWithToast(
    request,
    back,
    refunded.value === "refunded"
      ? { kind: "info", title: "Order refunded; royalties reversed" }
      : refunded.value === "partly-refunded"
        ? { kind: "info", title: "Part of the order refunded; that share of the royalties reversed" }
        : { kind: "info", title: "This order was already refunded" },
  );
}

async function sendToPrintful(request: Request, orderId: string, admin: Admin) {
  const sent = await sendOrderNow(orderId, admin.id);
  const back = `/admin/orders/${orderId}`;
  if (!sent.ok) return redirectWithFailure(request, back, sent, "Not sent to Printful");
  return redirectWithToast(request, back, {
    kind: "success",
    title: sent.value === "sent" ? "Sent to Printful and confirmed for production" : "Printful has this order already",
  });
}

const FULFILMENT_LABELS = {
  unfulfilled: "Not started",
  in_production: "In production",
  shipped: "Shipped",
  delivered: "Delivered",
} as const;

const JOB_LABELS = {
  queued: "Waiting to be sent",
  sent: "Sent and confirmed",
  failed: "Not sent: needs you",
  cancelled: "Not sent (order no longer paid)",
} as const;

export default function AdminOrderPage() {
  const { order, place, fulfilmentProvider } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const money = (cents: number) => formatMoney(cents, order.currency);
  const refundLeft = order.amountDueCents + order.creditCents - order.refundedCardCents - order.refundedCreditCents;
  const itemCount = order.items.reduce((n, i) => n + i.quantity, 0);
  return (
    <article>
      <p className="text-sm">
        <Link to="/admin/orders" className="text-brand-700 underline">
          All orders
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">Order {order.id.slice(0, 8)}</h1>
        <OrderStatus status={order.status} fulfilment={order.fulfilment} />
      </div>
      <p className="mt-1 text-sm text-stone-600">
        Placed {formatDateTime(order.createdAt)} UTC
        {order.paidAt ? ` · paid ${formatDateTime(order.paidAt)} UTC` : ""}
        {order.refundedAt ? ` · refunded ${formatDateTime(order.refundedAt)} UTC` : ""} · by @{order.buyer.username} (
        {order.buyer.email}) · {order.provider} payment
      </p>
      <p className="mt-3 flex flex-wrap gap-3 text-sm">
        <Link
          to={`/admin/orders/${order.id}/packing-slip`}
          className="rounded-md border border-stone-300 px-3 py-1.5 font-semibold hover:bg-stone-100"
        >
          Packing slip
        </Link>
      </p>

      <div className="mt-6">
        {actionData?.confirm ? (
          <ConfirmStep confirmation={actionData.confirm} cancelHref={`/admin/orders/${order.id}`} />
        ) : null}
      </div>

      <HeldWhileConfirming held={Boolean(actionData?.confirm)} className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="ship-to" className="rounded-xl border border-stone-200 bg-white p-4">
          <h2 id="ship-to" className="font-semibold">
            Ship to
          </h2>
          <ShipToAddress place={place} className="mt-1 not-italic text-stone-800" />
        </section>

        <section aria-labelledby="fulfilment" className="rounded-xl border border-stone-200 bg-white p-4">
          <h2 id="fulfilment" className="font-semibold">
            Fulfilment ({fulfilmentProvider === "printful" ? "Printful" : "by hand"})
          </h2>
          {order.trackingNumber ? (
            <p className="mt-1 text-sm">
              Tracking: <TrackingNumber number={order.trackingNumber} url={order.trackingUrl} carrier={order.carrier} />
              {order.shippedAt ? ` · left ${formatDateTime(order.shippedAt)} UTC` : ""}
            </p>
          ) : null}
          {order.status !== "paid" ? (
            <p className="mt-1 text-sm text-stone-700">
              {order.status === "refunded"
                ? `Nothing to ship: the order was refunded${order.refundedAt ? ` on ${formatDateTime(order.refundedAt)} UTC` : ""}${order.fulfilment === "unfulfilled" ? " before it was made" : ""}.`
                : order.status === "cancelled"
                  ? "Nothing to ship: the order was cancelled before it was paid."
                  : "Nothing to ship yet: the order is waiting for its payment."}
            </p>
          ) : null}
          {order.job ? (
            <p className="mt-1 text-sm">
              Printful: {JOB_LABELS[order.job.status]}
              {order.job.externalId ? ` · Printful order ${order.job.externalId}` : ""}
              {order.job.lastError ? <span className="block text-red-800">{order.job.lastError}</span> : null}
            </p>
          ) : null}
          {order.status === "paid" &&
          fulfilmentProvider === "printful" &&
          order.job?.status !== "sent" &&
          order.fulfilment !== "shipped" &&
          order.fulfilment !== "delivered" ? (
            <Form method="post" className="mt-2">
              <input type="hidden" name="intent" value="send-to-printful" />
              <button
                type="submit"
                className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700"
              >
                {order.job?.status === "failed" ? "Try sending to Printful again" : "Send to Printful now"}
              </button>
            </Form>
          ) : null}
          {order.status === "paid" ? (
            <Form method="post" className="mt-3 flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="fulfilment" />
              <label className="text-sm font-medium">
                Status
                <select
                  name="fulfilment"
                  defaultValue={order.fulfilment}
                  className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5"
                >
                  {FULFILMENT_STATUSES.map((f) => (
                    <option key={f} value={f}>
                      {FULFILMENT_LABELS[f]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-sm font-medium">
                Carrier
                <input
                  name="carrier"
                  list="carriers"
                  defaultValue={order.carrier ?? ""}
                  maxLength={60}
                  className="mt-1 block w-32 rounded-md border border-stone-300 px-2 py-1.5"
                />
              </label>
              <datalist id="carriers">
                {CARRIER_NAMES.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
              <label className="text-sm font-medium">
                Tracking number
                <input
                  name="trackingNumber"
                  defaultValue={order.trackingNumber ?? ""}
                  maxLength={80}
                  className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5"
                />
              </label>
              <button
                type="submit"
                className="rounded-md border border-stone-300 px-3 py-2 text-sm font-semibold hover:bg-stone-100"
              >
                Save
              </button>
            </Form>
          ) : null}
        </section>
      </HeldWhileConfirming>

      <h2 className="mt-8 font-semibold">
        Items ({itemCount} {itemCount === 1 ? "piece" : "pieces"})
      </h2>
      <div className="relative mt-2 overflow-x-auto rounded-xl border border-stone-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-stone-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                Design
              </th>
              <th scope="col" className="px-4 py-2">
                Type
              </th>
              <th scope="col" className="px-4 py-2">
                Size
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Qty
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Total
              </th>
              <th scope="col" className="px-4 py-2">
                Print file
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {order.items.map((i) => (
              <tr key={i.id}>
                <td className="px-4 py-2">{i.title}</td>
                <td className="px-4 py-2">{PRODUCT_TYPE_LABELS[i.productType]}</td>
                <td className="px-4 py-2">{i.size}</td>
                <td className="px-4 py-2 text-right tabular-nums">{i.quantity}</td>
                <td className="px-4 py-2 text-right tabular-nums">{money(i.unitPriceCents * i.quantity)}</td>
                <td className="px-4 py-2">
                  <a
                    href={`/admin/products/${i.productId}/print-file`}
                    className="text-brand-700 underline"
                    download
                    aria-label={`Download the print file of ${i.title} ${PRODUCT_TYPE_LABELS[i.productType]}`}
                  >
                    Download
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td className="px-4 py-1" colSpan={4}>
                Subtotal
              </td>
              <td className="px-4 py-1 text-right tabular-nums">{money(order.subtotalCents)}</td>
              <td />
            </tr>
            {[
              ["Shipping", order.shippingCents === 0 ? "Free" : money(order.shippingCents)],
              ["Tax", money(order.taxCents)],
              ...(order.creditCents > 0 ? [["Store credit", `−${money(order.creditCents)}`]] : []),
            ].map(([label, value]) => (
              <tr key={label}>
                <td className="px-4 py-1" colSpan={4}>
                  {label}
                </td>
                <td className="px-4 py-1 text-right tabular-nums">{value}</td>
                <td />
              </tr>
            ))}
            <tr className="font-semibold">
              <td className="px-4 py-2" colSpan={4}>
                Paid
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{money(order.amountDueCents)}</td>
              <td />
            </tr>
            {order.refundedCardCents + order.refundedCreditCents > 0 ? (
              <tr>
                <td className="px-4 py-2" colSpan={4}>
                  Refunded: {money(order.refundedCardCents)} to the payment, {money(order.refundedCreditCents)} to store
                  credit
                </td>
                <td className="px-4 py-2 text-right tabular-nums">
                  −{money(order.refundedCardCents + order.refundedCreditCents)}
                </td>
                <td />
              </tr>
            ) : null}
          </tfoot>
        </table>
      </div>

      {order.status === "paid" && !actionData?.confirm ? (
        <Form method="post" className="mt-6 flex flex-wrap items-end gap-3">
          <input type="hidden" name="intent" value="refund" />
          <label className="text-sm font-medium">
            Amount to refund
            <input
              name="amount"
              inputMode="decimal"
              placeholder={(refundLeft / 100).toFixed(2)}
              aria-describedby="refund-amount-hint"
              className="mt-1 block w-32 rounded-md border border-stone-300 px-2 py-1.5 text-sm"
            />
          </label>
          <button
            type="submit"
            className="rounded-md border border-red-300 px-3 py-2 text-sm font-semibold text-red-800 hover:bg-red-50"
          >
            Refund…
          </button>
          <p id="refund-amount-hint" className="w-full text-sm text-stone-600">
            Leave it empty to refund all that is left ({money(refundLeft)}). The next step names the amounts before
            anything moves.
          </p>
        </Form>
      ) : null}
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
