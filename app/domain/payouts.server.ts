import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { ledgerEntries, payoutRequests, users, type PayoutDestination } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { formatMoney } from "~/lib/format";
import { afterKey, pageOf, pageWithPlaces, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { createExpressAccount, onboardingLink, stripeTransfer } from "~/lib/payments.server";
import { recordAudit } from "./audit.server";
import { availableCredit } from "./ledger.server";
import { notify } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage } from "./page";

/** Sends money to a connected account; the Stripe adapter implements it, tests may stub it. */
export type TransferFn = (input: {
  payoutId: string;
  accountId: string;
  amountCents: number;
  currency: string;
}) => Promise<{ transferId: string }>;

/** A payout asked for: waiting for an admin (local provider) or already sent (Stripe). */
export type PayoutStarted = { payoutId: string; status: "requested" | "paid" };

/**
 * A designer asks for their whole cleared balance. The amount leaves the
 * ledger at once (so it cannot also be spent as credit), under the same
 * per-member lock as credit spending. With Stripe it is transferred straight
 * away; with the local provider it waits for an admin to pay it by hand.
 */
export async function requestPayout(
  userId: string,
  options: { transfer?: TransferFn; now?: Date; destination?: PayoutDestination | null } = {},
): Promise<Outcome<PayoutStarted>> {
  const env = getEnv();
  const now = options.now ?? new Date();
  // With Stripe configured, payouts go to the member's connected account.
  const transfer = options.transfer ?? (env.STRIPE_SECRET_KEY ? stripeTransfer : undefined);
  const viaStripe = Boolean(transfer);
  // By hand, the admin needs to know where to send the money.
  const destination = viaStripe ? null : (options.destination ?? null);
  if (!viaStripe && !destination)
    return fail("invalid", "Tell us where to send the money: a PayPal address or bank details.", { field: "method" });
  const reserved = await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, stripeAccountId: users.stripeAccountId })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) return fail("not_found", "There is no such account.");
    if (viaStripe && !user.stripeAccountId)
      return fail("conflict", "Connect your Stripe account first, so we know where to send the money.");
    const available = await availableCredit(tx, userId, now);
    if (available < env.PAYOUT_MINIMUM_CENTS) {
      return fail(
        "conflict",
        `Payouts start at ${formatMoney(env.PAYOUT_MINIMUM_CENTS)}; your cleared balance is ${formatMoney(Math.max(0, available))}.`,
      );
    }
    const [payout] = await tx
      .insert(payoutRequests)
      .values({
        userId,
        amountCents: available,
        currency: "usd",
        provider: viaStripe ? "stripe" : "local",
        destination,
        createdAt: now,
      })
      .returning({ id: payoutRequests.id });
    // Remembered for the next request.
    if (destination) await tx.update(users).set({ payoutDestination: destination }).where(eq(users.id, userId));
    await tx.insert(ledgerEntries).values({
      userId,
      kind: "payout",
      amountCents: -available,
      currency: "usd",
      causeKey: `payout:${payout!.id}`,
      memo: `Payout ${payout!.id.slice(0, 8)}`,
      createdAt: now,
    });
    return ok({ payoutId: payout!.id, amountCents: available, accountId: user.stripeAccountId });
  });
  if (!reserved.ok) return reserved;
  const { payoutId, amountCents, accountId } = reserved.value;
  if (!transfer) return ok({ payoutId, status: "requested" as const });
  try {
    const { transferId } = await transfer({ payoutId, accountId: accountId!, amountCents, currency: "usd" });
    await db
      .update(payoutRequests)
      .set({ status: "paid", transferId, decidedAt: new Date() })
      .where(eq(payoutRequests.id, payoutId));
    return ok({ payoutId, status: "paid" as const });
  } catch (error) {
    await returnPayout(db, payoutId, "failed", null, error instanceof Error ? error.message : String(error));
    return fail(
      "unavailable",
      "Stripe could not send the payout; your balance is unchanged. Check your Stripe account and try again.",
    );
  }
}

/** Puts an unpaid payout's money back in the member's balance (rejected by an admin, or failed). */
async function returnPayout(
  runner: DbOrTx,
  payoutId: string,
  status: "failed" | "rejected",
  actorId: string | null,
  note: string,
): Promise<{ userId: string; amountCents: number; currency: string } | null> {
  return runner.transaction(async (tx) => {
    const [payout] = await tx.select().from(payoutRequests).where(eq(payoutRequests.id, payoutId)).for("update");
    if (!payout || payout.status !== "requested") return null;
    await tx
      .update(payoutRequests)
      .set({ status, note, decidedById: actorId, decidedAt: new Date() })
      .where(eq(payoutRequests.id, payoutId));
    await tx
      .insert(ledgerEntries)
      .values({
        userId: payout.userId,
        kind: "payout",
        amountCents: payout.amountCents,
        currency: payout.currency,
        causeKey: `payout-returned:${payoutId}`,
        memo: `Payout ${payoutId.slice(0, 8)} ${status}: returned to your balance`,
      })
      .onConflictDoNothing();
    return payout;
  });
}

/** Local provider: the admin sent the money by other means and records it. */
export async function markPayoutPaid(payoutId: string, adminId: string, note: string): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const [paid] = await tx
      .update(payoutRequests)
      .set({ status: "paid", note, decidedById: adminId, decidedAt: new Date() })
      .where(
        and(
          eq(payoutRequests.id, payoutId),
          eq(payoutRequests.status, "requested"),
          eq(payoutRequests.provider, "local"),
        ),
      )
      .returning({
        userId: payoutRequests.userId,
        amountCents: payoutRequests.amountCents,
        currency: payoutRequests.currency,
      });
    if (!paid) return fail("conflict", "That payout is not waiting");
    await recordAudit(tx, {
      actorId: adminId,
      action: "payout.paid",
      subjectType: "payout",
      subjectId: payoutId,
      detail: { note },
    });
    await notify(tx, {
      userId: paid.userId,
      actorId: adminId,
      kind: "payout_decided",
      title: `Your payout of ${formatMoney(paid.amountCents, paid.currency)} was sent${note ? `: ${note}` : "."}`,
      url: "/account/payouts",
    });
    return ok();
  });
}

/** A payout as an admin's decision names it: the amount and to whom; null when there is none. */
export async function payoutForDecision(payoutId: string) {
  const [payout] = await db
    .select({
      id: payoutRequests.id,
      amountCents: payoutRequests.amountCents,
      currency: payoutRequests.currency,
      status: payoutRequests.status,
      username: users.username,
    })
    .from(payoutRequests)
    .innerJoin(users, eq(users.id, payoutRequests.userId))
    .where(eq(payoutRequests.id, payoutId))
    .limit(1);
  return payout ?? null;
}

/** An admin declines a waiting payout: the money goes back to the member's balance, and they are told why. */
export async function rejectPayout(payoutId: string, adminId: string, note: string): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const returned = await returnPayout(tx, payoutId, "rejected", adminId, note);
    if (!returned) return fail("conflict", "That payout is not waiting");
    await notify(tx, {
      userId: returned.userId,
      actorId: adminId,
      kind: "payout_decided",
      title: `Your payout of ${formatMoney(returned.amountCents, returned.currency)} was declined: ${note.replace(/[.!\s]+$/, "")}. The money is back in your balance.`,
      url: "/account/payouts",
    });
    return ok();
  });
}

/** The member's payouts page: what they may ask for, how, and what they asked for before. */
export async function payoutOverview(userId: string, options: PayoutListOptions & { now?: Date } = {}) {
  const env = getEnv();
  const [available, history, account] = await Promise.all([
    availableCredit(db, userId, options.now ?? new Date()),
    payoutsFor(userId, options),
    stripeAccountOf(userId),
  ]);
  return {
    availableCents: Math.max(0, available),
    minimumCents: env.PAYOUT_MINIMUM_CENTS,
    provider: env.STRIPE_SECRET_KEY ? ("stripe" as const) : ("local" as const),
    connected: Boolean(account?.stripeAccountId),
    /** The member's own saved PayPal address or bank details, to fill the form with. */
    savedDestination: account?.payoutDestination ?? null,
    history,
  };
}

/** A payout list's cursor: the last request's (created_at, id); ties on time are broken by id. */
export const payoutCursor = z.tuple([timestampKeyShape, z.uuid()]);
type PayoutListOptions = { after?: z.output<typeof payoutCursor>; size?: number };

import { PAYOUT_STATUSES } from "./payout-forms";
export { PAYOUT_STATUSES };
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** A member's payout requests, newest first, a page at a time (payout_requests_user_idx). */
export async function payoutsFor(userId: string, options: PayoutListOptions = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: payoutRequests.id,
      amountCents: payoutRequests.amountCents,
      currency: payoutRequests.currency,
      status: payoutRequests.status,
      note: payoutRequests.note,
      createdAt: payoutRequests.createdAt,
      key: timestampKey(payoutRequests.createdAt),
    })
    .from(payoutRequests)
    .where(
      and(
        eq(payoutRequests.userId, userId),
        afterKey([payoutRequests.createdAt, payoutRequests.id], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(payoutRequests.createdAt), desc(payoutRequests.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...payout }) => payout,
  );
}

/**
 * Payout requests for admins, all or in one status, a page at a time
 * (payout_requests_created_idx, payout_requests_status_created_idx). Those
 * waiting run oldest first, so the longest wait is paid first; every other
 * list runs newest first. Each request carries its place, so a decision
 * returns the admin to its page, and, for the local provider, where the
 * member asked for the money to go: for the admin who sends it, no one else.
 */
export async function payoutsForAdmin(filter: { status?: PayoutStatus } & PayoutListOptions = {}) {
  const size = filter.size ?? PAGE_SIZE;
  const direction = filter.status === "requested" ? "asc" : "desc";
  const by = direction === "asc" ? asc : desc;
  const rows = await db
    .select({
      id: payoutRequests.id,
      amountCents: payoutRequests.amountCents,
      currency: payoutRequests.currency,
      provider: payoutRequests.provider,
      status: payoutRequests.status,
      transferId: payoutRequests.transferId,
      note: payoutRequests.note,
      destination: payoutRequests.destination,
      createdAt: payoutRequests.createdAt,
      username: users.username,
      email: users.email,
      key: timestampKey(payoutRequests.createdAt),
    })
    .from(payoutRequests)
    .innerJoin(users, eq(users.id, payoutRequests.userId))
    .where(
      and(
        filter.status ? eq(payoutRequests.status, filter.status) : undefined,
        afterKey([payoutRequests.createdAt, payoutRequests.id], filter.after, direction, ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(by(payoutRequests.createdAt), by(payoutRequests.id))
    .limit(size + 1);
  return mapPage(
    pageWithPlaces(rows, size, (r) => [r.key, r.id], filter.after),
    ({ key: _key, ...payout }) => payout,
  );
}

/**
 * Where to send a member to set up (or finish setting up) the Stripe account
 * their payouts go to; the account is created once and kept. `origin` is the
 * public origin Stripe sends them back to.
 */
export async function startStripeOnboarding(
  user: { id: string; email: string },
  origin: string,
): Promise<Outcome<string>> {
  if (!getEnv().STRIPE_SECRET_KEY) return fail("conflict", "Stripe is not configured on this shop.");
  try {
    let accountId = (await stripeAccountOf(user.id))?.stripeAccountId;
    if (!accountId) {
      accountId = await createExpressAccount(user.id, user.email);
      await db.update(users).set({ stripeAccountId: accountId }).where(eq(users.id, user.id));
    }
    return ok(await onboardingLink(accountId, origin));
  } catch {
    return fail("unavailable", "Stripe could not be reached; try connecting again in a moment.");
  }
}

export async function stripeAccountOf(userId: string) {
  const [row] = await db
    .select({ stripeAccountId: users.stripeAccountId, email: users.email, payoutDestination: users.payoutDestination })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}
