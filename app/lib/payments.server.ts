import type Stripe from "stripe";
import { getEnv } from "./env.server";
import { singleton } from "./singleton.server";

/**
 * Payments: one interface, two providers. `local` (the default, with no
 * Stripe key) sends the buyer to a test payment page; `stripe` opens a Stripe
 * Checkout Session. Both end in the same markOrderPaid step.
 */
export type CheckoutOrder = {
  id: string;
  currency: string;
  creditCents: number;
  shippingCents: number;
  taxCents: number;
  /** "stripe": Stripe Tax works the tax out in Checkout (STRIPE_AUTOMATIC_TAX). */
  taxSource: "rates" | "stripe";
  items: { title: string; productType: string; size: string; unitPriceCents: number; quantity: number }[];
};

export type PaymentsProvider = {
  name: "local" | "stripe";
  /** Where to send the buyer to pay, and the provider's reference for this attempt. */
  startCheckout(order: CheckoutOrder, origin: string): Promise<{ redirectUrl: string; reference: string | null }>;
};

/**
 * The Stripe SDK, loaded on first use: servers on the local provider (every
 * demo) never load it, and loading it was ~0.15 s of every start (ADR 017).
 */
export function stripeClient(): Promise<Stripe> {
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY) return Promise.reject(new Error("STRIPE_SECRET_KEY is not set"));
  const key = env.STRIPE_SECRET_KEY;
  return singleton("stripe", () =>
    import("stripe").then(
      ({ default: StripeSdk }) =>
        new StripeSdk(key, {
          maxNetworkRetries: 2,
          appInfo: { name: "Crowdthread" },
          // Only set to reach a local test double; production talks to api.stripe.com.
          ...(env.STRIPE_API_HOST
            ? { host: env.STRIPE_API_HOST, port: env.STRIPE_API_PORT, protocol: env.STRIPE_API_PROTOCOL }
            : {}),
        }),
    ),
  );
}

const LABELS: Record<string, string> = { tee: "T-shirt", poster: "Poster" };

/** Stripe Tax's code for shipping charges, so it taxes them as shipping wherever that differs. */
const SHIPPING_TAX_CODE = "txcd_92010001";

/** Whether new orders are taxed by Stripe Tax in Checkout rather than at the admins' rates. */
export function taxedByStripe(): boolean {
  const env = getEnv();
  return Boolean(env.STRIPE_SECRET_KEY) && env.STRIPE_AUTOMATIC_TAX;
}

/**
 * The order's lines as Checkout shows and charges them: its items, then
 * shipping and (with the admins' rates) tax as lines of their own, so that
 * the store-credit coupon, which only discounts line items, can pay toward
 * all of it, as it does with the local provider. The sum of the lines minus
 * the coupon is the order's amount due.
 */
function checkoutLines(order: CheckoutOrder): Stripe.Checkout.SessionCreateParams.LineItem[] {
  const stripeTax = order.taxSource === "stripe";
  const behaviour = stripeTax ? { tax_behavior: "exclusive" as const } : {};
  const lines: Stripe.Checkout.SessionCreateParams.LineItem[] = order.items.map((item) => ({
    quantity: item.quantity,
    price_data: {
      currency: order.currency,
      unit_amount: item.unitPriceCents,
      product_data: { name: `${item.title} ${LABELS[item.productType] ?? item.productType} (${item.size})` },
      ...behaviour,
    },
  }));
  if (order.shippingCents > 0)
    lines.push({
      quantity: 1,
      price_data: {
        currency: order.currency,
        unit_amount: order.shippingCents,
        product_data: { name: "Shipping", ...(stripeTax ? { tax_code: SHIPPING_TAX_CODE } : {}) },
        ...behaviour,
      },
    });
  if (!stripeTax && order.taxCents > 0)
    lines.push({
      quantity: 1,
      price_data: { currency: order.currency, unit_amount: order.taxCents, product_data: { name: "Tax" } },
    });
  return lines;
}

const stripeProvider: PaymentsProvider = {
  name: "stripe",
  async startCheckout(order, origin) {
    const stripe = await stripeClient();
    const discounts: Stripe.Checkout.SessionCreateParams.Discount[] = [];
    if (order.creditCents > 0) {
      // Store credit covers part of the order: a one-off coupon for exactly that amount.
      const coupon = await stripe.coupons.create(
        {
          amount_off: order.creditCents,
          currency: order.currency,
          duration: "once",
          max_redemptions: 1,
          name: "Crowdthread store credit",
        },
        { idempotencyKey: `credit-coupon:${order.id}` },
      );
      discounts.push({ coupon: coupon.id });
    }
    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        client_reference_id: order.id,
        metadata: { orderId: order.id },
        payment_intent_data: { metadata: { orderId: order.id } },
        line_items: checkoutLines(order),
        ...(order.taxSource === "stripe" ? { automatic_tax: { enabled: true } } : {}),
        ...(discounts.length ? { discounts } : {}),
        success_url: `${origin}/orders/${order.id}?checkout=success`,
        cancel_url: `${origin}/orders/${order.id}?checkout=cancelled`,
      },
      { idempotencyKey: `checkout:${order.id}` },
    );
    if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
    return { redirectUrl: session.url, reference: session.id };
  },
};

const localProvider: PaymentsProvider = {
  name: "local",
  async startCheckout(order) {
    return { redirectUrl: `/orders/${order.id}/pay`, reference: null };
  },
};

export function paymentsProvider(): PaymentsProvider {
  return getEnv().STRIPE_SECRET_KEY ? stripeProvider : localProvider;
}

/** Refunds a Stripe payment in full; the charge.refunded webhook that follows finds the order refunded already. */
/**
 * Refunds `amountCents` of an order's card payment. The idempotency key names
 * the card's running refund total after this one, so a retried request is
 * one refund, and the next part refund is a new one.
 */
export async function refundStripePayment(
  orderId: string,
  paymentIntentId: string,
  amountCents: number,
  cardRefundedAfterCents: number,
) {
  const stripe = await stripeClient();
  await stripe.refunds.create(
    { payment_intent: paymentIntentId, amount: amountCents, metadata: { orderId } },
    { idempotencyKey: `refund:${orderId}:${cardRefundedAfterCents}` },
  );
}

/** A webhook's event if its signature holds for this body and secret; null when it does not. */
export async function verifyStripeEvent(body: string, signature: string, secret: string): Promise<Stripe.Event | null> {
  const stripe = await stripeClient();
  try {
    return stripe.webhooks.constructEvent(body, signature, secret);
  } catch {
    return null;
  }
}

/** Stripe Connect: an Express account for a designer, and the onboarding link that sets it up. */
export async function createExpressAccount(userId: string, email: string): Promise<string> {
  const stripe = await stripeClient();
  const account = await stripe.accounts.create(
    { type: "express", email, metadata: { userId }, capabilities: { transfers: { requested: true } } },
    { idempotencyKey: `express-account:${userId}` },
  );
  return account.id;
}

export async function onboardingLink(accountId: string, origin: string): Promise<string> {
  const stripe = await stripeClient();
  const link = await stripe.accountLinks.create({
    account: accountId,
    type: "account_onboarding",
    refresh_url: `${origin}/account/payouts?connect=refresh`,
    return_url: `${origin}/account/payouts?connect=done`,
  });
  return link.url;
}

/** Sends a designer's payout to their connected account. */
export async function stripeTransfer(input: {
  payoutId: string;
  accountId: string;
  amountCents: number;
  currency: string;
}) {
  const stripe = await stripeClient();
  const transfer = await stripe.transfers.create(
    {
      amount: input.amountCents,
      currency: input.currency,
      destination: input.accountId,
      metadata: { payoutId: input.payoutId },
    },
    { idempotencyKey: `payout:${input.payoutId}` },
  );
  return { transferId: transfer.id };
}
