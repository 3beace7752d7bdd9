/**
 * A local stand-in for Stripe's API, enough for Checkout: it answers the real
 * SDK (pointed here with host/port/protocol) and records every request.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type StripeRequest = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  form: URLSearchParams;
};

export async function startStripeDouble() {
  const received: StripeRequest[] = [];
  let counter = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const path = new URL(req.url ?? "/", "http://double").pathname;
      received.push({ method: req.method ?? "", path, headers: req.headers, form });
      counter += 1;
      res.setHeader("Content-Type", "application/json");
      if (req.method === "POST" && path === "/v1/checkout/sessions") {
        const id = `cs_test_${counter}`;
        res.end(
          JSON.stringify({
            id,
            object: "checkout.session",
            url: `https://checkout.stripe.test/c/pay/${id}`,
            payment_status: "unpaid",
            metadata: {},
          }),
        );
      } else if (req.method === "POST" && path === "/v1/accounts") {
        res.end(JSON.stringify({ id: `acct_test_${counter}`, object: "account", type: "express" }));
      } else if (req.method === "POST" && path === "/v1/account_links") {
        res.end(
          JSON.stringify({ object: "account_link", url: `https://connect.stripe.test/setup/${form.get("account")}` }),
        );
      } else if (req.method === "POST" && path === "/v1/transfers") {
        if (form.get("destination") === "acct_broken") {
          res.statusCode = 400;
          res.end(
            JSON.stringify({
              error: {
                type: "invalid_request_error",
                message:
                  "Your destination account needs to have at least one of the following capabilities enabled: transfers",
              },
            }),
          );
          return;
        }
        res.end(
          JSON.stringify({
            id: `tr_test_${counter}`,
            object: "transfer",
            amount: Number(form.get("amount")),
            destination: form.get("destination"),
          }),
        );
      } else if (req.method === "POST" && path === "/v1/refunds") {
        res.end(
          JSON.stringify({
            id: `re_${counter}`,
            object: "refund",
            status: "succeeded",
            payment_intent: form.get("payment_intent"),
          }),
        );
      } else if (req.method === "POST" && path === "/v1/coupons") {
        res.end(
          JSON.stringify({ id: `coupon_${counter}`, object: "coupon", amount_off: Number(form.get("amount_off")) }),
        );
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { type: "invalid_request_error", message: `No such route ${path}` } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
