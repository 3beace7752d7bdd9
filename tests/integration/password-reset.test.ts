import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outgoingMail, passwordResets, sessions, users } from "#db/schema";
import { createLoggedInUser, createUser, DEFAULT_PASSWORD } from "#tests/factories/index";
import { context, formRequest, getRequest, sessionTokenFrom, settle } from "#tests/support/requests";
import { checkCredentials } from "~/domain/accounts.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { validateSessionToken } from "~/lib/session.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";

afterEach(() => {
  delete process.env.PASSWORD_RESETS_PER_HOUR;
  resetEnvCache();
});

const forgot = (email: string, ip?: string) =>
  settle(() => forgotAction({ request: formRequest("/forgot-password", { email }), params: {}, context: context(ip) }));
const reset = (token: string, password: string, confirm = password) =>
  settle(() =>
    resetAction({
      request: formRequest(`/reset-password/${token}`, { newPassword: password, confirmPassword: confirm }),
      params: { token },
      context: context(),
    }),
  );
const page = (token: string) =>
  settle(() => resetLoader({ request: getRequest(`/reset-password/${token}`), params: { token }, context: context() }));

async function linkFromMail(to: string) {
  const mails = await db.select().from(outgoingMail).where(eq(outgoingMail.toAddress, to));
  const mail = mails.find((m) => m.subject === "Reset your Crowdthread password");
  const match = mail?.textBody.match(/\/reset-password\/([a-z0-9]+\.[a-z0-9]+)/);
  return match?.[1];
}

describe("password reset by email", () => {
  it("mails a link that sets a new password once, signs out every device and logs in here", async () => {
    const member = await createLoggedInUser({ email: "forgetful@crowdthread.test" });
    const answered = await forgot("Forgetful@Crowdthread.test");
    expect(answered.status).toBe(200);
    expect(answered.data.sentTo).toBe("forgetful@crowdthread.test");
    const [mail] = await db.select().from(outgoingMail);
    expect(mail).toMatchObject({ category: "account", status: "pending", toAddress: "forgetful@crowdthread.test" });
    const token = await linkFromMail("forgetful@crowdthread.test");
    expect(token).toBeTruthy();
    // Only a hash of the secret is stored.
    const [stored] = await db.select().from(passwordResets);
    expect(stored!.tokenHash).not.toContain(token!.split(".")[1]);

    expect((await page(token!)).status).toBe(200);
    expect((await reset(token!, "short")).status).toBe(400);
    const done = await reset(token!, "a brand new passphrase");
    expect(done.status).toBe(302);
    expect(done.response!.headers.get("Location")).toBe("/");
    const fresh = sessionTokenFrom(done.response!);
    expect((await validateSessionToken(fresh!))?.user.id).toBe(member.user.id);
    expect(await db.select().from(sessions).where(eq(sessions.userId, member.user.id))).toHaveLength(1);
    expect(await validateSessionToken(member.token)).toBeNull();
    expect(await checkCredentials("forgetful@crowdthread.test", "a brand new passphrase")).toEqual({
      userId: member.user.id,
    });
    expect(await checkCredentials("forgetful@crowdthread.test", DEFAULT_PASSWORD)).toBeNull();
    expect((await db.select().from(outgoingMail)).map((m) => m.subject).sort()).toEqual([
      "Reset your Crowdthread password",
      "Your Crowdthread password was changed",
    ]);

    // Used: the link is dead.
    expect((await page(token!)).status).toBe(410);
    const again = await reset(token!, "yet another passphrase");
    expect(again.status).toBe(410);
    expect(await checkCredentials("forgetful@crowdthread.test", "a brand new passphrase")).toEqual({
      userId: member.user.id,
    });
  });

  it("answers the same for an unknown address and sends nothing", async () => {
    const answered = await forgot("nobody@crowdthread.test");
    expect(answered.status).toBe(200);
    expect(answered.data.sentTo).toBe("nobody@crowdthread.test");
    expect(await db.select().from(outgoingMail)).toHaveLength(0);
    expect(await db.select().from(passwordResets)).toHaveLength(0);
  });

  it("refuses forged, expired and superseded links", async () => {
    const member = await createUser({ email: "twice@crowdthread.test" });
    await forgot("twice@crowdthread.test");
    const first = await linkFromMail("twice@crowdthread.test");
    const [id, secret] = first!.split(".");
    expect((await page(`${id}.${secret!.replace(/.$/, (c) => (c === "a" ? "b" : "a"))}`)).status).toBe(410);
    expect((await page("not-a-token")).status).toBe(410);

    await db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await reset(first!, "a brand new passphrase")).status).toBe(410);

    await db.delete(outgoingMail);
    await forgot("twice@crowdthread.test");
    const second = await linkFromMail("twice@crowdthread.test");
    expect(second).not.toBe(first);
    expect(await db.select().from(passwordResets).where(eq(passwordResets.userId, member.id))).toHaveLength(1);
    expect((await reset(second!, "a brand new passphrase")).status).toBe(302);
  });

  it("limits requests per address", async () => {
    process.env.PASSWORD_RESETS_PER_HOUR = "2";
    resetEnvCache();
    await createUser({ email: "spammed@crowdthread.test" });
    expect((await forgot("spammed@crowdthread.test", "198.51.100.1")).status).toBe(200);
    expect((await forgot("spammed@crowdthread.test", "198.51.100.2")).status).toBe(200);
    const third = await forgot("spammed@crowdthread.test", "198.51.100.3");
    expect(third.status).toBe(429);
    expect(await db.select().from(outgoingMail)).toHaveLength(2);
  });

  it("a changed password is announced by email", async () => {
    const { action: accountAction } = await import("~/routes/account");
    const member = await createLoggedInUser({ email: "careful@crowdthread.test" });
    const changed = await settle(() =>
      accountAction({
        request: formRequest(
          "/account",
          {
            intent: "change-password",
            currentPassword: DEFAULT_PASSWORD,
            newPassword: "a brand new passphrase",
            confirmPassword: "a brand new passphrase",
          },
          { cookie: member.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(changed.status).toBe(302);
    expect(await db.select({ to: outgoingMail.toAddress, subject: outgoingMail.subject }).from(outgoingMail)).toEqual([
      { to: "careful@crowdthread.test", subject: "Your Crowdthread password was changed" },
    ]);
    expect((await db.select().from(users).where(eq(users.id, member.user.id)))[0]!.passwordHash).toMatch(/^\$argon2id/);
  });
});
