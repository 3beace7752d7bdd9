import { randomUUID } from "node:crypto";
import { and, eq, gte, sql } from "drizzle-orm";
import { orderItems, shareEvents, signupNetworks, submissions, users, type ShareEventKind } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { keyedHash } from "~/lib/keyed-hash.server";
import type { ShareArrival } from "~/lib/share-cookie.server";
import { networkPrefix } from "./integrity";

/**
 * Share links: every design and product page offers its address with the
 * designer's code (`?ref=<code>`). What arrives through one is credited to
 * the designer, first touch within SHARE_WINDOW_DAYS: a visit (each visitor
 * once a day), a sign-up, a ballot, a paid order of the designer's own work.
 * The designer sees counts per day and nothing else: no names, no orders, no
 * amounts, so attribution tells nobody who bought or voted what.
 */

/** A ballot cast this soon after its voter first arrived through a share link is marked for the integrity view. */
export const RECENT_ARRIVAL_HOURS = 48;

/** A share code, as the users table makes them (ten hex digits). */
export const SHARE_CODE = /^[0-9a-f]{10}$/;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** The page's address with the designer's code on it. */
export function shareLink(url: string, shareCode: string): string {
  const link = new URL(url);
  link.searchParams.set("ref", shareCode);
  return link.href;
}

export async function shareCodeOf(userId: string): Promise<string | null> {
  const [row] = await db.select({ code: users.shareCode }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.code ?? null;
}

/**
 * A page of `designer`'s work was opened with `ref` on its address. It counts
 * as a visit through their link only when `ref` is their own code and the
 * viewer is not the designer (another designer's code, a malformed one, or
 * the designer looking at their own page change nothing). The visit is
 * counted for the visitor the browser already names, or a new one; the
 * arrival to remember is returned only when the browser had none: first
 * touch, so a later link never takes the credit (ADR 018).
 */
export async function creditShareVisit(input: {
  ref: string;
  designer: { id: string; shareCode: string };
  viewerId: string | null;
  /** The arrival this browser already carries, if any. */
  earlier: ShareArrival | null;
  now?: Date;
}): Promise<ShareArrival | null> {
  const now = input.now ?? new Date();
  const { ref, designer } = input;
  if (!SHARE_CODE.test(ref) || ref !== designer.shareCode || input.viewerId === designer.id) return null;
  const visitorId = input.earlier?.visitorId ?? randomUUID();
  await recordShareVisit(designer.id, visitorId, now);
  return input.earlier ? null : { designerId: designer.id, visitorId, arrivedAt: now };
}

/** A visit through the designer's link: counted once per visitor per day (the unique index decides). */
export async function recordShareVisit(designerId: string, visitorId: string, now = new Date()) {
  await db
    .insert(shareEvents)
    .values({ designerId, kind: "visit", day: dayOf(now), key: visitorId, createdAt: now })
    .onConflictDoNothing();
}

/**
 * The keyed hash a sign-up's network is stored as: of its /24 (IPv4) or /48
 * (IPv6) prefix, under a key derived from the server secret (ADR 018).
 * Addresses of one network hash alike, so bursts of sign-ups can be counted
 * (app/domain/integrity.server.ts); without the secret the hash cannot be
 * turned back into a network by trying all 2^24 IPv4 prefixes, and the
 * address itself is never written anywhere.
 */
export function signupNetworkHash(clientIp: string): string {
  return keyedHash("signup-network-v1", networkPrefix(clientIp));
}

/** A sign-up from a browser that arrived through a share link; also stores the sign-up's network hash. */
export async function recordSignup(userId: string, clientIp: string, arrival: ShareArrival | null, now = new Date()) {
  await db
    .insert(signupNetworks)
    .values({ userId, networkHash: signupNetworkHash(clientIp), createdAt: now })
    .onConflictDoNothing();
  if (!arrival || arrival.designerId === userId) return;
  await db
    .insert(shareEvents)
    .values({ designerId: arrival.designerId, kind: "signup", day: dayOf(now), key: userId, createdAt: now })
    .onConflictDoNothing();
}

/**
 * A ballot cast by a member who arrived through a share link, for one of the
 * sharing designer's own designs: credited once per (design, voter), and
 * marked when they arrived less than 48 hours before, for the integrity view.
 * A ballot for anyone else's design is no concern of the link (as a sale is
 * only the designer's when it holds their work). The ballot counts as any other.
 */
export async function recordSharedBallot(
  arrival: ShareArrival,
  ballot: { voterId: string; submissionId: string },
  now = new Date(),
) {
  if (arrival.designerId === ballot.voterId) return;
  const recent = now.getTime() - arrival.arrivedAt.getTime() < RECENT_ARRIVAL_HOURS * 3_600_000;
  await db.execute(
    sql`insert into ${shareEvents} (designer_id, kind, day, key, round_id, submission_id, voter_id, recent_arrival, created_at)
      select ${arrival.designerId}, 'ballot', ${dayOf(now)}, ${`${ballot.submissionId}:${ballot.voterId}`}, ${submissions.roundId},
        ${submissions.id}, ${ballot.voterId}, ${recent}, ${now.toISOString()}::timestamptz
      from ${submissions} where ${submissions.id} = ${ballot.submissionId} and ${submissions.designerId} = ${arrival.designerId}
      on conflict do nothing`,
  );
}

/**
 * Inside the "order paid" transaction: the order came through a designer's
 * share link and holds some of that designer's work, so it is their sale.
 * Only orders with their own products count: the designer already sees those
 * sales in their royalties, so the count tells them nothing about what
 * anyone bought from others.
 */
export async function recordSharedSale(tx: DbOrTx, orderId: string, shareDesignerId: string, now = new Date()) {
  const [own] = await tx
    .select({ id: orderItems.id })
    .from(orderItems)
    .where(and(eq(orderItems.orderId, orderId), eq(orderItems.designerId, shareDesignerId)))
    .limit(1);
  if (!own) return;
  await tx
    .insert(shareEvents)
    .values({ designerId: shareDesignerId, kind: "sale", day: dayOf(now), key: orderId, createdAt: now })
    .onConflictDoNothing();
}

/** How many days the dashboard's chart covers. */
export const SHARE_STATS_DAYS = 60;

/**
 * What a designer's share links brought, per day for the last
 * SHARE_STATS_DAYS days (zero days included) and in total over them: one
 * grouped read of `share_events_designer_day_idx`, at most 4 rows a day.
 */
export async function shareStats(designerId: string, now = new Date()) {
  const first = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (SHARE_STATS_DAYS - 1) * 86_400_000,
  );
  const rows = await db
    .select({ day: shareEvents.day, kind: shareEvents.kind, n: sql<number>`count(*)::int` })
    .from(shareEvents)
    .where(and(eq(shareEvents.designerId, designerId), gte(shareEvents.day, dayOf(first))))
    .groupBy(shareEvents.day, shareEvents.kind);
  const counts = new Map(rows.map((r) => [`${r.day}|${r.kind}`, Number(r.n)]));
  const days = Array.from({ length: SHARE_STATS_DAYS }, (_, i) => {
    const day = dayOf(new Date(first.getTime() + i * 86_400_000));
    const of = (kind: ShareEventKind) => counts.get(`${day}|${kind}`) ?? 0;
    return { day, visits: of("visit"), signups: of("signup"), ballots: of("ballot"), sales: of("sale") };
  });
  const total = (key: "visits" | "signups" | "ballots" | "sales") => days.reduce((n, d) => n + d[key], 0);
  return {
    days,
    totals: { visits: total("visits"), signups: total("signups"), ballots: total("ballots"), sales: total("sales") },
  };
}
