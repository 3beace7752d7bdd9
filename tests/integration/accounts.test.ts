import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "#db/schema";
import { createLoggedInUser, createUser, DEFAULT_PASSWORD } from "#tests/factories/index";
import { context, cookiesFrom, formRequest, getRequest, sessionTokenFrom, settle } from "#tests/support/requests";
import { action as accountAction } from "~/routes/account";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as signupAction } from "~/routes/signup";
import { db } from "~/lib/db.server";
import { validateSessionToken } from "~/lib/session.server";
import { loader as rootLoader } from "~/root";
import { serverTick } from "~/entry.server";

const signup = (fields: Record<string, string>, ip?: string) =>
  settle(() => signupAction({ request: formRequest("/signup", fields), params: {}, context: context(ip) }));
const login = (fields: Record<string, string>, ip?: string) =>
  settle(() => loginAction({ request: formRequest("/login", fields), params: {}, context: context(ip) }));

function formErrors(result: { data?: any }): string[] {
  return result.data?.result?.error?.[""] ?? [];
}
function fieldErrors(result: { data?: any }, field: string): string[] {
  return result.data?.result?.error?.[field] ?? [];
}

describe("sign up", () => {
  it("creates the member, logs them in and redirects home", async () => {
    const result = await signup({ email: "Ada@Example.com", username: "Ada", password: "analytical engine 1843" });
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe("/");
    const [row] = await db.select().from(users).where(eq(users.email, "ada@example.com"));
    expect(row).toMatchObject({ username: "ada", role: "member" });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    const token = sessionTokenFrom(result.response!);
    expect(token).toBeTruthy();
    expect((await validateSessionToken(token!))?.user.email).toBe("ada@example.com");
    expect(result.response!.headers.get("Set-Cookie")).toMatch(/HttpOnly; SameSite=Lax/);
  });

  it("goes back to a local redirectTo (a design a share link led to), and ignores one that leaves the site", async () => {
    const fields = { password: "a long enough passphrase" };
    const back = await signup({ ...fields, email: "ada@example.com", username: "ada", redirectTo: "/submissions/x" });
    expect(back.status).toBe(302);
    expect(back.response!.headers.get("Location")).toBe("/submissions/x");
    const away = await signup({ ...fields, email: "bob@example.com", username: "bob", redirectTo: "//evil.example/" });
    expect(away.response!.headers.get("Location")).toBe("/");
  });

  it("refuses a duplicate email or username with a message on that field", async () => {
    await createUser({ email: "taken@example.com", username: "taken" });
    const byEmail = await signup({ email: "TAKEN@example.com", username: "fresh", password: "analytical engine 1843" });
    expect(byEmail.status).toBe(400);
    expect(fieldErrors(byEmail, "email")).toEqual(["An account with this email already exists. Log in instead?"]);
    const byName = await signup({ email: "fresh@example.com", username: "Taken", password: "analytical engine 1843" });
    expect(fieldErrors(byName, "username")).toEqual(["That username is taken; choose another"]);
    const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(users)) as [{ n: number }];
    expect(n).toBe(1);
  });

  it("refuses a weak password and stores nothing", async () => {
    const result = await signup({ email: "weak@example.com", username: "weak", password: "password123" });
    expect(result.status).toBe(400);
    expect(fieldErrors(result, "password")).toEqual(["That password is too common; choose another"]);
    expect(await db.select().from(users)).toHaveLength(0);
  });

  it("is rate limited per address, counted in the database", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await signup(
        { email: `m${i}@example.com`, username: `member${i}`, password: "analytical engine 1843" },
        "198.51.100.9",
      );
      statuses.push(r.status);
      if (r.status === 429) expect(formErrors(r)[0]).toMatch(/^Too many attempts\. Try again in/);
    }
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    expect(await db.select().from(users)).toHaveLength(5);
    // Another address is not affected.
    expect(
      (
        await signup(
          { email: "other@example.com", username: "other", password: "analytical engine 1843" },
          "198.51.100.10",
        )
      ).status,
    ).toBe(302);
  });
});

describe("log in", () => {
  it("logs in with the right password and honours a local redirectTo", async () => {
    await createUser({ email: "frida@example.com", username: "frida" });
    const result = await login({ email: "frida@example.com", password: DEFAULT_PASSWORD, redirectTo: "/account" });
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe("/account");
    expect(await db.select().from(sessions)).toHaveLength(1);
  });

  it("ignores a redirectTo that leaves the site", async () => {
    await createUser({ email: "frida@example.com", username: "frida" });
    const result = await login({
      email: "frida@example.com",
      password: DEFAULT_PASSWORD,
      redirectTo: "//evil.example/",
    });
    expect(result.response!.headers.get("Location")).toBe("/");
  });

  it("gives the same message for an unknown email and a wrong password", async () => {
    await createUser({ email: "frida@example.com", username: "frida" });
    const wrong = await login({ email: "frida@example.com", password: "not her password" });
    const unknown = await login({ email: "nobody@example.com", password: "not her password" });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(formErrors(wrong)).toEqual(["That email and password do not match an account"]);
    expect(formErrors(unknown)).toEqual(formErrors(wrong));
    expect(await db.select().from(sessions)).toHaveLength(0);
  });

  it("stops guessing after the limit, even with the right password", async () => {
    await createUser({ email: "frida@example.com", username: "frida" });
    for (let i = 0; i < 10; i++) {
      expect((await login({ email: "frida@example.com", password: `guess ${i}` }, `192.0.2.${i}`)).status).toBe(400);
    }
    const blocked = await login({ email: "frida@example.com", password: DEFAULT_PASSWORD }, "192.0.2.200");
    expect(blocked.status).toBe(429);
    expect(formErrors(blocked)[0]).toMatch(/Too many attempts/);
    expect(await db.select().from(sessions)).toHaveLength(0);
  });

  it("counts only failures against an address: an office of members logging in is never locked out", async () => {
    const office = "198.51.100.7";
    // Twelve colleagues behind one address, more than the limit, each log in right.
    for (let i = 0; i < 12; i++) {
      await createUser({ email: `colleague${i}@example.com`, username: `colleague${i}` });
      const result = await login({ email: `colleague${i}@example.com`, password: DEFAULT_PASSWORD }, office);
      expect(result.status).toBe(302);
    }
    // One typo each still leaves room: only these failures count.
    for (let i = 0; i < 9; i++)
      expect((await login({ email: `colleague${i}@example.com`, password: "typo" }, office)).status).toBe(400);
    await createUser({ email: "newcomer@example.com", username: "newcomer" });
    expect((await login({ email: "newcomer@example.com", password: DEFAULT_PASSWORD }, office)).status).toBe(302);
    // The tenth failure from the address reaches the limit; from then on it is refused, even with a right password.
    expect((await login({ email: "newcomer@example.com", password: "typo" }, office)).status).toBe(400);
    const blocked = await login({ email: "colleague11@example.com", password: DEFAULT_PASSWORD }, office);
    expect(blocked.status).toBe(429);
    expect(formErrors(blocked)[0]).toMatch(/^Too many attempts\. Try again in/);
    // Another address is not held up by this one.
    expect((await login({ email: "colleague11@example.com", password: DEFAULT_PASSWORD }, "203.0.113.9")).status).toBe(
      302,
    );
  });

  it("counts an account's failures from any address, and a right password does not use one up", async () => {
    await createUser({ email: "frida@example.com", username: "frida" });
    for (let i = 0; i < 5; i++)
      expect((await login({ email: "frida@example.com", password: DEFAULT_PASSWORD }, `192.0.2.${i}`)).status).toBe(
        302,
      );
    for (let i = 0; i < 10; i++)
      expect((await login({ email: "frida@example.com", password: `guess ${i}` }, `192.0.2.${i}`)).status).toBe(400);
    expect((await login({ email: "frida@example.com", password: DEFAULT_PASSWORD }, "192.0.2.99")).status).toBe(429);
  });
});

describe("sessions", () => {
  it("stores only a hash of the secret", async () => {
    const { token, user } = await createLoggedInUser();
    const [row] = await db.select().from(sessions).where(eq(sessions.userId, user.id));
    const secret = token.split(".")[1]!;
    expect(row!.secretHash).not.toContain(secret);
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a token whose secret was tampered with", async () => {
    const { token } = await createLoggedInUser();
    const [id, secret] = token.split(".");
    const flipped = secret!.slice(0, -1) + (secret!.endsWith("a") ? "b" : "a");
    expect(await validateSessionToken(`${id}.${flipped}`)).toBeNull();
    expect(await validateSessionToken(id!)).toBeNull();
    expect(await validateSessionToken(token)).not.toBeNull();
  });

  it("expires after the inactivity timeout and deletes the row", async () => {
    const { token, user } = await createLoggedInUser();
    const thirtyOneDaysAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    await db.update(sessions).set({ lastActiveAt: thirtyOneDaysAgo }).where(eq(sessions.userId, user.id));
    expect(await validateSessionToken(token)).toBeNull();
    expect(await db.select().from(sessions)).toHaveLength(0);
  });

  it("slides: activity after an hour pushes the expiry forward", async () => {
    const { token, user } = await createLoggedInUser();
    const twentyDaysAgo = new Date(Date.now() - 20 * 24 * 3600 * 1000);
    await db.update(sessions).set({ lastActiveAt: twentyDaysAgo }).where(eq(sessions.userId, user.id));
    const validated = await validateSessionToken(token);
    expect(validated).not.toBeNull();
    const [row] = await db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(Date.now() - row!.lastActiveAt.getTime()).toBeLessThan(60_000);
  });

  it("the server tick deletes expired sessions and keeps live ones", async () => {
    const expired = await createLoggedInUser();
    const live = await createLoggedInUser();
    const thirtyOneDaysAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    await db.update(sessions).set({ lastActiveAt: thirtyOneDaysAgo }).where(eq(sessions.userId, expired.user.id));
    await serverTick();
    expect(await db.select().from(sessions).where(eq(sessions.userId, expired.user.id))).toHaveLength(0);
    const kept = await db.select().from(sessions).where(eq(sessions.userId, live.user.id));
    expect(kept).toHaveLength(1);
    expect((await validateSessionToken(live.token))?.user.id).toBe(live.user.id);
  });

  it("log out deletes this session only", async () => {
    const first = await createLoggedInUser({ username: "twodevices" });
    const { createSession } = await import("~/lib/session.server");
    const other = await createSession(first.user.id, "phone");
    const result = await settle(() =>
      logoutAction({ request: formRequest("/logout", {}, { cookie: first.cookie }), params: {}, context: context() }),
    );
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Set-Cookie")).toMatch(/ct_session=; .*Max-Age=0/);
    expect(await validateSessionToken(first.token)).toBeNull();
    expect(await validateSessionToken(other)).not.toBeNull();
  });

  it("log out of all devices revokes every session of the member", async () => {
    const me = await createLoggedInUser();
    const { createSession } = await import("~/lib/session.server");
    const phone = await createSession(me.user.id, "phone");
    const someoneElse = await createLoggedInUser();
    const result = await settle(() =>
      accountAction({
        request: formRequest("/account", { intent: "logout-everywhere" }, { cookie: me.cookie }),
        params: {},
        context: context(),
      }),
    );
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe("/login");
    expect(await validateSessionToken(me.token)).toBeNull();
    expect(await validateSessionToken(phone)).toBeNull();
    expect(await validateSessionToken(someoneElse.token)).not.toBeNull();
    // The revoked cookie no longer identifies anyone.
    const root = await settle(() =>
      rootLoader({ request: getRequest("/", { cookie: me.cookie }), params: {}, context: context() }),
    );
    expect(root.data.user).toBeNull();
  });

  it("changing the password signs out the other devices and needs the current password", async () => {
    const me = await createLoggedInUser();
    const { createSession } = await import("~/lib/session.server");
    const phone = await createSession(me.user.id, "phone");
    const change = (currentPassword: string) =>
      settle(() =>
        accountAction({
          request: formRequest(
            "/account",
            {
              intent: "change-password",
              currentPassword,
              newPassword: "a brand new secret",
              confirmPassword: "a brand new secret",
            },
            { cookie: me.cookie },
          ),
          params: {},
          context: context(),
        }),
      );
    const refused = await change("not my password");
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused, "currentPassword")).toEqual(["Your current password is not right"]);
    expect(await validateSessionToken(phone)).not.toBeNull();

    const done = await change(DEFAULT_PASSWORD);
    expect(done.status).toBe(302);
    expect(cookiesFrom(done.response!)).toContain("ct_toast=");
    expect(await validateSessionToken(me.token)).not.toBeNull();
    expect(await validateSessionToken(phone)).toBeNull();
    expect((await login({ email: me.user.email, password: "a brand new secret" })).status).toBe(302);
  });
});
