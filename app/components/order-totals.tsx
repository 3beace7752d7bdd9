import type { Totals } from "~/domain/totals";
import { formatMoney } from "~/lib/format";

/**
 * The money rows of a cart, a checkout or an order, from the one totals
 * function: subtotal, shipping, tax, store credit, and what is left to pay.
 * `estimate` words the tax as an estimate (the cart, before an address).
 */
export function OrderTotals({
  totals,
  currency,
  estimate = false,
  dueLabel = "Total",
}: {
  totals: Totals;
  currency: string;
  estimate?: boolean;
  dueLabel?: string;
}) {
  return (
    <dl className="space-y-1 text-sm">
      <Row label="Subtotal" value={formatMoney(totals.subtotalCents, currency)} />
      <Row label="Shipping" value={totals.shippingCents === 0 ? "Free" : formatMoney(totals.shippingCents, currency)} />
      <Row
        label={estimate ? "Tax (estimated)" : "Tax"}
        value={totals.taxPending ? "Added at payment" : formatMoney(totals.taxCents, currency)}
      />
      {totals.creditCents > 0 ? (
        <Row label="Store credit" value={`−${formatMoney(totals.creditCents, currency)}`} />
      ) : null}
      <div className="flex justify-between gap-4 border-t border-stone-100 pt-2 text-base font-semibold">
        <dt>{dueLabel}</dt>
        <dd className="tabular-nums">{formatMoney(totals.amountDueCents, currency)}</dd>
      </div>
    </dl>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="text-stone-700">{label}</dt>
      <dd className="tabular-nums">{value}</dd>
    </div>
  );
}
