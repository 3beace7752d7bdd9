import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OrderStatus } from "~/components/order-status";
import { formatMoney } from "~/domain/money";
import { findOrderForBuyer } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { requireUser } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Order · Crowdthread" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const order = await findOrderForBuyer(params.id ?? "", user.id);
  if (!order) throw new Response("There is no order of yours at this address.", { status: 404 });
  return { order };
}

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function OrderPage() {
  const { order } = useLoaderData<typeof loader>();
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
        Placed {when.format(order.createdAt)} UTC{order.paidAt ? ` · paid ${when.format(order.paidAt)} UTC` : ""}
        {order.trackingNumber ? ` · tracking ${order.trackingNumber}` : ""}
      </p>
      {order.status === "pending_payment" ? (
        <Link to={`/orders/${order.id}/pay`} className="mt-4 inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Complete payment
        </Link>
      ) : null}
      <table className="mt-6 w-full rounded-xl border border-stone-200 bg-white text-left text-sm">
        <thead className="bg-stone-50">
          <tr>
            <th scope="col" className="px-4 py-2">Item</th>
            <th scope="col" className="px-4 py-2 text-right">Price</th>
            <th scope="col" className="px-4 py-2 text-right">Qty</th>
            <th scope="col" className="px-4 py-2 text-right">Total</th>
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
              <td className="px-4 py-2 text-right tabular-nums">{formatMoney(i.unitPriceCents * i.quantity, order.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="font-semibold">
            <td className="px-4 py-2" colSpan={3}>
              Total
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{formatMoney(order.subtotalCents, order.currency)}</td>
          </tr>
        </tfoot>
      </table>
      <h2 className="mt-6 font-semibold">Ships to</h2>
      <address className="mt-1 text-sm not-italic text-stone-700">
        {order.shippingName}
        <br />
        {order.shippingLine1}
        {order.shippingLine2 ? (
          <>
            <br />
            {order.shippingLine2}
          </>
        ) : null}
        <br />
        {order.shippingPostalCode} {order.shippingCity}, {order.shippingCountry}
      </address>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
