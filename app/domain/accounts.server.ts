import { and, eq, ne, sql } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { isUniqueViolation } from "~/lib/db-errors.server";
import { getEnv } from "~/lib/env.server";
import { getDecoyHash, hashPassword, verifyPassword } from "~/lib/password.server";
import { hitRateLimit } from "~/lib/rate-limit.server";
import { invalidateAllSessions } from "~/lib/session.server";
import { absoluteUrl, sendAccountMail } from "./mailer.server";

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`);
  }
}

function formatWait(seconds: number) {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** Sign-ups per client address, counted in PostgreSQL. */
export async function guardSignupRate(clientIp: string) {
  const env = getEnv();
  const result = await hitRateLimit(`signup:ip:${clientIp}`, {
    limit: env.SIGNUP_RATE_LIMIT,
    windowSeconds: env.SIGNUP_RATE_WINDOW_MINUTES * 60,
  });
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}

/**
 * Log-in attempts are limited per address and per email, so neither a single
 * machine guessing many accounts nor many machines guessing one account get far.
 */
export async function guardLoginRate(clientIp: string, email: string) {
  const env = getEnv();
  const options = { limit: env.LOGIN_RATE_LIMIT, windowSeconds: env.LOGIN_RATE_WINDOW_MINUTES * 60 };
  const [byIp, byEmail] = await Promise.all([
    hitRateLimit(`login:ip:${clientIp}`, options),
    hitRateLimit(`login:email:${email.toLowerCase()}`, options),
  ]);
  if (!byIp.allowed || !byEmail.allowed) {
    throw new RateLimitedError(
      Math.max(byIp.allowed ? 0 : byIp.retryAfterSeconds, byEmail.allowed ? 0 : byEmail.retryAfterSeconds),
    );
  }
}

export type SignupInput = { email: string; username: string; password: string };

export type SignupResult = { ok: true; userId: string } | { ok: false; field: "email" | "username"; message: string };

const EMAIL_TAKEN = "An account with this email already exists. Log in instead?";
const USERNAME_TAKEN = "That username is taken; choose another";

/** Creates a member account. Email and username arrive lower-cased from the schema. */
export async function signUp(input: SignupInput): Promise<SignupResult> {
  const [existing] = await db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(sql`lower(${users.email}) = ${input.email} or lower(${users.username}) = ${input.username}`)
    .limit(1);
  if (existing) {
    return existing.email === input.email
      ? { ok: false, field: "email", message: EMAIL_TAKEN }
      : { ok: false, field: "username", message: USERNAME_TAKEN };
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db
      .insert(users)
      .values({ email: input.email, username: input.username, passwordHash })
      .returning({ id: users.id });
    return { ok: true, userId: row!.id };
  } catch (error) {
    // Two sign-ups racing for the same email or username: the index decides.
    if (isUniqueViolation(error, "users_email_unique")) return { ok: false, field: "email", message: EMAIL_TAKEN };
    if (isUniqueViolation(error, "users_username_unique"))
      return { ok: false, field: "username", message: USERNAME_TAKEN };
    throw error;
  }
}

/** Same answer, and about the same time, for an unknown email and a wrong password. */
export const WRONG_CREDENTIALS = "That email and password do not match an account";

export async function checkCredentials(email: string, password: string): Promise<{ userId: string } | null> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  if (!user) {
    await verifyPassword(await getDecoyHash(), password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? { userId: user.id } : null;
}

export type ChangePasswordResult = { ok: true } | { ok: false; field: "currentPassword"; message: string };

/**
 * Replaces the password and signs out every other device: whoever knew the old
 * password keeps no session. The session making the change stays.
 */
export async function changePassword(
  userId: string,
  currentSessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<ChangePasswordResult> {
  const [user] = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    return { ok: false, field: "currentPassword", message: "Your current password is not right" };
  }
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, currentSessionId)));
    await sendAccountMail(tx, user, "Your Crowdthread password was changed", [
      "The password of your Crowdthread account was just changed, and your other devices were signed out.",
      "",
      `If that wasn't you, reset it now: ${absoluteUrl("/forgot-password")}`,
    ]);
  });
  return { ok: true };
}

export async function logOutEverywhere(userId: string) {
  await invalidateAllSessions(userId);
}

export async function setRole(email: string, role: "member" | "admin"): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ role })
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .returning({ id: users.id });
  return updated.length > 0;
}

export async function listSessions(userId: string) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.lastActiveAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(sql`${sessions.lastActiveAt} desc`);
}
