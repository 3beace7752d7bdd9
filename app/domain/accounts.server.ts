import { and, eq, ne, sql } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { isUniqueViolation } from "~/lib/db-errors.server";
import { getEnv } from "~/lib/env.server";
import { getDecoyHash, hashPassword, verifyPassword } from "~/lib/password.server";
import { hitRateLimit, refundRateLimitHit } from "~/lib/rate-limit.server";
import { invalidateAllSessions } from "~/lib/session.server";
import { absoluteUrl, sendAccountMail } from "./mailer.server";
import { fail, ok, type Failure, type Outcome } from "./outcome";

function formatWait(seconds: number) {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** The failure every rate-limited account form answers with. */
export function tooManyAttempts(retryAfterSeconds: number): Failure {
  return fail("rate_limited", `Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`, {
    retryAfterSeconds,
  });
}

/** Sign-ups per client address, counted in PostgreSQL. */
async function guardSignupRate(clientIp: string): Promise<Outcome> {
  const env = getEnv();
  const result = await hitRateLimit(`signup:ip:${clientIp}`, {
    limit: env.SIGNUP_RATE_LIMIT,
    windowSeconds: env.SIGNUP_RATE_WINDOW_MINUTES * 60,
  });
  return result.allowed ? ok() : tooManyAttempts(result.retryAfterSeconds);
}

/**
 * Failed log-ins are limited per address and per account, so neither a single
 * machine guessing many accounts nor many machines guessing one account get
 * far. Only failures count: many people behind one address (an office, a
 * school) logging in successfully use up nothing. Each attempt is counted
 * when it starts, so a burst of parallel guesses is counted at once, and
 * given back when the password turns out right (see refundLoginAttempt).
 */
function loginRateKeys(clientIp: string, email: string) {
  return [`login:ip:${clientIp}`, `login:email:${email.toLowerCase()}`];
}

function loginRateOptions() {
  const env = getEnv();
  return { limit: env.LOGIN_RATE_LIMIT, windowSeconds: env.LOGIN_RATE_WINDOW_MINUTES * 60 };
}

async function guardLoginRate(clientIp: string, email: string): Promise<Outcome> {
  const options = loginRateOptions();
  const [byIp, byEmail] = await Promise.all(loginRateKeys(clientIp, email).map((key) => hitRateLimit(key, options)));
  if (byIp!.allowed && byEmail!.allowed) return ok();
  return tooManyAttempts(
    Math.max(byIp!.allowed ? 0 : byIp!.retryAfterSeconds, byEmail!.allowed ? 0 : byEmail!.retryAfterSeconds),
  );
}

/** A log-in that succeeded was no failure: its hits on both limits are given back. */
async function refundLoginAttempt(clientIp: string, email: string) {
  const options = loginRateOptions();
  await Promise.all(loginRateKeys(clientIp, email).map((key) => refundRateLimitHit(key, options)));
}

export type SignupInput = { email: string; username: string; password: string };

const EMAIL_TAKEN = "An account with this email already exists. Log in instead?";
const USERNAME_TAKEN = "That username is taken; choose another";

/** The sign-up form: counted against the client address's limit, then the account is created. */
export async function signUpFrom(clientIp: string, input: SignupInput): Promise<Outcome<{ userId: string }>> {
  const allowed = await guardSignupRate(clientIp);
  if (!allowed.ok) return allowed;
  return signUp(input);
}

/** Creates a member account. Email and username arrive lower-cased from the schema. */
export async function signUp(input: SignupInput): Promise<Outcome<{ userId: string }>> {
  const [existing] = await db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(sql`lower(${users.email}) = ${input.email} or lower(${users.username}) = ${input.username}`)
    .limit(1);
  if (existing) {
    return existing.email === input.email
      ? fail("invalid", EMAIL_TAKEN, { field: "email" })
      : fail("invalid", USERNAME_TAKEN, { field: "username" });
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db
      .insert(users)
      .values({ email: input.email, username: input.username, passwordHash })
      .returning({ id: users.id });
    return ok({ userId: row!.id });
  } catch (error) {
    // Two sign-ups racing for the same email or username: the index decides.
    if (isUniqueViolation(error, "users_email_unique")) return fail("invalid", EMAIL_TAKEN, { field: "email" });
    if (isUniqueViolation(error, "users_username_unique"))
      return fail("invalid", USERNAME_TAKEN, { field: "username" });
    throw error;
  }
}

/** Same answer, and about the same time, for an unknown email and a wrong password. */
export const WRONG_CREDENTIALS = "That email and password do not match an account";

/** The log-in form: failures are rate limited per address and per email, then the credentials are checked. */
export async function logIn(clientIp: string, email: string, password: string): Promise<Outcome<{ userId: string }>> {
  const allowed = await guardLoginRate(clientIp, email);
  if (!allowed.ok) return allowed;
  const found = await checkCredentials(email, password);
  if (!found) return fail("invalid", WRONG_CREDENTIALS);
  await refundLoginAttempt(clientIp, email);
  return ok(found);
}

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

/**
 * Replaces the password and signs out every other device: whoever knew the old
 * password keeps no session. The session making the change stays.
 */
export async function changePassword(
  userId: string,
  currentSessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<Outcome> {
  const [user] = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    return fail("invalid", "Your current password is not right", { field: "currentPassword" });
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
  return ok();
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
