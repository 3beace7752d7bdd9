import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { MoreLink, usePagedList } from "~/components/pager";
import { LEDGER_KIND_LABELS } from "~/domain/ledger";
import { ledgerCursor, ledgerPage, ledgerSummary } from "~/domain/ledger.server";
import { parseSearchParams } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";
import { formatDay, formatMoney } from "~/lib/format";
import { salesForDesigner } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { requireUser } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Your royalties · Crowdthread" }];

/** Built once: parseSearchParams caches its parser by the shape's identity. */
const LEDGER_SEARCH = { after: cursorParam(ledgerCursor).optional() };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { after } = parseSearchParams(request, LEDGER_SEARCH);
  const now = new Date();
  const [summary, entries, sales] = await Promise.all([
    ledgerSummary(user.id, now),
    ledgerPage(user.id, { after, now }),
    salesForDesigner(user.id),
  ]);
  return { summary, sales, entries, isLaterPage: after !== undefined };
}

const LINE_STATUS_LABELS = {
  cleared: "Cleared",
  requested: "Requested: waiting to be paid",
  paid: "Paid out",
  returned: "Returned to your balance",
} as const;

export default function RoyaltiesPage() {
  const { summary, entries: firstEntries, sales, isLaterPage } = useLoaderData<typeof loader>();
  const entries = usePagedList(firstEntries, useFetcher<typeof loader>(), (data) => data.entries);
  const cards = [
    ["Available", summary.availableCents, "Cleared: spend it as store credit at checkout, or ask for a payout."],
    ["Pending", summary.pendingCents, "Sales still inside the refund window (refunds in it come off here)."],
    ...(summary.requestedCents
      ? ([["Payout requested", summary.requestedCents, "Waiting for us to send it."]] as const)
      : []),
    ["Spent as credit", summary.spentCents, ""],
    ["Paid out", summary.paidOutCents, ""],
  ] as const;
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Your royalties</h1>
          <p className="mt-2 max-w-2xl text-stone-700">
            Every cent you earn is a line below: prizes, a royalty for each item sold, and any refund that reversed one.
            Your balance is their sum.
          </p>
        </div>
        <div className="flex gap-2">
          <Link
            to="/account/payouts"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
          >
            Payouts
          </Link>
          <a
            href="/account/royalties.csv"
            download
            className="rounded-md border border-stone-300 px-4 py-2 text-sm font-semibold hover:bg-stone-100"
          >
            Download CSV
          </a>
        </div>
      </div>
      <dl className="mt-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        {cards.map(([label, cents, hint]) => (
          <div key={label} className="rounded-xl border border-stone-200 bg-white p-4">
            <dt className="text-sm text-stone-600">{label}</dt>
            <dd className="text-2xl font-bold tabular-nums">{formatMoney(cents)}</dd>
            {hint ? <dd className="mt-1 text-xs text-stone-600">{hint}</dd> : null}
          </div>
        ))}
      </dl>
      {sales.length ? (
        <section aria-labelledby="sales-heading" className="mt-8">
          <h2 id="sales-heading" className="text-xl font-semibold">
            Sales by product
          </h2>
          <div className="relative mt-3 overflow-x-auto rounded-xl border border-stone-200 bg-white">
            <table className="w-full text-left text-sm">
              <thead className="bg-stone-50">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    Product
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    Sold
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    Refunded
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    Revenue
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {sales.map((s) => (
                  <tr key={s.productId}>
                    <td className="px-4 py-2">
                      {s.title} {PRODUCT_TYPE_LABELS[s.productType]}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{s.unitsSold ?? 0}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{s.unitsRefunded ?? 0}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{formatMoney(s.revenueCents ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <h2 className="mt-8 text-xl font-semibold">Ledger</h2>
      {entries.items.length === 0 ? (
        <p className="mt-2 text-stone-700">
          Nothing yet. Winning designs earn a prize and a royalty on every sale.{" "}
          <Link to="/rounds" className="font-semibold text-brand-700 underline">
            Enter a round
          </Link>
          .
        </p>
      ) : (
        <div className="mt-3 rounded-xl border border-stone-200 bg-white sm:relative sm:overflow-x-auto">
          {/* On a phone each line stacks (date and amount, then what and why) instead of scrolling sideways. */}
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Ledger entries, newest first</caption>
            <thead className="hidden bg-stone-50 sm:table-header-group">
              <tr>
                <th scope="col" className="px-4 py-2">
                  Date
                </th>
                <th scope="col" className="px-4 py-2">
                  What
                </th>
                <th scope="col" className="px-4 py-2">
                  Details
                </th>
                <th scope="col" className="px-4 py-2">
                  Status
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {entries.items.map((e) => (
                <tr key={e.id} className="grid grid-cols-[1fr_auto] gap-x-3 px-4 py-3 sm:table-row sm:p-0">
                  <td className="text-stone-600 sm:table-cell sm:px-4 sm:py-2 sm:whitespace-nowrap sm:text-stone-900">
                    {formatDay(e.createdAt)}
                  </td>
                  <td
                    className={`col-start-2 row-start-1 text-right font-semibold tabular-nums sm:hidden ${e.amountCents < 0 ? "text-red-800" : "text-emerald-800"}`}
                  >
                    {formatMoney(e.amountCents, e.currency)}
                  </td>
                  <td className="col-span-2 font-medium sm:table-cell sm:px-4 sm:py-2 sm:font-normal">
                    {LEDGER_KIND_LABELS[e.kind]}
                  </td>
                  <td className="col-span-2 break-words sm:table-cell sm:px-4 sm:py-2">
                    {e.memo}
                    {e.roundSlug ? (
                      <>
                        {" "}
                        <Link to={`/rounds/${e.roundSlug}/results`} className="text-brand-700 underline">
                          results
                        </Link>
                      </>
                    ) : null}
                  </td>
                  <td className="col-span-2 text-stone-600 sm:table-cell sm:px-4 sm:py-2 sm:text-stone-900">
                    {e.status === "pending" ? `Pending until ${formatDay(e.clearsAt!)}` : LINE_STATUS_LABELS[e.status]}
                  </td>
                  <td
                    className={`hidden px-4 py-2 text-right font-semibold tabular-nums sm:table-cell ${e.amountCents < 0 ? "text-red-800" : "text-emerald-800"}`}
                  >
                    {formatMoney(e.amountCents, e.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreLink list={entries} label="Older entries" startHref={isLaterPage ? "/account/royalties" : null} />
    </div>
  );
}
