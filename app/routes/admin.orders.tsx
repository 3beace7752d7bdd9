import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { OrderStatus } from "~/components/order-status";
import { MoreLink, usePagedList } from "~/components/pager";
import { FULFILMENT_STATUSES } from "#db/schema";
import { ORDER_LIST_FILTERS } from "~/domain/order-filters";
import { allOrdersForAdmin, orderCursor, setFulfilment } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { totalsOfOrder } from "~/domain/totals";
import { safeText } from "~/domain/safe-text";
import { requireAdmin } from "~/lib/auth.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";
import { formatDateTime, formatMoney } from "~/lib/format";
import { cursorParam, encodeCursor } from "~/lib/pagination.server";
import { redirectWithOutcome } from "~/lib/outcome.server";

export const meta: MetaFunction = () => [{ title: "Orders · Admin · Crowdthread" }];

/**
 * An unknown status shows every order, as the "all" tab does; "to_ship" is
 * paid and not yet shipped; `after` is the page's cursor.
 */
const listSearch = {
  status: z.enum(ORDER_LIST_FILTERS).optional().catch(undefined),
  after: cursorParam(orderCursor).optional(),
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const { status, after } = parseSearchParams(request, listSearch);
  return { orders: await allOrdersForAdmin({ status, after }), status, isLaterPage: after !== undefined };
}

/** Each form posts its order's place in the list, so the admin comes back to that order's page. */
const place = listSearch.after;
const orderActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("fulfilment"),
    orderId: z.uuid(),
    place,
    fulfilment: z.enum(FULFILMENT_STATUSES),
    trackingNumber: safeText().trim().max(80).optional(),
  }),
]);
type OrderAction = z.infer<typeof orderActionSchema>;
type Admin = Awaited<ReturnType<typeof requireAdmin>>;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const { status } = parseSearchParams(request, { status: listSearch.status });
  const parsed = orderActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Choose an order and what to do with it.", { status: 400 });
  const form = parsed.data;
  // Back to the tab the admin was on, at the page the order was on.
  const search = new URLSearchParams();
  if (status) search.set("status", status);
  if (form.place) search.set("after", encodeCursor(form.place));
  const back = search.size ? `/admin/orders?${search}` : "/admin/orders";
  switch (form.intent) {
    case "fulfilment":
      return updateFulfilment(request, back, admin, form);
  }
}

async function updateFulfilment(
  request: Request,
  back: string,
  admin: Admin,
  form: Extract<OrderAction, { intent: "fulfilment" }>,
) {
  const done = await setFulfilment(form.orderId, form.fulfilment, form.trackingNumber || null, admin.id);
  return redirectWithOutcome(request, back, done, { kind: "success", title: "Order updated" });
}

const FULFILMENT_LABELS = {
  unfulfilled: "Not started",
  in_production: "In production",
  shipped: "Shipped",
  delivered: "Delivered",
} as const;

export default function AdminOrdersPage() {
  const { orders, status, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(orders, useFetcher<typeof loader>(), (data) => data.orders);
  const [params] = useSearchParams();
  const current = params.get("status") ?? "";
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Orders</h1>
      <nav aria-label="Order status" className="mt-4 flex flex-wrap gap-2 text-sm">
        {["", ...ORDER_LIST_FILTERS].map((s) => (
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
      <p className="mt-3 text-sm">
        <a href={`/admin/orders.csv?status=${current || "all"}`} className="text-brand-700 underline" download>
          Download this list as CSV for the print shop
        </a>{" "}
        (one row per item, with the address and print file link)
      </p>
      {list.items.length === 0 ? <p className="mt-6 text-stone-700">No orders.</p> : null}
      <ul className="mt-6 space-y-4">
        {list.items.map((o) => (
          <li
            key={o.id}
            className="rounded-xl border border-stone-200 bg-white p-4"
            aria-label={`Order ${o.id.slice(0, 8)}`}
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p className="font-semibold">
                <Link to={`/admin/orders/${o.id}`} className="text-brand-700 underline">
                  Order {o.id.slice(0, 8)}
                </Link>{" "}
                · @{o.buyer} · {formatDateTime(o.createdAt)} UTC ·{" "}
                {formatMoney(totalsOfOrder(o).totalCents, o.currency)} ({o.provider})
              </p>
              <OrderStatus status={o.status} fulfilment={o.fulfilment} />
            </div>
            <ul className="mt-1 text-sm text-stone-700">
              {o.items.map((i) => (
                <li key={i.id}>
                  {i.quantity} × {i.title} {PRODUCT_TYPE_LABELS[i.productType]} ({i.size}) at{" "}
                  {formatMoney(i.unitPriceCents, o.currency)} ·{" "}
                  <a href={`/admin/products/${i.productId}/print-file`} className="text-brand-700 underline" download>
                    print file
                  </a>
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
                  {o.place ? <input type="hidden" name="place" value={o.place} /> : null}
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
                {/* The order page asks to confirm the amounts before it refunds anything. */}
                <Form method="post" action={`/admin/orders/${o.id}`}>
                  <input type="hidden" name="intent" value="refund" />
                  <button
                    type="submit"
                    className="rounded-md border border-red-300 px-3 py-2 text-sm font-semibold text-red-800 hover:bg-red-50"
                  >
                    Refund…
                  </button>
                </Form>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <MoreLink
        list={list}
        label="More orders"
        startHref={isLaterPage ? (status ? `/admin/orders?status=${status}` : "/admin/orders") : null}
      />
    </div>
  );
}
