import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import {
  auditLog,
  carts,
  comments,
  emailChanges,
  favourites,
  follows,
  notifications,
  orders,
  outgoingMail,
  passwordResets,
  payoutRequests,
  products,
  proposals,
  proposalSupports,
  rateLimits,
  reports,
  rounds,
  savedAddresses,
  signupNetworks,
  sessions,
  submissions,
  users,
} from "#db/schema";
import { db } from "~/lib/db.server";
import { verifyPassword } from "~/lib/password.server";
import { recordAudit } from "./audit.server";
import { cancelOrder } from "./orders.server";
import { discardAvatarFiles } from "./profiles.server";
import { TRENDING_WINDOW_MS } from "./proposal-notices.server";
import { fail, ok, type Outcome } from "./outcome";

/** The placeholder a deleted member's orders ship to in the records. */
export const DELETED_NAME = "Deleted member";

/**
 * Deletes a member: everything that identifies them goes, while the rows the
 * law needs stay, anonymised: orders (amounts, items, country) and the
 * royalty ledger, which hang off the same user id, now with no name, email,
 * password or profile. Designs that already won stay in the published
 * results under the anonymous name; designs still in a round are withdrawn,
 * and their products leave the shop. Their proposals still open or in review
 * are withdrawn, and their supports go, taken off the counts of proposals
 * still taking support (a decided proposal keeps the count it was decided on).
 *
 * Refused while an order is still being made (its address is needed to ship
 * it) or a payout is waiting for a decision.
 */
export async function deleteAccount(userId: string, password: string, now = new Date()): Promise<Outcome> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!user) return fail("not_found", "That account does not exist.");
  if (!(await verifyPassword(user.passwordHash, password)))
    return fail("invalid", "That password is not right", { field: "password" });

  const blocking = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.buyerId, userId),
        eq(orders.status, "paid"),
        inArray(orders.fulfilment, ["unfulfilled", "in_production"]),
      ),
    )
    .limit(1);
  if (blocking.length)
    return fail(
      "conflict",
      "An order of yours is still being made. Once it has shipped you can delete your account (we need the address until then).",
    );
  const waiting = await db
    .select({ id: payoutRequests.id })
    .from(payoutRequests)
    .where(and(eq(payoutRequests.userId, userId), eq(payoutRequests.status, "requested")))
    .limit(1);
  if (waiting.length)
    return fail(
      "conflict",
      "A payout request of yours is waiting for a decision. Delete your account after it is paid or declined.",
    );

  // Unpaid orders are cancelled the usual way, which returns any store credit they held.
  const unpaid = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.buyerId, userId), eq(orders.status, "pending_payment")));
  for (const order of unpaid) await cancelOrder(order.id, { now });

  const anonymous = `deleted_${userId.replaceAll("-", "").slice(0, 12)}`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select ${users.id} from ${users} where ${users.id} = ${userId} for update`);
    await tx
      .update(users)
      .set({
        email: `${anonymous}@deleted.invalid`,
        username: anonymous,
        displayName: null,
        passwordHash: "!deleted",
        role: "member",
        stripeAccountId: null,
        payoutDestination: null,
        bio: "",
        links: [],
        avatar: null,
        notificationPrefs: {},
        deletedAt: now,
      })
      .where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(passwordResets).where(eq(passwordResets.userId, userId));
    await tx.delete(emailChanges).where(eq(emailChanges.userId, userId));
    await tx.delete(notifications).where(eq(notifications.userId, userId));
    await tx.delete(follows).where(or(eq(follows.followerId, userId), eq(follows.designerId, userId)));
    await tx.delete(favourites).where(eq(favourites.userId, userId));
    await tx.delete(carts).where(eq(carts.userId, userId));
    await tx.delete(savedAddresses).where(eq(savedAddresses.userId, userId));
    // The network they signed up from (a keyed hash, but still theirs).
    await tx.delete(signupNetworks).where(eq(signupNetworks.userId, userId));
    await tx.delete(outgoingMail).where(or(eq(outgoingMail.userId, userId), eq(outgoingMail.toAddress, user.email)));
    await tx
      .delete(rateLimits)
      .where(inArray(rateLimits.key, [`login:email:${user.email}`, `reset:email:${user.email}`]));
    await tx
      .update(comments)
      .set({ body: "[deleted]", deletedAt: now, authorId: null })
      .where(eq(comments.authorId, userId));
    await tx.update(reports).set({ note: "", reporterId: null }).where(eq(reports.reporterId, userId));
    // Paid payouts keep their amounts for the books, not where the money went.
    await tx.update(payoutRequests).set({ destination: null }).where(eq(payoutRequests.userId, userId));
    await tx
      .update(orders)
      .set({
        shippingName: DELETED_NAME,
        shippingLine1: "",
        shippingLine2: "",
        shippingCity: "",
        shippingPostalCode: "",
        trackingNumber: null,
      })
      .where(eq(orders.buyerId, userId));
    // A tracking number leads to the address at the carrier: the fulfilment audit entries lose it too.
    await tx
      .update(auditLog)
      .set({ detail: sql`${auditLog.detail} - 'trackingNumber'` })
      .where(
        and(
          eq(auditLog.subjectType, "order"),
          sql`${auditLog.subjectId} in (select ${orders.id}::text from ${orders} where ${orders.buyerId} = ${userId})`,
        ),
      );
    await tx
      .update(submissions)
      .set({ status: "withdrawn", withdrawnAt: now, critiqueWanted: false, updatedAt: now })
      .where(
        and(
          eq(submissions.designerId, userId),
          inArray(submissions.status, ["pending", "approved"]),
          sql`${submissions.roundId} in (select ${rounds.id} from ${rounds} where ${rounds.finalizedAt} is null)`,
        ),
      );
    await tx.update(products).set({ active: false }).where(eq(products.designerId, userId));
    await tx
      .update(proposals)
      .set({ status: "withdrawn", decidedAt: now })
      .where(and(eq(proposals.proposerId, userId), inArray(proposals.status, ["open", "review"])));
    // One support per member and proposal, so each proposal loses at most one; the counts are
    // read from the row being updated (re-read after a concurrent support's lock is released).
    const since = new Date(now.getTime() - TRENDING_WINDOW_MS).toISOString();
    await tx.execute(sql`
      with gone as (
        delete from ${proposalSupports} where ${proposalSupports.userId} = ${userId}
        returning ${proposalSupports.proposalId} as proposal_id, ${proposalSupports.createdAt} as created_at
      )
      update ${proposals} p
      set support_count = greatest(p.support_count - 1, 0),
          recent_support = case when gone.created_at > ${since}::timestamptz
                                then greatest(p.recent_support - 1, 0) else p.recent_support end
      from gone
      where p.id = gone.proposal_id and p.status in ('open', 'review')`);
    await recordAudit(tx, { actorId: null, action: "account.deleted", subjectType: "user", subjectId: userId });
  });
  await discardAvatarFiles(user.avatar, userId);
  return ok();
}
