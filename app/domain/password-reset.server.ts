import { and, eq, isNull, sql } from "drizzle-orm";
import { passwordResets, sessions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { hashPassword } from "~/lib/password.server";
import { hitRateLimit } from "~/lib/rate-limit.server";
import { hashSecret, liveLink, randomSecret, splitToken } from "~/lib/tokens.server";
import { INVALID_RESET_LINK, RESET_LINK_MINUTES } from "./account-forms";
import { tooManyAttempts } from "./accounts.server";
import { absoluteUrl, sendAccountMail } from "./mailer.server";
import { fail, ok, type Outcome } from "./outcome";

/**
 * Emails a single-use link valid for an hour, if the address has an account.
 * The caller answers the same either way, so the form does not reveal who
 * has an account. Limited per address and per email; a new link replaces
 * the unused ones.
 */
export async function requestPasswordReset(email: string, clientIp: string): Promise<Outcome> {
  const limit = { limit: getEnv().PASSWORD_RESETS_PER_HOUR, windowSeconds: 3600 };
  const [byIp, byEmail] = await Promise.all([
    hitRateLimit(`reset:ip:${clientIp}`, limit),
    hitRateLimit(`reset:email:${email.toLowerCase()}`, limit),
  ]);
  if (!byIp.allowed || !byEmail.allowed)
    return tooManyAttempts(Math.max(byIp.retryAfterSeconds, byEmail.retryAfterSeconds));
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, isNull(users.deletedAt)));
  if (!user) return ok();
  const id = randomSecret();
  const secret = randomSecret();
  await db.transaction(async (tx) => {
    await tx.delete(passwordResets).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    await tx.insert(passwordResets).values({
      id,
      tokenHash: hashSecret(secret),
      userId: user.id,
      expiresAt: new Date(Date.now() + RESET_LINK_MINUTES * 60_000),
    });
    await sendAccountMail(tx, user, "Reset your Crowdthread password", [
      "Someone (hopefully you) asked to reset the password of your Crowdthread account.",
      "",
      `Choose a new password here within ${RESET_LINK_MINUTES} minutes: ${absoluteUrl(`/reset-password/${id}.${secret}`)}`,
      "",
      "If it wasn't you, ignore this email: your password stays as it is.",
    ]);
  });
  return ok();
}

/** The reset a link points at, if it is genuine, unused and in time. */
export async function findValidReset(token: string, now = new Date()) {
  const parts = splitToken(token);
  if (!parts) return null;
  const [row] = await db.select().from(passwordResets).where(eq(passwordResets.id, parts.id));
  return liveLink(row, parts.secret, now);
}

/**
 * Sets the new password, uses up the link (the UPDATE that marks it is the
 * check, so two tabs cannot both use it), signs out every device and tells
 * the member by email. Returns the member to sign in on this device.
 */
export async function resetPassword(
  token: string,
  newPassword: string,
  now = new Date(),
): Promise<Outcome<{ userId: string }>> {
  const reset = await findValidReset(token, now);
  if (!reset) return fail("gone", INVALID_RESET_LINK);
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx): Promise<Outcome<{ userId: string }>> => {
    const used = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.id, reset.id), isNull(passwordResets.usedAt)))
      .returning({ userId: passwordResets.userId });
    if (!used.length) return fail("gone", INVALID_RESET_LINK);
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, reset.userId))
      .returning({ id: users.id, email: users.email });
    await tx.delete(sessions).where(eq(sessions.userId, reset.userId));
    await tx.delete(passwordResets).where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    await sendAccountMail(tx, user!, "Your Crowdthread password was changed", [
      "The password of your Crowdthread account was just changed with a reset link, and every device was signed out.",
      "",
      `If that wasn't you, reset it again now: ${absoluteUrl("/forgot-password")}`,
    ]);
    return ok({ userId: reset.userId });
  });
}
