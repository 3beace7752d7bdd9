import { getEnv } from "./env.server";

/**
 * Printful's Orders API (v1, https://api.printful.com), the calls the
 * `printful` fulfilment provider makes and nothing else. Every answer is
 * `{ code, result }`, and an error `{ code, error: { message } }`.
 * PRINTFUL_API_URL points it at a local test double.
 */

export class PrintfulError extends Error {
  constructor(
    message: string,
    /** The HTTP status; null when Printful could not be reached at all. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = "PrintfulError";
  }

  /** Worth trying again later: Printful was unreachable, busy or broken, not refusing the order. */
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

export type PrintfulRecipient = {
  name: string;
  address1: string;
  address2?: string;
  city: string;
  state_code?: string;
  country_code: string;
  zip: string;
};

export type PrintfulOrderItem = {
  external_id: string;
  variant_id: number;
  quantity: number;
  name: string;
  retail_price: string;
  files: { type: "default"; url: string; filename?: string }[];
};

export type PrintfulOrderInput = {
  external_id: string;
  recipient: PrintfulRecipient;
  items: PrintfulOrderItem[];
  /** The parcel's value (packing slip, customs); Printful shows subtotal - discount + shipping + tax. */
  retail_costs: { currency: string; subtotal: string; discount: string; shipping: string; tax: string };
};

export type PrintfulOrder = { id: number; external_id: string | null; status: string };

async function request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const env = getEnv();
  if (!env.PRINTFUL_API_KEY) throw new PrintfulError("PRINTFUL_API_KEY is not set", 0);
  const headers: Record<string, string> = {
    Authorization: `Bearer ${env.PRINTFUL_API_KEY}`,
    "User-Agent": "Crowdthread",
  };
  // An account-level token reaches several stores and must name one; a store token needs none.
  if (env.PRINTFUL_STORE_ID) headers["X-PF-Store-Id"] = env.PRINTFUL_STORE_ID;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(new URL(path, env.PRINTFUL_API_URL), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new PrintfulError(`Printful could not be reached: ${(error as Error).message}`, null);
  }
  const answer = (await response.json().catch(() => null)) as {
    result?: unknown;
    error?: { message?: string };
  } | null;
  if (!response.ok) {
    const message = answer?.error?.message ?? (typeof answer?.result === "string" ? answer.result : null);
    throw new PrintfulError(`Printful answered ${response.status}: ${message ?? response.statusText}`, response.status);
  }
  return answer?.result as T;
}

/** Creates a draft order (not yet charged or produced); `confirmPrintfulOrder` sends it to production. */
export function createPrintfulOrder(order: PrintfulOrderInput): Promise<PrintfulOrder> {
  return request<PrintfulOrder>("POST", "/orders", order);
}

/** The order Printful holds under our external id; null when it has none (an earlier attempt never got there). */
export async function findPrintfulOrder(externalId: string): Promise<PrintfulOrder | null> {
  try {
    return await request<PrintfulOrder>("GET", `/orders/@${encodeURIComponent(externalId)}`);
  } catch (error) {
    if (error instanceof PrintfulError && error.status === 404) return null;
    throw error;
  }
}

export function confirmPrintfulOrder(id: number): Promise<PrintfulOrder> {
  return request<PrintfulOrder>("POST", `/orders/${id}/confirm`);
}
