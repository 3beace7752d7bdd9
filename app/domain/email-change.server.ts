import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { emailChanges, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { isUniqueViolation } from "~/lib/db-errors.server";
import { getEnv } from "~/lib/env.server";
import { verifyPassword } from "~/lib/password.server";
import { hitRateLimit } from "~/lib/rate-limit.server";
import { hashSecret, liveLink, randomSecret, splitToken } from "~/lib/tokens.server";
import { EMAIL_CHANGE_LINK_HOURS } from "./account-forms";
import { absoluteUrl, sendAccountMail } from "./mailer.server";
import { fail, ok, type Outcome } from "./outcome";

const TAKEN = "An account with this email already exists";

async function emailTaken(address: string, exceptUserId: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${address.toLowerCase()}`, ne(users.id, exceptUserId)));
  return Boolean(row);
}

/**
 * Starts moving an account to a new address: the password confirms it is the
 * member, a link to the new address proves they can read it, and the old
 * address is told, so a stolen session cannot quietly take the account.
 */
export async function requestEmailChange(userId: string, newEmail: string, password: string): Promise<Outcome> {
  const [user] = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!user || !(await verifyPassword(user.passwordHash, password)))
    return fail("invalid", "That password is not right", { field: "password" });
  if (newEmail === user.email) return fail("invalid", "That is already your email address", { field: "newEmail" });
  if (await emailTaken(newEmail, userId)) return fail("invalid", TAKEN, { field: "newEmail" });
  const limit = await hitRateLimit(`email-change:${userId}`, {
    limit: getEnv().PASSWORD_RESETS_PER_HOUR,
    windowSeconds: 3600,
  });
  if (!limit.allowed)
    return fail("rate_limited", "You asked for several changes in the last hour. Please wait a little and try again.", {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  const id = randomSecret();
  const secret = randomSecret();
  await db.transaction(async (tx) => {
    await tx.delete(emailChanges).where(and(eq(emailChanges.userId, userId), isNull(emailChanges.usedAt)));
    await tx.insert(emailChanges).values({
      id,
      tokenHash: hashSecret(secret),
      userId,
      newEmail,
      expiresAt: new Date(Date.now() + EMAIL_CHANGE_LINK_HOURS * 3600_000),
    });
    await sendAccountMail(tx, { id: userId, email: newEmail }, "Confirm your new Crowdthread email address", [
      "Someone (hopefully you) asked to use this address for their Crowdthread account.",
      "",
      `Confirm it within ${EMAIL_CHANGE_LINK_HOURS} hours: ${absoluteUrl(`/confirm-email/${id}.${secret}`)}`,
      "",
      "If it wasn't you, ignore this email and nothing changes.",
    ]);
    await sendAccountMail(tx, user, "Your Crowdthread email address is about to change", [
      `Someone signed in to your Crowdthread account asked to move it to a new email address. It changes only when the link sent there is opened.`,
      "",
      `If that wasn't you, change your password now: ${absoluteUrl("/account")}`,
    ]);
  });
  return ok();
}

export async function findEmailChange(token: string, now = new Date()) {
  const parts = splitToken(token);
  if (!parts) return null;
  const [row] = await db.select().from(emailChanges).where(eq(emailChanges.id, parts.id));
  return liveLink(row, parts.secret, now);
}

/** Moves the account to the confirmed address, once; the old address hears of it. */
export async function confirmEmailChange(token: string, now = new Date()): Promise<Outcome<{ email: string }>> {
  const change = await findEmailChange(token, now);
  if (!change)
    return fail("gone", "This confirmation link is invalid, used or expired. Ask for a new one in your settings.");
  try {
    return await db.transaction(async (tx): Promise<Outcome<{ email: string }>> => {
      const used = await tx
        .update(emailChanges)
        .set({ usedAt: now })
        .where(and(eq(emailChanges.id, change.id), isNull(emailChanges.usedAt)))
        .returning({ id: emailChanges.id });
      if (!used.length) return fail("gone", "This confirmation link was already used.");
      const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, change.userId));
      await tx.update(users).set({ email: change.newEmail }).where(eq(users.id, change.userId));
      await sendAccountMail(
        tx,
        { id: change.userId, email: before!.email },
        "Your Crowdthread email address was changed",
        [
          `Your Crowdthread account now uses ${change.newEmail}. Mail about it goes there from now on.`,
          "",
          `If that wasn't you, reply to this email or contact us at once.`,
        ],
      );
      return ok({ email: change.newEmail });
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_unique")) return fail("conflict", `${TAKEN}; the change was not made.`);
    throw error;
  }
}
