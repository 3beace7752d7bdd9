import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { shippingPlace } from "~/domain/addresses.server";
import { orderForAdmin } from "~/domain/order-admin.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { requireAdmin } from "~/lib/auth.server";
import { idParam, parseParams } from "~/lib/edge.server";
import { ShipToAddress } from "~/components/ship-to";
import { formatDay } from "~/lib/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Packing slip ${data.order.id.slice(0, 8)} · Crowdthread` : "Packing slip · Crowdthread" },
];

/** What goes in the parcel, on one printable page: the address and the items, no prices. Admins only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  await requireAdmin(request);
  const order = await orderForAdmin(id);
  if (!order) throw new Response("There is no such order.", { status: 404 });
  return {
    order: {
      id: order.id,
      createdAt: order.createdAt,
      status: order.status,
      shippingName: order.shippingName,
      shippingLine1: order.shippingLine1,
      shippingLine2: order.shippingLine2,
      shippingCity: order.shippingCity,
      shippingPostalCode: order.shippingPostalCode,
      items: order.items.map((i) => ({
        id: i.id,
        title: i.title,
        productType: i.productType,
        size: i.size,
        quantity: i.quantity,
      })),
    },
    place: shippingPlace(order),
  };
}

export default function PackingSlip() {
  const { order, place } = useLoaderData<typeof loader>();
  const pieces = order.items.reduce((n, i) => n + i.quantity, 0);
  return (
    <article className="mx-auto max-w-2xl rounded-xl border border-stone-300 bg-white p-8 print:max-w-none print:rounded-none print:border-0 print:p-0">
      <p className="mb-6 flex gap-4 text-sm print:hidden">
        <Link to={`/admin/orders/${order.id}`} className="text-brand-700 underline">
          Back to the order
        </Link>
        <span className="text-stone-600">Print this page (Ctrl/⌘ + P): only the slip is printed.</span>
      </p>
      {order.status !== "paid" ? (
        <p role="alert" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm print:hidden">
          This order is {order.status.replace("_", " ")}: do not ship it.
        </p>
      ) : null}
      <header className="flex items-start justify-between gap-4 border-b border-stone-300 pb-4">
        <div>
          <p className="text-xl font-black tracking-tight">Crowdthread</p>
          <h1 className="text-2xl font-bold">Packing slip</h1>
        </div>
        <dl className="text-right text-sm">
          <dt className="sr-only">Order</dt>
          <dd className="font-mono font-semibold">Order {order.id.slice(0, 8)}</dd>
          <dt className="sr-only">Placed</dt>
          <dd>Placed {formatDay(order.createdAt)}</dd>
        </dl>
      </header>
      <section aria-labelledby="slip-ship-to" className="mt-6">
        <h2 id="slip-ship-to" className="text-sm font-semibold uppercase tracking-wide text-stone-600">
          Ship to
        </h2>
        <ShipToAddress place={place} className="mt-1 text-lg not-italic leading-snug" />
      </section>
      <table className="mt-8 w-full text-left">
        <thead className="border-b-2 border-stone-800 text-sm">
          <tr>
            <th scope="col" className="w-16 py-2 pr-2">
              Packed
            </th>
            <th scope="col" className="w-12 py-2 pr-2 text-right">
              Qty
            </th>
            <th scope="col" className="py-2 pr-2">
              Design
            </th>
            <th scope="col" className="py-2 pr-2">
              Type
            </th>
            <th scope="col" className="py-2">
              Size
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-300">
          {order.items.map((i) => (
            <tr key={i.id}>
              <td className="py-3 pr-2">
                <span aria-hidden="true" className="inline-block h-5 w-5 border-2 border-stone-700" />
              </td>
              <td className="py-3 pr-2 text-right text-lg font-bold tabular-nums">{i.quantity}</td>
              <td className="py-3 pr-2">{i.title}</td>
              <td className="py-3 pr-2">{PRODUCT_TYPE_LABELS[i.productType]}</td>
              <td className="py-3 font-semibold">{i.size}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t-2 border-stone-800">
          <tr>
            <td />
            <td className="py-2 pr-2 text-right font-bold tabular-nums">{pieces}</td>
            <td className="py-2" colSpan={3}>
              {pieces === 1 ? "piece" : "pieces"} in total
            </td>
          </tr>
        </tfoot>
      </table>
      <p className="mt-10 text-center text-sm text-stone-600">
        Thank you for supporting independent designers. Every sale pays the artist a royalty.
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
