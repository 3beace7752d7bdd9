import { count, desc, eq } from "drizzle-orm";
import { rounds, sessions, users } from "#db/schema";
import { db } from "~/lib/db.server";

export async function adminOverview() {
  const [[members], [admins], [roundCount], [activeSessions], newest] = await Promise.all([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(users).where(eq(users.role, "admin")),
    db.select({ n: count() }).from(rounds),
    db.select({ n: count() }).from(sessions),
    db
      .select({ username: users.username, email: users.email, role: users.role, createdAt: users.createdAt })
      .from(users)
      .orderBy(desc(users.createdAt))
      .limit(20),
  ]);
  return {
    members: members?.n ?? 0,
    admins: admins?.n ?? 0,
    rounds: roundCount?.n ?? 0,
    activeSessions: activeSessions?.n ?? 0,
    newest,
  };
}
