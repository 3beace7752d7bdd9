import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailChanges, outgoingMail, users } from "#db/schema";
import { createLoggedInUser, createUser, DEFAULT_PASSWORD } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { checkCredentials } from "~/domain/accounts.server";
import { db } from "~/lib/db.server";
import { action as confirmAction, loader as confirmLoader } from "~/routes/confirm-email.$token";
import { action as settingsAction } from "~/routes/settings";

const ask = (cookie: string, newEmail: string, password = DEFAULT_PASSWORD) =>
  settle(() =>
    settingsAction({
      request: formRequest("/settings", { intent: "email", newEmail, password }, { cookie }),
      params: {},
      context: context(),
    }),
  );
const open = (token: string) =>
  settle(() =>
    confirmLoader({ request: getRequest(`/confirm-email/${token}`), params: { token }, context: context() }),
  );
const confirm = (token: string) =>
  settle(() =>
    confirmAction({ request: formRequest(`/confirm-email/${token}`, {}), params: { token }, context: context() }),
  );

async function linkSentTo(address: string) {
  const mails = await db.select().from(outgoingMail).where(eq(outgoingMail.toAddress, address));
  return mails.map((m) => m.textBody.match(/\/confirm-email\/([a-z0-9]+\.[a-z0-9]+)/)?.[1]).find(Boolean);
}

describe("changing one's email address", () => {
  it("moves the account only when the link sent to the new address is confirmed, and tells the old address", async () => {
    const me = await createLoggedInUser({ email: "old@crowdthread.test" });
    const asked = await ask(me.cookie, "New@Crowdthread.test");
    expect(asked.status).toBe(302);
    expect((await db.select({ email: users.email }).from(users).where(eq(users.id, me.user.id)))[0]!.email).toBe(
      "old@crowdthread.test",
    );
    expect(
      (await db.select({ to: outgoingMail.toAddress, subject: outgoingMail.subject }).from(outgoingMail)).sort((a, b) =>
        a.to.localeCompare(b.to),
      ),
    ).toEqual([
      { to: "new@crowdthread.test", subject: "Confirm your new Crowdthread email address" },
      { to: "old@crowdthread.test", subject: "Your Crowdthread email address is about to change" },
    ]);
    const token = (await linkSentTo("new@crowdthread.test"))!;

    // Opening the link (or a mail scanner fetching it) changes nothing by itself.
    const page = await open(token);
    expect(page.data).toEqual({ newEmail: "new@crowdthread.test" });
    expect((await db.select({ email: users.email }).from(users).where(eq(users.id, me.user.id)))[0]!.email).toBe(
      "old@crowdthread.test",
    );

    const done = await confirm(token);
    expect(done.status).toBe(302);
    expect((await db.select({ email: users.email }).from(users).where(eq(users.id, me.user.id)))[0]!.email).toBe(
      "new@crowdthread.test",
    );
    expect(await checkCredentials("new@crowdthread.test", DEFAULT_PASSWORD)).toEqual({ userId: me.user.id });
    expect(await checkCredentials("old@crowdthread.test", DEFAULT_PASSWORD)).toBeNull();
    expect(
      (await db.select().from(outgoingMail).where(eq(outgoingMail.toAddress, "old@crowdthread.test"))).map(
        (m) => m.subject,
      ),
    ).toContain("Your Crowdthread email address was changed");

    expect((await confirm(token)).status).toBe(410);
    expect((await open(token)).status).toBe(410);
  });

  it("refuses a wrong password, one's own address and a taken one, sending nothing", async () => {
    const me = await createLoggedInUser({ email: "mine@crowdthread.test" });
    await createUser({ email: "taken@crowdthread.test" });
    const wrong = await ask(me.cookie, "fresh@crowdthread.test", "not my password");
    expect(wrong.status).toBe(400);
    expect(wrong.data.result.error.password).toEqual(["That password is not right"]);
    expect((await ask(me.cookie, "mine@crowdthread.test")).data.result.error.newEmail).toEqual([
      "That is already your email address",
    ]);
    expect((await ask(me.cookie, "taken@crowdthread.test")).data.result.error.newEmail).toEqual([
      "An account with this email already exists",
    ]);
    expect((await ask(me.cookie, "not-an-email")).status).toBe(400);
    expect(await db.select().from(outgoingMail)).toHaveLength(0);
    expect(await db.select().from(emailChanges)).toHaveLength(0);
  });

  it("does not take an address someone signed up with in the meantime", async () => {
    const me = await createLoggedInUser({ email: "slow@crowdthread.test" });
    await ask(me.cookie, "contested@crowdthread.test");
    const token = (await linkSentTo("contested@crowdthread.test"))!;
    await createUser({ email: "contested@crowdthread.test" });
    const refused = await confirm(token);
    expect(refused.status).toBe(409);
    expect(refused.data.error).toMatch(/already exists/);
    expect((await db.select({ email: users.email }).from(users).where(eq(users.id, me.user.id)))[0]!.email).toBe(
      "slow@crowdthread.test",
    );
  });
});
