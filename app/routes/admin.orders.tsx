import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { OrderStatus } from "~/components/order-status";
import { FULFILMENT_STATUSES, ORDER_STATUSES } from "#db/schema";
import { formatMoney } from "~/lib/format";
import { allOrders, allOrdersById, markOrderRefunded, setFulfilment } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { requireAdmin } from "~/lib/auth.server";
import { refundStripePayment } from "~/lib/payments.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Orders · Admin · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const status = new URL(request.url).searchParams.get("status");
  const parsed = z.enum(ORDER_STATUSES).safeParse(status);
  return { orders: await allOrders({ status: parsed.success ? parsed.data : undefined }) };
}

const fulfilmentSchema = z.object({
  orderId: z.uuid(),
  fulfilment: z.enum(FULFILMENT_STATUSES),
  trackingNumber: z.string().trim().max(80).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const form = Object.fromEntries(await request.formData());
  const back = new URL(request.url).pathname + new URL(request.url).search;
  if (form.intent === "fulfilment") {
    const parsed = fulfilmentSchema.safeParse(form);
    if (!parsed.success)
      return redirectWithToast(request, back, { kind: "error", title: "Choose a fulfilment status" });
    const done = await setFulfilment(
      parsed.data.orderId,
      parsed.data.fulfilment,
      parsed.data.trackingNumber || null,
      admin.id,
    );
    return redirectWithToast(
      request,
      back,
      done.ok ? { kind: "success", title: "Order updated" } : { kind: "error", title: done.message },
    );
  }
  if (form.intent === "refund") {
    const orderId = z.uuid().safeParse(form.orderId);
    if (!orderId.success) throw new Response("Which order?", { status: 400 });
    const [order] = await allOrdersById(orderId.data);
    if (order?.provider === "stripe" && order.status === "paid") {
      if (!order.providerReference?.startsWith("pi_"))
        return redirectWithToast(request, back, { kind: "error", title: "This order has no Stripe payment to refund" });
      await refundStripePayment(order.id, order.providerReference);
    }
    const outcome = await markOrderRefunded(orderId.data, { actorId: admin.id });
    return redirectWithToast(
      request,
      back,
      outcome === "refunded"
        ? { kind: "info", title: "Order refunded; royalties reversed" }
        : { kind: "error", title: `Not refunded (${outcome.replace("-", " ")})` },
    );
  }
  throw new Response("Unknown action", { status: 400 });
}

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const FULFILMENT_LABELS = {
  unfulfilled: "Not started",
  in_production: "In production",
  shipped: "Shipped",
  delivered: "Delivered",
} as const;

export default function AdminOrdersPage() {
  const { orders } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const current = params.get("status") ?? "";
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Orders</h1>
      <nav aria-label="Order status" className="mt-4 flex flex-wrap gap-2 text-sm">
        {["", ...ORDER_STATUSES].map((s) => (
          <a
            key={s}
            href={s ? `?status=${s}` : "?"}
            aria-current={current === s ? "page" : undefined}
            className="rounded-full border border-stone-300 px-3 py-1 aria-[current=page]:bg-brand-600 aria-[current=page]:text-white"
          >
            {s ? s.replace("_", " ") : "all"}
          </a>
        ))}
      </nav>
      {orders.length === 0 ? <p className="mt-6 text-stone-700">No orders.</p> : null}
      <ul className="mt-6 space-y-4">
        {orders.map((o) => (
          <li
            key={o.id}
            className="rounded-xl border border-stone-200 bg-white p-4"
            aria-label={`Order ${o.id.slice(0, 8)}`}
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p className="font-semibold">
                Order {o.id.slice(0, 8)} · @{o.buyer} · {when.format(o.createdAt)} UTC ·{" "}
                {formatMoney(o.subtotalCents, o.currency)} ({o.provider})
              </p>
              <OrderStatus status={o.status} fulfilment={o.fulfilment} />
            </div>
            <ul className="mt-1 text-sm text-stone-700">
              {o.items.map((i) => (
                <li key={i.id}>
                  {i.quantity} × {i.title} {PRODUCT_TYPE_LABELS[i.productType]} ({i.size}) at{" "}
                  {formatMoney(i.unitPriceCents, o.currency)}
                </li>
              ))}
            </ul>
            <p className="text-sm text-stone-600">
              Ship to {o.shippingName}, {o.shippingCity}, {o.shippingCountry}
              {o.trackingNumber ? ` · tracking ${o.trackingNumber}` : ""}
            </p>
            {o.status === "paid" ? (
              <div className="mt-3 flex flex-wrap items-end gap-4">
                <Form method="post" className="flex flex-wrap items-end gap-2">
                  <input type="hidden" name="intent" value="fulfilment" />
                  <input type="hidden" name="orderId" value={o.id} />
                  <label className="text-sm font-medium">
                    Fulfilment
                    <select
                      name="fulfilment"
                      defaultValue={o.fulfilment}
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
                    Tracking number
                    <input
                      name="trackingNumber"
                      defaultValue={o.trackingNumber ?? ""}
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
                <Form method="post">
                  <input type="hidden" name="intent" value="refund" />
                  <input type="hidden" name="orderId" value={o.id} />
                  <button
                    type="submit"
                    className="rounded-md border border-red-300 px-3 py-2 text-sm font-semibold text-red-800 hover:bg-red-50"
                  >
                    Refund {formatMoney(o.subtotalCents, o.currency)}
                  </button>
                </Form>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
