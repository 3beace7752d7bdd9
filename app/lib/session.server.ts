import { eq, lt, sql } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { readCookie, serializeCookie } from "./cookies.server";
import { db } from "./db.server";
import { getEnv } from "./env.server";
import { singleton } from "./singleton.server";
import { hashSecret, randomSecret, secretMatches, splitToken } from "./tokens.server";

/**
 * Sessions as Lucia's guide designs them. The cookie carries `id.secret`; the
 * database keeps the id and SHA-256(secret). A session ends after a period of
 * inactivity (sliding: activity pushes the end further), on log-out, or when
 * every session of the user is revoked.
 */
export const SESSION_COOKIE = "ct_session";
/** How often, at most, activity is written back (saves a write per request). */
const ACTIVITY_WRITE_INTERVAL_MS = 60 * 60 * 1000;
/** Browsers cap cookie lifetime near 400 days; the server decides expiry. */
const COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

export type SessionUser = {
  id: string;
  email: string;
  username: string;
  displayName: string | null;
  role: "member" | "admin";
  createdAt: Date;
};

export type ValidatedSession = {
  session: { id: string; userId: string; createdAt: Date; lastActiveAt: Date };
  user: SessionUser;
};

function inactivityTimeoutMs() {
  return getEnv().SESSION_INACTIVITY_DAYS * 24 * 60 * 60 * 1000;
}

export async function createSession(userId: string, userAgent?: string | null): Promise<string> {
  const id = randomSecret();
  const secret = randomSecret();
  await db.insert(sessions).values({
    id,
    secretHash: hashSecret(secret),
    userId,
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return `${id}.${secret}`;
}

/**
 * The query every request makes, built once and prepared: it runs on the hot
 * path, so query building and server-side planning are paid for only once.
 */
function sessionLookup() {
  return singleton("session-lookup-query", () =>
    db
      .select({
        id: sessions.id,
        userId: sessions.userId,
        secretHash: sessions.secretHash,
        createdAt: sessions.createdAt,
        lastActiveAt: sessions.lastActiveAt,
        user: {
          id: users.id,
          email: users.email,
          username: users.username,
          displayName: users.displayName,
          role: users.role,
          createdAt: users.createdAt,
        },
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sql.placeholder("id")))
      .limit(1)
      .prepare("session_lookup"),
  );
}

export async function validateSessionToken(token: string, now = new Date()): Promise<ValidatedSession | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const { id, secret } = parts;
  const [row] = await sessionLookup().execute({ id });
  if (!row || !secretMatches(row.secretHash, secret)) return null;

  const idleFor = now.getTime() - row.lastActiveAt.getTime();
  if (idleFor >= inactivityTimeoutMs()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let lastActiveAt = row.lastActiveAt;
  if (idleFor >= ACTIVITY_WRITE_INTERVAL_MS) {
    lastActiveAt = now;
    await db.update(sessions).set({ lastActiveAt: now }).where(eq(sessions.id, id));
  }
  return {
    session: { id: row.id, userId: row.userId, createdAt: row.createdAt, lastActiveAt },
    user: row.user,
  };
}

export async function invalidateSession(sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateAllSessions(userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/**
 * Housekeeping on the server tick: drops sessions past their inactivity
 * timeout (validation deletes one only when its cookie comes back, and most
 * never do). Returns how many went.
 */
export async function deleteExpiredSessions(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - inactivityTimeoutMs());
  const deleted = await db.delete(sessions).where(lt(sessions.lastActiveAt, cutoff)).returning({ id: sessions.id });
  return deleted.length;
}

export function sessionCookie(request: Request, token: string) {
  return serializeCookie(request, SESSION_COOKIE, token, { maxAgeSeconds: COOKIE_MAX_AGE_SECONDS });
}

export function clearedSessionCookie(request: Request) {
  return serializeCookie(request, SESSION_COOKIE, "", { maxAgeSeconds: 0 });
}

const perRequest = new WeakMap<Request, Promise<ValidatedSession | null>>();

/** The request's session, validated once per request however often asked. */
export function getSession(request: Request): Promise<ValidatedSession | null> {
  let found = perRequest.get(request);
  if (!found) {
    const token = readCookie(request, SESSION_COOKIE);
    found = token ? validateSessionToken(token) : Promise.resolve(null);
    perRequest.set(request, found);
  }
  return found;
}
