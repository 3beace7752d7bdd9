/**
 * Many rows in one statement each, for tests of the lists that grow (orders,
 * payouts, notifications, reports, moderation decisions). Rows are created in
 * pairs that share their creation time, a microsecond apart from the next
 * pair, so an order by time alone would be ambiguous (the id must break the
 * tie) and a cursor that lost microseconds would skip or repeat rows. Each
 * returns the ids in creation order.
 */
import { sql, type SQL } from "drizzle-orm";
import { auditLog, notifications, orders, payoutRequests, reports } from "#db/schema";
import { db } from "~/lib/db.server";

/** The i-th row's creation time: pairs share one, each pair a microsecond after the last. */
export function listedAt(i: number): SQL<Date> {
  return sql<Date>`timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => ${Math.floor(i / 2)} * 0.000001)`;
}

/** Each row takes the next value of `values` in turn. */
const inTurn = <T>(values: readonly T[], i: number) => values[i % values.length]!;

export async function createManyOrders(options: {
  buyerIds: string[];
  count: number;
  statuses?: readonly ("pending_payment" | "paid" | "cancelled" | "refunded")[];
}): Promise<string[]> {
  const rows = await db
    .insert(orders)
    .values(
      Array.from({ length: options.count }, (_, i) => ({
        buyerId: inTurn(options.buyerIds, i),
        status: inTurn(options.statuses ?? (["paid"] as const), i),
        currency: "usd",
        subtotalCents: 2500 + i,
        amountDueCents: 2500 + i,
        provider: "local" as const,
        shippingName: `Buyer ${i}`,
        shippingLine1: "1 Listed Row",
        shippingCity: "London",
        shippingPostalCode: "N1 9GU",
        shippingCountry: "GB",
        createdAt: listedAt(i),
      })),
    )
    .returning({ id: orders.id });
  return rows.map((r) => r.id);
}

export async function createManyPayouts(options: {
  userIds: string[];
  count: number;
  statuses?: readonly ("requested" | "paid" | "failed" | "rejected")[];
}): Promise<string[]> {
  const rows = await db
    .insert(payoutRequests)
    .values(
      Array.from({ length: options.count }, (_, i) => ({
        userId: inTurn(options.userIds, i),
        amountCents: 1000 + i,
        currency: "usd",
        provider: "local" as const,
        status: inTurn(options.statuses ?? (["requested"] as const), i),
        createdAt: listedAt(i),
      })),
    )
    .returning({ id: payoutRequests.id });
  return rows.map((r) => r.id);
}

export async function createManyNotifications(options: {
  userId: string;
  count: number;
  read?: boolean;
}): Promise<string[]> {
  const rows = await db
    .insert(notifications)
    .values(
      Array.from({ length: options.count }, (_, i) => ({
        userId: options.userId,
        kind: "comment",
        title: `Notice ${i}`,
        url: "/notifications",
        createdAt: listedAt(i),
        readAt: options.read ? new Date() : null,
      })),
    )
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

export async function createManyReports(options: {
  reporterId: string;
  subjectId: string;
  count: number;
  status?: "open" | "resolved" | "dismissed";
}): Promise<string[]> {
  const rows = await db
    .insert(reports)
    .values(
      Array.from({ length: options.count }, (_, i) => ({
        reporterId: options.reporterId,
        subjectType: "user" as const,
        subjectId: options.subjectId,
        reason: "spam" as const,
        note: `Report ${i}`,
        status: options.status ?? "open",
        createdAt: listedAt(i),
      })),
    )
    .returning({ id: reports.id });
  return rows.map((r) => r.id);
}

/** Audit lines: moderation decisions by default, or any other `action`. */
export async function createManyAuditLines(options: {
  actorId: string;
  count: number;
  actions?: readonly string[];
}): Promise<string[]> {
  const rows = await db
    .insert(auditLog)
    .values(
      Array.from({ length: options.count }, (_, i) => ({
        actorId: options.actorId,
        action: inTurn(options.actions ?? ["submission.approved", "submission.rejected"], i),
        subjectType: "submission",
        subjectId: `00000000-0000-4000-8000-${i.toString().padStart(12, "0")}`,
        detail: { title: `Decided ${i}` },
        createdAt: listedAt(i),
      })),
    )
    .returning({ id: auditLog.id });
  return rows.map((r) => r.id);
}
