import { and, eq, gt, sql } from "drizzle-orm";
import { rateLimits } from "#db/schema";
import { db } from "./db.server";

export type RateLimitResult = { allowed: boolean; hits: number; retryAfterSeconds: number };

/**
 * Counts one hit against `key` in a fixed window and says whether it is within
 * `limit`. The counter lives in PostgreSQL and is updated in one statement, so
 * it holds across app instances and concurrent requests.
 */
export async function hitRateLimit(
  key: string,
  options: { limit: number; windowSeconds: number; now?: Date },
): Promise<RateLimitResult> {
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const expiredBefore = new Date(now.getTime() - options.windowSeconds * 1000).toISOString();
  const expired = sql`${rateLimits.windowStartedAt} <= ${expiredBefore}::timestamptz`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStartedAt: now, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${expired} then 1 else ${rateLimits.hits} + 1 end`,
        windowStartedAt: sql`case when ${expired} then ${nowIso}::timestamptz else ${rateLimits.windowStartedAt} end`,
      },
    })
    .returning({ hits: rateLimits.hits, windowStartedAt: rateLimits.windowStartedAt });
  if (!row) throw new Error("rate limit upsert returned no row");
  const windowEnds = row.windowStartedAt.getTime() + options.windowSeconds * 1000;
  return {
    allowed: row.hits <= options.limit,
    hits: row.hits,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)),
  };
}

/**
 * Takes back one hit counted against `key` in its current window, for a
 * limit that only failures should use up (a successful log-in). Counting
 * first and taking back after keeps concurrent attempts counted at once:
 * checking the count first and counting failures afterwards would let a
 * burst of parallel guesses all pass the check.
 */
export async function refundRateLimitHit(key: string, options: { windowSeconds: number; now?: Date }) {
  const now = options.now ?? new Date();
  const expiredBefore = new Date(now.getTime() - options.windowSeconds * 1000);
  await db
    .update(rateLimits)
    .set({ hits: sql`greatest(${rateLimits.hits} - 1, 0)` })
    .where(and(eq(rateLimits.key, key), gt(rateLimits.windowStartedAt, expiredBefore)));
}
