/**
 * A local stand-in for Printful's Orders API (v1), enough for fulfilment:
 * create a draft order, find one by external id, confirm it. It answers in
 * Printful's `{ code, result }` / `{ code, error }` shapes, records every
 * request, and can be told to fail, so tests assert on what it received.
 * `packageShipped` builds the webhook body Printful posts when a parcel leaves.
 *
 * Given a `webhookUrl`, the double also plays Printful's side of a shipment
 * (`shipOrder`): it posts `package_shipped` to that URL, as Printful posts to
 * the URL registered in its dashboard. Browser tests run it in the e2e
 * runner's process, so they reach it over HTTP: `GET /__double/received`
 * answers what it received, `POST /__double/ship` ships an order. These
 * routes are the double's own, not Printful's API.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type PrintfulRequest = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
};

type StoredOrder = { id: number; external_id: string; status: string; body: any };

/** The credentials the double accepts, and the e2e runner configures the app with. */
export const PRINTFUL_DOUBLE = {
  apiKey: "pf_test_token_crowdthread_0123456789",
  storeId: "4242001",
  webhookSecret: "pf_hook_secret_crowdthread_0123456789",
} as const;

export type ShipRequest = {
  externalId: string;
  shipmentId: number;
  trackingNumber: string;
  carrier?: string;
  trackingUrl?: string | null;
  shippedAt?: string;
};

export async function startPrintfulDouble(options: { port?: number; webhookUrl?: string } = {}) {
  const received: PrintfulRequest[] = [];
  const orders = new Map<number, StoredOrder>();
  let nextId = 90_000_001;
  /** Answer the next n requests with this status (Printful down or refusing). */
  let failures: { count: number; status: number; message: string } = { count: 0, status: 0, message: "" };
  /** Create the next order but answer 502, as when the answer is lost on the way back. */
  let loseNextCreateAnswer = false;

  /** Printful's side of a parcel leaving: the webhook, posted to the app like Printful posts it. */
  async function shipOrder(request: ShipRequest) {
    if (!options.webhookUrl) throw new Error("This Printful double was started without a webhookUrl");
    const order = [...orders.values()].find((o) => o.external_id === request.externalId);
    const event = packageShipped({
      ...request,
      printfulOrderId: order?.id,
      shippedAt: request.shippedAt ? new Date(request.shippedAt) : new Date(),
      store: Number(PRINTFUL_DOUBLE.storeId),
    });
    if (order) order.status = "fulfilled";
    const response = await fetch(options.webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "Printful" },
      body: JSON.stringify(event),
    });
    return { status: response.status, body: await response.text() };
  }

  /** The double's own routes, for tests in another process. */
  function control(method: string, path: string, body: any, res: ServerResponse) {
    const reply = (code: number, value: unknown) => {
      res.statusCode = code;
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(value));
    };
    if (method === "GET" && path === "/__double/received") return reply(200, received);
    if (method === "POST" && path === "/__double/ship") {
      shipOrder(body as ShipRequest).then(
        (answer) => reply(200, answer),
        (error: unknown) => reply(500, { error: String(error) }),
      );
      return;
    }
    reply(404, { error: `No such double route ${path}` });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://double").pathname;
      let body: any = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      if (path.startsWith("/__double/")) return control(req.method ?? "", path, body, res);
      received.push({ method: req.method ?? "", path, headers: req.headers, body });
      const answer = (code: number, result: unknown) => {
        res.statusCode = code;
        res.setHeader("Content-Type", "application/json");
        res.end(
          JSON.stringify(
            code < 400 ? { code, result } : { code, result: result, error: { reason: "Error", message: result } },
          ),
        );
      };
      if (req.headers.authorization !== `Bearer ${PRINTFUL_DOUBLE.apiKey}`)
        return answer(401, "Malformed Authorization header");
      if (failures.count > 0) {
        failures.count -= 1;
        return answer(failures.status, failures.message);
      }
      if (req.method === "POST" && path === "/orders") {
        if ([...orders.values()].some((o) => o.external_id === body.external_id))
          return answer(400, "Order with the same external ID already exists");
        const order = { id: nextId++, external_id: body.external_id, status: "draft", body };
        orders.set(order.id, order);
        if (loseNextCreateAnswer) {
          loseNextCreateAnswer = false;
          return answer(502, "Bad gateway");
        }
        return answer(200, { id: order.id, external_id: order.external_id, status: order.status });
      }
      const byExternal = /^\/orders\/@(.+)$/.exec(path);
      if (req.method === "GET" && byExternal) {
        const order = [...orders.values()].find((o) => o.external_id === decodeURIComponent(byExternal[1]!));
        return order
          ? answer(200, { id: order.id, external_id: order.external_id, status: order.status })
          : answer(404, "Not Found");
      }
      const confirm = /^\/orders\/(\d+)\/confirm$/.exec(path);
      if (req.method === "POST" && confirm) {
        const order = orders.get(Number(confirm[1]));
        if (!order) return answer(404, "Not Found");
        if (order.status !== "draft") return answer(400, "Only draft orders can be confirmed");
        order.status = "pending";
        return answer(200, { id: order.id, external_id: order.external_id, status: order.status });
      }
      return answer(404, `No such route ${path}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    orders,
    failNext(count: number, status = 500, message = "Internal server error") {
      failures = { count, status, message };
    },
    shipOrder,
    loseNextCreateAnswer() {
      loseNextCreateAnswer = true;
    },
    reset() {
      received.length = 0;
      orders.clear();
      nextId = 90_000_001;
      failures = { count: 0, status: 0, message: "" };
      loseNextCreateAnswer = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The body of Printful's `package_shipped` webhook for one parcel of one order. */
export function packageShipped(input: {
  externalId: string;
  printfulOrderId?: number;
  shipmentId: number;
  trackingNumber: string;
  carrier?: string;
  trackingUrl?: string | null;
  shippedAt: Date;
  store?: number;
}) {
  const unix = Math.floor(input.shippedAt.getTime() / 1000);
  return {
    type: "package_shipped",
    created: unix + 60,
    retries: 0,
    store: input.store ?? 4_242_001,
    data: {
      shipment: {
        id: input.shipmentId,
        carrier: input.carrier ?? "USPS",
        service: "USPS First Class Package",
        tracking_number: input.trackingNumber,
        tracking_url:
          input.trackingUrl === undefined
            ? `https://myorders.printful.test/tracking/${input.trackingNumber}`
            : input.trackingUrl,
        created: unix,
        ship_date: input.shippedAt.toISOString().slice(0, 10),
        shipped_at: unix,
        reshipment: false,
        items: [{ item_id: 1, quantity: 1 }],
      },
      order: {
        id: input.printfulOrderId ?? 90_000_001,
        external_id: input.externalId,
        status: "fulfilled",
        recipient: { name: "Grace Hopper" },
      },
    },
  };
}
