import { eq } from "drizzle-orm";
import {
  ballots,
  comments,
  favourites,
  follows,
  ledgerEntries,
  notifications,
  orderItems,
  orders,
  outgoingMail,
  payoutRequests,
  proposals,
  proposalSupports,
  reports,
  savedAddresses,
  sessions,
  submissions,
  users,
} from "#db/schema";
import { db } from "~/lib/db.server";
import { publicAvatar, publicUrl, withPublicArtwork } from "~/lib/storage.server";

/**
 * Everything kept about a member, as JSON they can download: account,
 * devices, designs, ballots, comments, follows, orders, ledger, payouts,
 * reports they filed, notifications, saved designs and addresses, the round
 * proposals they made and supported, and the email we sent or will send them.
 * Secrets (password and session hashes) are left out.
 */
export async function exportPersonalData(userId: string) {
  const [account] = await db
    .select({
      id: users.id,
      email: users.email,
      username: users.username,
      displayName: users.displayName,
      bio: users.bio,
      links: users.links,
      avatar: users.avatar,
      notificationPreferences: users.notificationPrefs,
      role: users.role,
      createdAt: users.createdAt,
      stripeAccountId: users.stripeAccountId,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) return null;
  const [devices, designs, myBallots, myComments, following, myOrders, items, ledger, payouts, filed, inbox, mail] =
    await Promise.all([
      db
        .select({ createdAt: sessions.createdAt, lastActiveAt: sessions.lastActiveAt, userAgent: sessions.userAgent })
        .from(sessions)
        .where(eq(sessions.userId, userId)),
      db
        .select({
          id: submissions.id,
          roundId: submissions.roundId,
          title: submissions.title,
          description: submissions.description,
          tags: submissions.tags,
          status: submissions.status,
          images: submissions.images,
          createdAt: submissions.createdAt,
        })
        .from(submissions)
        .where(eq(submissions.designerId, userId)),
      db
        .select({
          submissionId: ballots.submissionId,
          score: ballots.score,
          wouldBuy: ballots.wouldBuy,
          updatedAt: ballots.updatedAt,
        })
        .from(ballots)
        .where(eq(ballots.voterId, userId)),
      db
        .select({
          id: comments.id,
          submissionId: comments.submissionId,
          productId: comments.productId,
          proposalId: comments.proposalId,
          body: comments.body,
          createdAt: comments.createdAt,
        })
        .from(comments)
        .where(eq(comments.authorId, userId)),
      db
        .select({ designerId: follows.designerId, since: follows.createdAt })
        .from(follows)
        .where(eq(follows.followerId, userId)),
      db.select().from(orders).where(eq(orders.buyerId, userId)),
      db
        .select({
          orderId: orderItems.orderId,
          title: orderItems.title,
          productType: orderItems.productType,
          size: orderItems.size,
          unitPriceCents: orderItems.unitPriceCents,
          quantity: orderItems.quantity,
        })
        .from(orderItems)
        .innerJoin(orders, eq(orders.id, orderItems.orderId))
        .where(eq(orders.buyerId, userId)),
      db
        .select({
          kind: ledgerEntries.kind,
          amountCents: ledgerEntries.amountCents,
          currency: ledgerEntries.currency,
          memo: ledgerEntries.memo,
          clearsAt: ledgerEntries.clearsAt,
          createdAt: ledgerEntries.createdAt,
        })
        .from(ledgerEntries)
        .where(eq(ledgerEntries.userId, userId)),
      db
        .select({
          amountCents: payoutRequests.amountCents,
          status: payoutRequests.status,
          createdAt: payoutRequests.createdAt,
        })
        .from(payoutRequests)
        .where(eq(payoutRequests.userId, userId)),
      db
        .select({
          subjectType: reports.subjectType,
          subjectId: reports.subjectId,
          reason: reports.reason,
          note: reports.note,
          createdAt: reports.createdAt,
        })
        .from(reports)
        .where(eq(reports.reporterId, userId)),
      db
        .select({
          kind: notifications.kind,
          title: notifications.title,
          createdAt: notifications.createdAt,
          readAt: notifications.readAt,
        })
        .from(notifications)
        .where(eq(notifications.userId, userId)),
      db
        .select({
          to: outgoingMail.toAddress,
          subject: outgoingMail.subject,
          category: outgoingMail.category,
          status: outgoingMail.status,
          createdAt: outgoingMail.createdAt,
          sentAt: outgoingMail.sentAt,
        })
        .from(outgoingMail)
        .where(eq(outgoingMail.userId, userId)),
    ]);
  const addresses = await db
    .select({
      name: savedAddresses.name,
      line1: savedAddresses.line1,
      line2: savedAddresses.line2,
      city: savedAddresses.city,
      region: savedAddresses.region,
      postalCode: savedAddresses.postalCode,
      country: savedAddresses.country,
      createdAt: savedAddresses.createdAt,
    })
    .from(savedAddresses)
    .where(eq(savedAddresses.userId, userId));
  const saved = await db
    .select({ submissionId: favourites.submissionId, savedAt: favourites.createdAt })
    .from(favourites)
    .where(eq(favourites.userId, userId));
  const proposed = await db
    .select({
      id: proposals.id,
      title: proposals.title,
      brief: proposals.brief,
      productTypes: proposals.productTypes,
      status: proposals.status,
      supportCount: proposals.supportCount,
      moodImages: proposals.moodImages,
      createdAt: proposals.createdAt,
      editedAt: proposals.editedAt,
      decidedAt: proposals.decidedAt,
    })
    .from(proposals)
    .where(eq(proposals.proposerId, userId));
  const supported = await db
    .select({
      proposalId: proposalSupports.proposalId,
      title: proposals.title,
      supportedAt: proposalSupports.createdAt,
    })
    .from(proposalSupports)
    .innerJoin(proposals, eq(proposals.id, proposalSupports.proposalId))
    .where(eq(proposalSupports.userId, userId));
  return {
    exportedAt: new Date().toISOString(),
    account: {
      ...account,
      avatar: account.avatar ? publicAvatar(account.avatar) : null,
    },
    devices,
    designs: designs.map(withPublicArtwork),
    ballots: myBallots,
    comments: myComments,
    following,
    favourites: saved,
    proposals: proposed.map(({ moodImages, ...p }) => ({
      ...p,
      moodImages: moodImages.map((m) => ({ large: publicUrl(m.large), small: publicUrl(m.small) })),
    })),
    proposalSupports: supported,
    orders: myOrders.map((o) => ({ ...o, items: items.filter((i) => i.orderId === o.id) })),
    ledger,
    payouts,
    reportsFiled: filed,
    notifications: inbox,
    email: mail,
    savedAddresses: addresses,
  };
}
