/**
 * Refunds in part or in full, as arithmetic (ADR 008). An order was paid
 * partly by card (`amountDueCents`, through the provider) and partly with
 * store credit (`creditCents`). A refund returns both parts in proportion,
 * and takes back from each designer the same share of their royalty. What
 * has been refunded so far is kept as two running totals on the order, so a
 * replayed or late event, which would only repeat an earlier total, changes
 * nothing.
 */
export type PaidParts = { amountDueCents: number; creditCents: number };
export type Refunded = { cardCents: number; creditCents: number };

export function orderTotal(order: PaidParts): number {
  return order.amountDueCents + order.creditCents;
}

export function refundedTotal(refunded: Refunded): number {
  return refunded.cardCents + refunded.creditCents;
}

/**
 * A refund of `amountCents` more (of what is left), split between card and
 * credit in proportion to what is left of each; the card part is rounded to
 * the nearest cent and the credit part takes the rest.
 */
export function splitRefund(order: PaidParts, already: Refunded, amountCents: number): Refunded {
  const cardLeft = order.amountDueCents - already.cardCents;
  const creditLeft = order.creditCents - already.creditCents;
  const left = cardLeft + creditLeft;
  if (amountCents >= left) return { cardCents: cardLeft, creditCents: creditLeft };
  const card = Math.min(cardLeft, Math.round((amountCents * cardLeft) / left));
  // The rest is credit; rounding can never push it past what is left of the credit, since amount < left.
  const credit = Math.min(creditLeft, amountCents - card);
  return { cardCents: amountCents - credit, creditCents: credit };
}

/**
 * Where a refund reported by the card provider leaves the order: the card's
 * running total as the provider says, and the credit returned in the same
 * proportion (never less than was already returned).
 */
export function refundedAfterProvider(order: PaidParts, already: Refunded, cardRefundedCents: number): Refunded {
  const card = Math.max(already.cardCents, Math.min(cardRefundedCents, order.amountDueCents));
  const credit =
    card >= order.amountDueCents
      ? order.creditCents
      : order.amountDueCents === 0
        ? already.creditCents
        : Math.floor((order.creditCents * card) / order.amountDueCents);
  return { cardCents: card, creditCents: Math.max(already.creditCents, credit) };
}

/**
 * How much of a royalty a refund of `refundedCents` of `totalCents` takes
 * back: the same share, rounded down (a designer never loses more than the
 * refund's share), and all of it once the whole order is refunded.
 */
export function royaltyReversed(royaltyCents: number, refundedCents: number, totalCents: number): number {
  if (totalCents <= 0 || refundedCents >= totalCents) return royaltyCents;
  return Math.floor((royaltyCents * refundedCents) / totalCents);
}
