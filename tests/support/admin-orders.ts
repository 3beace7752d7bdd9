import { context, formRequest, settle } from "./requests";

/** Posts a form to the admin order page's action, as an admin's browser would. */
export async function postAdminOrder(orderId: string, fields: Record<string, string>, cookie: string) {
  const { action } = await import("~/routes/admin.orders_.$id");
  return settle(() =>
    action({
      request: formRequest(`/admin/orders/${orderId}`, fields, { cookie }),
      params: { id: orderId },
      context: context(),
    }),
  );
}

/**
 * An admin refunds an order as the page lets them: the first post asks, the
 * second sends back the confirmation the question carried. When the first
 * post does not ask (the order was refunded already, or cannot be), its answer.
 */
export async function refundAsAdmin(orderId: string, cookie: string) {
  const asked = await postAdminOrder(orderId, { intent: "refund" }, cookie);
  if (asked.status !== 200 || !asked.data?.confirm) return asked;
  return postAdminOrder(orderId, { intent: "refund", confirmed: asked.data.confirm.token }, cookie);
}
