const ORDER_LABELS = {
  pending_payment: "Awaiting payment",
  paid: "Paid",
  cancelled: "Cancelled",
  refunded: "Refunded",
} as const;

const FULFILMENT_LABELS = {
  unfulfilled: "Being prepared",
  in_production: "In production",
  shipped: "Shipped",
  delivered: "Delivered",
} as const;

export function OrderStatus({
  status,
  fulfilment,
}: {
  status: keyof typeof ORDER_LABELS;
  fulfilment: keyof typeof FULFILMENT_LABELS;
}) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <span
        className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${status === "paid" ? "bg-emerald-100 text-emerald-900" : "bg-stone-200 text-stone-800"}`}
      >
        {ORDER_LABELS[status]}
      </span>
      {status === "paid" ? (
        <span className="rounded-full bg-sky-100 px-2.5 py-0.5 text-xs font-semibold text-sky-900">
          {FULFILMENT_LABELS[fulfilment]}
        </span>
      ) : null}
    </span>
  );
}
