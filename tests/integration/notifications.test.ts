import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, outgoingMail, rounds } from "#db/schema";
import { createRound, createSubmission, createUser } from "#tests/factories/index";
import { notify, saveNotificationPrefs } from "~/domain/notifications.server";
import { announceRoundPhases } from "~/domain/round-announcements.server";
import { db } from "~/lib/db.server";

const HOUR = 3_600_000;

async function inbox(userId: string) {
  return (await db.select().from(notifications).where(eq(notifications.userId, userId)))
    .map((n) => `${n.kind}: ${n.title}`)
    .sort();
}

async function votingNews(userId: string) {
  return (await inbox(userId)).filter((t) => t.startsWith("voting_"));
}

describe("voting opened / ended announcements", () => {
  it("tells designers with an approved design once when voting opens and once when it ends", async () => {
    const admin = await createUser({ role: "admin" });
    const entrant = await createUser();
    const rejected = await createUser();
    const bystander = await createUser();
    const round = await createRound({ phase: "submissions", title: "Deep Sea" });
    await createSubmission({
      round,
      designerId: entrant.id,
      seed: 990,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await createSubmission({
      round,
      designerId: entrant.id,
      seed: 991,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await createSubmission({
      round,
      designerId: rejected.id,
      seed: 992,
      moderate: { adminId: admin.id, decision: "rejected", reason: "Off theme" },
    });

    expect(await announceRoundPhases()).toEqual({ opened: 0, ended: 0 });

    const now = Date.now();
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(now - HOUR), votingClosesAt: new Date(now + 48 * HOUR) })
      .where(eq(rounds.id, round.id));
    expect(await announceRoundPhases()).toEqual({ opened: 1, ended: 0 });
    expect(await announceRoundPhases()).toEqual({ opened: 0, ended: 0 });
    expect(await votingNews(entrant.id)).toEqual(["voting_opened: Voting is open in Deep Sea: your design is in it"]);

    expect(await announceRoundPhases(new Date(now + 49 * HOUR))).toEqual({ opened: 0, ended: 1 });
    expect(await announceRoundPhases(new Date(now + 50 * HOUR))).toEqual({ opened: 0, ended: 0 });
    expect(await votingNews(entrant.id)).toEqual([
      "voting_ended: Voting has ended in Deep Sea; results follow shortly",
      "voting_opened: Voting is open in Deep Sea: your design is in it",
    ]);
    expect(await votingNews(rejected.id)).toEqual([]);
    expect(await votingNews(bystander.id)).toEqual([]);
  });

  it("sends only the ended news for a round nobody looked at while it was open", async () => {
    const admin = await createUser({ role: "admin" });
    const entrant = await createUser();
    const round = await createRound({ phase: "submissions", title: "Blink" });
    await createSubmission({
      round,
      designerId: entrant.id,
      seed: 993,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 2 * HOUR), votingClosesAt: new Date(Date.now() - HOUR) })
      .where(eq(rounds.id, round.id));
    expect(await announceRoundPhases()).toEqual({ opened: 0, ended: 1 });
    expect(await votingNews(entrant.id)).toEqual(["voting_ended: Voting has ended in Blink; results follow shortly"]);
  });

  it("two servers ticking at once announce each round once", async () => {
    const admin = await createUser({ role: "admin" });
    const entrant = await createUser();
    const round = await createRound({ phase: "voting", title: "Twins" });
    await db.update(rounds).set({ votingOpenedNotifiedAt: null }).where(eq(rounds.id, round.id));
    await createSubmission({
      round,
      designerId: entrant.id,
      seed: 994,
      moderate: { adminId: admin.id, decision: "approved" },
    });
    const results = await Promise.all([announceRoundPhases(), announceRoundPhases()]);
    expect(results.reduce((n, r) => n + r.opened, 0)).toBe(1);
    expect(await votingNews(entrant.id)).toHaveLength(1);
  });
});

describe("notification preferences", () => {
  const send = (userId: string) =>
    db.transaction((tx) =>
      notify(tx, {
        userId,
        actorId: null,
        kind: "royalty_credited",
        title: "A sale earned you $3.75 in royalties",
        url: "/account/royalties",
      }),
    );

  it("by default rings the bell and sends no email", async () => {
    const member = await createUser();
    await send(member.id);
    expect(await inbox(member.id)).toEqual(["royalty_credited: A sale earned you $3.75 in royalties"]);
    expect(await db.select().from(outgoingMail)).toHaveLength(0);
  });

  it("emails when the member opted in, and stays silent in the bell when they turned it off", async () => {
    const member = await createUser({ email: "opted@crowdthread.test" });
    await saveNotificationPrefs(member.id, { royalty_credited: { inApp: false, email: true } });
    await send(member.id);
    expect(await inbox(member.id)).toEqual([]);
    expect(
      await db
        .select({ to: outgoingMail.toAddress, subject: outgoingMail.subject, category: outgoingMail.category })
        .from(outgoingMail),
    ).toEqual([
      { to: "opted@crowdthread.test", subject: "A sale earned you $3.75 in royalties", category: "royalty_credited" },
    ]);
  });

  it("a kind turned off everywhere leaves no trace, and other kinds keep the defaults", async () => {
    const member = await createUser();
    await saveNotificationPrefs(member.id, { royalty_credited: { inApp: false, email: false } });
    await send(member.id);
    await db.transaction((tx) =>
      notify(tx, { userId: member.id, actorId: null, kind: "design_won", title: "You won", url: "/" }),
    );
    expect(await inbox(member.id)).toEqual(["design_won: You won"]);
    expect(await db.select().from(outgoingMail)).toHaveLength(0);
  });
});

describe("opening a notification", () => {
  it("marks it read and goes where it points; nobody else can open it", async () => {
    const { createLoggedInUser } = await import("#tests/factories/index");
    const { context, getRequest, settle } = await import("#tests/support/requests");
    const { loader } = await import("~/routes/notifications.$id");
    const { unreadCount } = await import("~/domain/notifications.server");
    const me = await createLoggedInUser();
    const other = await createLoggedInUser();
    await db.transaction((tx) =>
      notify(tx, { userId: me.user.id, actorId: null, kind: "design_won", title: "You won", url: "/rounds/x/results" }),
    );
    const [note] = await db.select().from(notifications).where(eq(notifications.userId, me.user.id));
    const open = (cookie: string) =>
      settle(() =>
        loader({
          request: getRequest(`/notifications/${note!.id}`, { cookie }),
          params: { id: note!.id },
          context: context(),
        }),
      );
    expect((await open(other.cookie)).status).toBe(404);
    expect(await unreadCount(me.user.id)).toBe(1);
    const opened = await open(me.cookie);
    expect(opened.status).toBe(302);
    expect(opened.response!.headers.get("Location")).toBe("/rounds/x/results");
    expect(await unreadCount(me.user.id)).toBe(0);
  });
});
