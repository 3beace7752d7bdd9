import { getEnv } from "./env.server";
import {
  confirmPrintfulOrder,
  createPrintfulOrder,
  findPrintfulOrder,
  PrintfulError,
  type PrintfulOrderInput,
} from "./printful.server";

/**
 * Fulfilment: one interface, two providers, as payments have. `manual` (the
 * default) is today's admin steps: an admin prints from the packing slip and
 * the print file, then marks the order in production, shipped (with a
 * tracking number) and delivered (`setFulfilment` in app/domain/orders.server.ts).
 * `printful` (when PRINTFUL_API_KEY is set) sends each paid order to
 * Printful's Orders API and learns of the parcel from Printful's webhook.
 * The domain (app/domain/fulfilment.server.ts) decides when; this module only
 * speaks to the provider.
 */

/** A paid order as the provider needs it: the address, and per item what to print on which product. */
export type FulfilmentOrder = {
  id: string;
  currency: string;
  /** The order's own totals, as the buyer was charged them (store credit is a payment, not a discount). */
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  recipient: {
    name: string;
    line1: string;
    line2: string;
    city: string;
    /** The region's code (a US state, a Canadian province…), '' where the country has none. */
    region: string;
    postalCode: string;
    country: string;
  };
  items: {
    id: string;
    title: string;
    productLabel: string;
    size: string;
    quantity: number;
    unitPriceCents: number;
    /** The provider's catalog variant for this product type and size. */
    variantId: number;
    /** Where the provider downloads the print master (a signed, expiring link). */
    printFileUrl: string;
    printFileName: string;
  }[];
};

/** Where a send got to; `externalId` is the provider's id for the order. */
export type SentOrder = { externalId: string; externalStatus: string };

export class FulfilmentError extends Error {
  constructor(
    message: string,
    /** Trying again later may work (the provider was down); otherwise an admin must look. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "FulfilmentError";
  }
}

export type FulfilmentProvider =
  | { name: "manual" }
  | {
      name: "printful";
      /**
       * Creates the order at the provider and confirms it for production. A
       * retry (`attempt` > 1) first asks the provider for the order under our
       * id, so an attempt whose answer was lost does not create a second
       * one; `remember` keeps the provider's id as soon as it is known.
       */
      send(
        order: FulfilmentOrder,
        progress: { externalId: string | null; attempt: number; remember(externalId: string): Promise<void> },
      ): Promise<SentOrder>;
    };

/** Printful's external id: ours without dashes (it takes at most 32 characters). */
export function printfulExternalId(orderId: string): string {
  return orderId.replace(/-/g, "");
}

/** Our order id from Printful's external id; null when it is not one of ours. */
export function orderIdFromPrintful(externalId: unknown): string | null {
  if (typeof externalId !== "string" || !/^[0-9a-f]{32}$/.test(externalId)) return null;
  const h = externalId;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const decimal = (cents: number) => (cents / 100).toFixed(2);

function printfulBody(order: FulfilmentOrder): PrintfulOrderInput {
  const r = order.recipient;
  return {
    external_id: printfulExternalId(order.id),
    recipient: {
      name: r.name,
      address1: r.line1,
      ...(r.line2 ? { address2: r.line2 } : {}),
      city: r.city,
      // Printful needs the state or province code where the country has them (US, CA, AU…).
      ...(r.region ? { state_code: r.region } : {}),
      country_code: r.country,
      zip: r.postalCode,
    },
    items: order.items.map((item) => ({
      external_id: printfulExternalId(item.id),
      variant_id: item.variantId,
      quantity: item.quantity,
      name: `${item.title} ${item.productLabel} (${item.size})`,
      retail_price: decimal(item.unitPriceCents),
      files: [{ type: "default", url: item.printFileUrl, filename: item.printFileName }],
    })),
    // The value of the parcel, for the packing slip and customs: items, shipping and tax. Store
    // credit is money the buyer earned (royalties, prizes), spent like a gift card: a way of paying,
    // not a price cut, so it never lowers the declared value (nor takes it below zero).
    retail_costs: {
      currency: order.currency.toUpperCase(),
      subtotal: decimal(order.subtotalCents),
      discount: decimal(0),
      shipping: decimal(order.shippingCents),
      tax: decimal(order.taxCents),
    },
  };
}

function asFulfilmentError(error: unknown): FulfilmentError {
  if (error instanceof PrintfulError) return new FulfilmentError(error.message, error.retryable);
  return new FulfilmentError(error instanceof Error ? error.message : String(error), true);
}

const printfulProvider: FulfilmentProvider = {
  name: "printful",
  async send(order, progress) {
    try {
      // A retry may follow an attempt that reached Printful but whose answer was lost: look first.
      const earlier = progress.attempt > 1 ? await findPrintfulOrder(printfulExternalId(order.id)) : null;
      const draft = earlier ?? (await createPrintfulOrder(printfulBody(order)));
      const externalId = String(draft.id);
      if (externalId !== progress.externalId) await progress.remember(externalId);
      if (draft.status !== "draft") return { externalId, externalStatus: draft.status };
      const confirmed = await confirmPrintfulOrder(draft.id);
      return { externalId, externalStatus: confirmed.status };
    } catch (error) {
      throw asFulfilmentError(error);
    }
  },
};

const manualProvider: FulfilmentProvider = { name: "manual" };

export function fulfilmentProvider(): FulfilmentProvider {
  return getEnv().PRINTFUL_API_KEY ? printfulProvider : manualProvider;
}
