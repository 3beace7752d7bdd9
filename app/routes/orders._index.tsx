import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { OrderStatus } from "~/components/order-status";
import { MoreLink, usePagedList } from "~/components/pager";
import { formatDay, formatMoney } from "~/lib/format";
import { orderCursor, ordersForBuyer } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { totalsOfOrder } from "~/domain/totals";
import { requireUser } from "~/lib/auth.server";
import { parseSearchParams } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction = () => [{ title: "Your orders · Crowdthread" }];

const listSearch = { after: cursorParam(orderCursor).optional() };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { after } = parseSearchParams(request, listSearch);
  return { orders: await ordersForBuyer(user.id, { after }), isLaterPage: after !== undefined };
}

export default function OrdersPage() {
  const { orders, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(orders, useFetcher<typeof loader>(), (data) => data.orders);
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-3xl font-bold tracking-tight">Your orders</h1>
      {list.items.length === 0 ? (
        <p className="mt-6">
          No orders yet.{" "}
          <Link to="/shop" className="font-semibold text-brand-700 underline">
            Browse the shop
          </Link>
          .
        </p>
      ) : (
        <ul className="mt-6 space-y-4">
          {list.items.map((o) => (
            <li key={o.id} className="rounded-xl border border-stone-200 bg-white p-4">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link to={`/orders/${o.id}`} className="font-semibold hover:underline">
                  Order {o.id.slice(0, 8)} · {formatDay(o.createdAt)}
                </Link>
                <OrderStatus status={o.status} fulfilment={o.fulfilment} />
              </div>
              <ul className="mt-2 text-sm text-stone-700">
                {o.items.map((i) => (
                  <li key={i.id}>
                    {i.quantity} × {i.title} {PRODUCT_TYPE_LABELS[i.productType]} ({i.size})
                  </li>
                ))}
              </ul>
              <p className="mt-2 text-sm font-semibold">{formatMoney(totalsOfOrder(o).totalCents, o.currency)}</p>
              {o.status === "pending_payment" ? (
                <Link
                  to={`/orders/${o.id}/pay`}
                  className="mt-2 inline-block text-sm font-semibold text-brand-700 underline"
                >
                  Complete payment
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={list} label="Older orders" startHref={isLaterPage ? "/orders" : null} />
    </div>
  );
}
