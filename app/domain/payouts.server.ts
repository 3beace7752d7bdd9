import { and, desc, eq } from "drizzle-orm";
import { ledgerEntries, payoutRequests, users } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { recordAudit } from "./audit.server";
import { formatMoney } from "~/lib/format";
import { availableCredit } from "./orders.server";

/** Sends money to a connected account; the Stripe adapter implements it, tests may stub it. */
export type TransferFn = (input: {
  payoutId: string;
  accountId: string;
  amountCents: number;
  currency: string;
}) => Promise<{ transferId: string }>;

export type PayoutResult =
  { ok: true; payoutId: string; status: "requested" | "paid" } | { ok: false; message: string };

/**
 * A designer asks for their whole cleared balance. The amount leaves the
 * ledger at once (so it cannot also be spent as credit), under the same
 * per-member lock as credit spending. With Stripe it is transferred straight
 * away; with the local provider it waits for an admin to pay it by hand.
 */
export async function requestPayout(
  userId: string,
  options: { transfer?: TransferFn; now?: Date } = {},
): Promise<PayoutResult> {
  const env = getEnv();
  const now = options.now ?? new Date();
  const viaStripe = Boolean(options.transfer);
  const reserved = await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, stripeAccountId: users.stripeAccountId })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) return { ok: false as const, message: "There is no such account." };
    if (viaStripe && !user.stripeAccountId)
      return { ok: false as const, message: "Connect your Stripe account first, so we know where to send the money." };
    const available = await availableCredit(tx, userId, now);
    if (available < env.PAYOUT_MINIMUM_CENTS) {
      return {
        ok: false as const,
        message: `Payouts start at ${formatMoney(env.PAYOUT_MINIMUM_CENTS)}; your cleared balance is ${formatMoney(Math.max(0, available))}.`,
      };
    }
    const [payout] = await tx
      .insert(payoutRequests)
      .values({
        userId,
        amountCents: available,
        currency: "usd",
        provider: viaStripe ? "stripe" : "local",
        createdAt: now,
      })
      .returning({ id: payoutRequests.id });
    await tx.insert(ledgerEntries).values({
      userId,
      kind: "payout",
      amountCents: -available,
      currency: "usd",
      causeKey: `payout:${payout!.id}`,
      memo: `Payout ${payout!.id.slice(0, 8)}`,
      createdAt: now,
    });
    return { ok: true as const, payoutId: payout!.id, amountCents: available, accountId: user.stripeAccountId };
  });
  if (!reserved.ok) return reserved;
  if (!options.transfer) return { ok: true, payoutId: reserved.payoutId, status: "requested" };
  try {
    const { transferId } = await options.transfer({
      payoutId: reserved.payoutId,
      accountId: reserved.accountId!,
      amountCents: reserved.amountCents,
      currency: "usd",
    });
    await db
      .update(payoutRequests)
      .set({ status: "paid", transferId, decidedAt: new Date() })
      .where(eq(payoutRequests.id, reserved.payoutId));
    return { ok: true, payoutId: reserved.payoutId, status: "paid" };
  } catch (error) {
    await returnPayout(db, reserved.payoutId, "failed", null, error instanceof Error ? error.message : String(error));
    return {
      ok: false,
      message: "Stripe could not send the payout; your balance is unchanged. Check your Stripe account and try again.",
    };
  }
}

/** Puts an unpaid payout's money back in the member's balance (rejected by an admin, or failed). */
async function returnPayout(
  runner: DbOrTx,
  payoutId: string,
  status: "failed" | "rejected",
  actorId: string | null,
  note: string,
) {
  await runner.transaction(async (tx) => {
    const [payout] = await tx.select().from(payoutRequests).where(eq(payoutRequests.id, payoutId)).for("update");
    if (!payout || payout.status !== "requested") return;
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
  });
}

/** Local provider: the admin sent the money by other means and records it. */
export async function markPayoutPaid(payoutId: string, adminId: string, note: string) {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(payoutRequests)
      .set({ status: "paid", note, decidedById: adminId, decidedAt: new Date() })
      .where(
        and(
          eq(payoutRequests.id, payoutId),
          eq(payoutRequests.status, "requested"),
          eq(payoutRequests.provider, "local"),
        ),
      )
      .returning({ status: payoutRequests.status });
    if (updated.length)
      await recordAudit(tx, {
        actorId: adminId,
        action: "payout.paid",
        subjectType: "payout",
        subjectId: payoutId,
        detail: { note },
      });
    return updated.length > 0;
  });
}

export async function rejectPayout(payoutId: string, adminId: string, note: string) {
  await returnPayout(db, payoutId, "rejected", adminId, note);
}

export async function payoutsFor(userId: string) {
  return db
    .select()
    .from(payoutRequests)
    .where(eq(payoutRequests.userId, userId))
    .orderBy(desc(payoutRequests.createdAt));
}

export async function allPayouts() {
  return db
    .select({
      id: payoutRequests.id,
      amountCents: payoutRequests.amountCents,
      currency: payoutRequests.currency,
      provider: payoutRequests.provider,
      status: payoutRequests.status,
      transferId: payoutRequests.transferId,
      note: payoutRequests.note,
      createdAt: payoutRequests.createdAt,
      username: users.username,
      email: users.email,
    })
    .from(payoutRequests)
    .innerJoin(users, eq(users.id, payoutRequests.userId))
    .orderBy(desc(payoutRequests.createdAt))
    .limit(200);
}

export async function setStripeAccount(userId: string, accountId: string) {
  await db.update(users).set({ stripeAccountId: accountId }).where(eq(users.id, userId));
}

export async function stripeAccountOf(userId: string) {
  const [row] = await db
    .select({ stripeAccountId: users.stripeAccountId, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}
