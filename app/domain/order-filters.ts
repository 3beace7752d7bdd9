import { ORDER_STATUSES } from "#db/schema";

/** The admin orders list's tabs: every order status, and "to ship" (paid, not yet sent off). Shared with the browser. */
export const ORDER_LIST_FILTERS = [...ORDER_STATUSES, "to_ship"] as const;
export type OrderListFilter = (typeof ORDER_LIST_FILTERS)[number];
