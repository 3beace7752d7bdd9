import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, notifications, proposals, reports, rounds } from "#db/schema";
import { artworkPng } from "#tests/factories/artwork";
import { createLoggedInUser, createUser } from "#tests/factories/index";
import { context, formRequest, settle, TEST_ORIGIN, toastFrom } from "#tests/support/requests";
import { storedFiles } from "#tests/support/storage";
import {
  acceptProposal,
  createProposal,
  findProposal,
  listProposals,
  removeProposal,
  setSupportThreshold,
  supportProposal,
} from "~/domain/proposals.server";
import { fileReport, openReports, reportTarget } from "~/domain/reports.server";
import { resetEnvCache } from "~/lib/env.server";
import { getStorage } from "~/lib/storage.server";
import { db } from "~/lib/db.server";

const value = (title = "Tides and tide pools") => ({
  title,
  brief: "Rock pools, kelp, the moon pulling the sea: **tides** in any style.",
  productTypes: ["tee" as const],
});

async function newProposal(proposerId: string, title?: string, images: Buffer[] = []) {
  const created = await createProposal({ proposerId, value: value(title), images });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

describe("removing a proposal", () => {
  it("a reported open proposal is removed from the admin page after a confirmation: off the lists, images gone", async () => {
    const { action } = await import("~/routes/admin.proposals.$id");
    const admin = await createLoggedInUser({ role: "admin" });
    const proposer = await createUser();
    const fan = await createUser();
    const reporter = await createUser();
    const mood = await artworkPng({ width: 640, height: 480, seed: 11 });
    const id = await newProposal(proposer.id, "Offensive theme", [mood]);
    expect(await supportProposal(id, fan.id)).toMatchObject({ ok: true });
    const [before] = await db.select().from(proposals).where(eq(proposals.id, id));
    const keys = before!.moodImages.flatMap((m) => [m.large, m.small]);
    const storage = getStorage();
    for (const key of keys) expect(await storage.get(key)).not.toBeNull();

    // The report queue sends the moderator to the admin page, where the removal form is.
    await fileReport({
      reporterId: reporter.id,
      subjectType: "proposal",
      subjectId: id,
      reason: "offensive",
      note: "",
    });
    const [report] = (await openReports()).items;
    expect(await reportTarget(report!.subjectType, report!.subjectId)).toBe(`/admin/proposals/${id}`);

    const post = (fields: Record<string, string>) =>
      settle(() =>
        action({
          request: formRequest(`/admin/proposals/${id}`, fields, { cookie: admin.cookie }),
          params: { id },
          context: context(),
        }),
      );
    const reason = "Hateful imagery in the mood board.";
    const ask = await post({ intent: "remove", reason });
    expect(ask.status).toBe(200);
    expect(ask.data.confirm).toMatchObject({
      intent: "remove",
      token: id,
      fields: { reason },
      question:
        "Remove the proposal “Offensive theme”? It leaves the lists and stops taking support, and its mood image is deleted for good. Its proposer sees your reason.",
    });
    // A confirmation for something else is asked again; nothing changed yet.
    expect((await post({ intent: "remove", reason, confirmed: "something-else" })).data.confirm).toBeDefined();
    expect((await db.select().from(proposals).where(eq(proposals.id, id)))[0]!.status).toBe("open");

    const done = await post({ intent: "remove", reason, confirmed: id });
    expect(done.status).toBe(302);
    const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
    expect(row).toMatchObject({ status: "removed", removalReason: reason, decidedById: admin.user.id, moodImages: [] });
    for (const key of keys) expect(await storage.get(key)).toBeNull();
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "proposal.removed"));
    expect(audit).toMatchObject([{ actorId: admin.user.id, subjectId: id, detail: { reason, fromStatus: "open" } }]);
    const told = await db.select().from(notifications).where(eq(notifications.userId, proposer.id));
    expect(told.map((n) => n.title)).toContain('Your proposal "Offensive theme" was removed by the moderators');

    // Gone from the lists and from the public; its proposer still sees why.
    expect((await listProposals("newest")).items).toEqual([]);
    expect(await findProposal(id, null)).toBeNull();
    expect(await findProposal(id, { id: fan.id, role: "member" })).toBeNull();
    expect(await findProposal(id, { id: proposer.id, role: "member" })).toMatchObject({
      status: "removed",
      removalReason: reason,
      canWithdraw: false,
    });
    expect(await supportProposal(id, reporter.id)).toMatchObject({ ok: false, code: "conflict" });
    // Reports stay for the moderator to close.
    expect(await db.select().from(reports)).toHaveLength(1);
  });

  it("removes a proposal in review too, refuses a decided one, and keeps an image another proposal shares", async () => {
    const admin = await createUser({ role: "admin" });
    const proposer = await createUser();
    const fan = await createUser();
    await setSupportThreshold(1, admin.id);
    const mood = await artworkPng({ width: 640, height: 480, seed: 12 });
    const inReview = await newProposal(proposer.id, "In review", [mood]);
    const sameImage = await newProposal(proposer.id, "Same image", [mood]);
    expect(await supportProposal(inReview, fan.id)).toMatchObject({ ok: true, value: { queued: true } });
    const filesBefore = storedFiles().size;

    expect(await removeProposal(inReview, admin.id, "Copies a brand's logo.")).toMatchObject({ ok: true });
    const [row] = await db.select().from(proposals).where(eq(proposals.id, inReview));
    expect(row).toMatchObject({ status: "removed", removalReason: "Copies a brand's logo." });
    // The other proposal's copy of the same image is still there.
    expect(storedFiles().size).toBe(filesBefore);
    const [other] = await db.select().from(proposals).where(eq(proposals.id, sameImage));
    for (const m of other!.moodImages) expect(await getStorage().get(m.large)).not.toBeNull();

    expect(await removeProposal(inReview, admin.id, "Twice over.")).toMatchObject({ ok: false, code: "conflict" });
    const accepted = await newProposal(proposer.id, "Accepted one");
    await supportProposal(accepted, fan.id);
    expect(await acceptProposal(accepted, admin.id, { slug: "accepted-one", proposerShareCents: 0 })).toMatchObject({
      ok: true,
    });
    expect(await removeProposal(accepted, admin.id, "Too late for this.")).toMatchObject({
      ok: false,
      code: "conflict",
    });
  });
});

describe("publishing proposals is limited", () => {
  it("caps a member's proposals taking support, and the proposals a member may publish in a day", async () => {
    const proposer = await createUser();
    for (const title of ["One theme", "Two theme", "Three theme"]) await newProposal(proposer.id, title);
    const capped = await createProposal({ proposerId: proposer.id, value: value("Four theme"), images: [] });
    expect(capped).toMatchObject({ ok: false, code: "conflict" });
    expect(capped.ok ? "" : capped.message).toContain("You already have 3 proposals taking support");

    process.env.PROPOSALS_PER_DAY = "2";
    resetEnvCache();
    try {
      const busy = await createUser();
      await newProposal(busy.id, "Busy one");
      const [first] = await db.select().from(proposals).where(eq(proposals.title, "Busy one"));
      const { withdrawProposal } = await import("~/domain/proposals.server");
      await withdrawProposal(first!.id, busy.id);
      await newProposal(busy.id, "Busy two");
      const limited = await createProposal({ proposerId: busy.id, value: value("Busy three"), images: [] });
      expect(limited).toMatchObject({ ok: false, code: "rate_limited" });
    } finally {
      delete process.env.PROPOSALS_PER_DAY;
      resetEnvCache();
    }
    const titles = (await db.select({ title: proposals.title }).from(proposals)).map((r) => r.title).sort();
    expect(titles).toEqual(["Busy one", "Busy two", "One theme", "Three theme", "Two theme"]);
  });

  it("publishes a form sent twice at once, or again later, once: both lead to the one proposal, images kept", async () => {
    const { action } = await import("~/routes/proposals.new");
    const member = await createLoggedInUser();
    const mood = await artworkPng({ width: 640, height: 480, seed: 23 });
    // The form as a browser sends it: multipart, with its length.
    const post = async (title: string) => {
      const form = new FormData();
      form.set("title", title);
      form.set("brief", "Night buses, sodium lights and the last stop.");
      form.set("productTypes", "tee");
      form.set("images", new File([new Uint8Array(mood)], "mood.png", { type: "image/png" }));
      const encoded = new Response(form);
      const body = new Uint8Array(await encoded.arrayBuffer());
      const request = new Request(`${TEST_ORIGIN}/proposals/new`, {
        method: "POST",
        headers: {
          Origin: TEST_ORIGIN,
          Cookie: member.cookie,
          "Content-Type": encoded.headers.get("Content-Type")!,
          "Content-Length": String(body.byteLength),
        },
        body,
      });
      return settle(() => action({ request, params: {}, context: context() }));
    };
    const filesBefore = storedFiles().size;
    const [first, second] = await Promise.all([post("Night buses"), post("Night buses")]);
    const rows = await db.select().from(proposals);
    expect(rows).toHaveLength(1);
    const path = `/proposals/${rows[0]!.id}`;
    for (const sent of [first, second]) {
      expect(sent.status).toBe(302);
      expect(sent.response!.headers.get("Location")).toBe(path);
    }
    const toasts = await Promise.all([first, second].map((sent) => toastFrom(sent.response!)));
    expect(toasts.map((t) => t?.title).sort()).toEqual(["Already published", "Proposal published"]);
    // The images the proposal shows are there; the second request left no file of its own.
    const keys = rows[0]!.moodImages.flatMap((m) => [m.large, m.small]);
    for (const key of keys) expect(await getStorage().get(key)).not.toBeNull();
    expect(storedFiles().size).toBe(filesBefore + keys.length);

    // Again a minute later, the theme in other capitals: the same proposal, nothing new.
    const again = await post("  NIGHT buses ");
    expect(again.response!.headers.get("Location")).toBe(path);
    expect((await toastFrom(again.response!))?.title).toBe("Already published");
    expect(await db.select().from(proposals)).toHaveLength(1);
  });

  it("refuses a multipart post that does not state its length, before reading it", async () => {
    const { action } = await import("~/routes/proposals.new");
    const member = await createLoggedInUser();
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("--x\r\n"));
        controller.close();
      },
    });
    const request = new Request(`${TEST_ORIGIN}/proposals/new`, {
      method: "POST",
      headers: { Origin: TEST_ORIGIN, Cookie: member.cookie, "Content-Type": "multipart/form-data; boundary=x" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const refused = await settle(() => action({ request, params: {}, context: context() }));
    expect(refused.status).toBe(411);
    expect(refused.data.imageError).toBe("Send the form from the page, with its length.");
    expect(await db.select().from(proposals)).toEqual([]);
  });
});

describe("a member's brief", () => {
  it("shows no remote image on the proposal's page, nor in the round it becomes", async () => {
    const admin = await createUser({ role: "admin" });
    const proposer = await createUser();
    const fan = await createUser();
    await setSupportThreshold(1, admin.id);
    const created = await createProposal({
      proposerId: proposer.id,
      value: {
        title: "Tracked theme",
        brief: "Look: ![pixel](https://tracker.example/p.png) **bold**",
        productTypes: [],
      },
      images: [],
    });
    if (!created.ok) throw new Error(created.message);
    const page = await findProposal(created.value.id, null);
    expect(page!.briefHtml).not.toContain("<img");
    expect(page!.briefHtml).toContain(
      '<a href="https://tracker.example/p.png" rel="nofollow noopener noreferrer">pixel</a>',
    );
    expect(page!.briefHtml).toContain("<strong>bold</strong>");

    await supportProposal(created.value.id, fan.id);
    const accepted = await acceptProposal(created.value.id, admin.id, { slug: "tracked", proposerShareCents: 0 });
    if (!accepted.ok) throw new Error(accepted.message);
    const [round] = await db.select().from(rounds).where(eq(rounds.id, accepted.value.roundId));
    expect(round!.brief).toBe("Look: [pixel](https://tracker.example/p.png) **bold**");
  });
});

describe("deciding a proposal in review", () => {
  async function setUp() {
    const { action } = await import("~/routes/admin.proposals.$id");
    const admin = await createLoggedInUser({ role: "admin" });
    const proposer = await createUser({ username: "tidewriter" });
    const fan = await createUser();
    await setSupportThreshold(1, admin.user.id);
    const id = await newProposal(proposer.id, "Tides");
    expect(await supportProposal(id, fan.id)).toMatchObject({ ok: true, value: { queued: true } });
    const post = (fields: Record<string, string>) =>
      settle(() =>
        action({
          request: formRequest(`/admin/proposals/${id}`, fields, { cookie: admin.cookie }),
          params: { id },
          context: context(),
        }),
      );
    const status = async () => (await db.select().from(proposals).where(eq(proposals.id, id)))[0]!.status;
    return { admin, proposer, id, post, status };
  }

  it("accepts only after a confirmation that names the draft round, the amount and who is told", async () => {
    const { id, post, status, proposer } = await setUp();
    // A percentage is refused with a field error that says the amount is in dollars.
    const percent = await post({ intent: "accept", slug: "tides", proposerShare: "50%" });
    expect(percent.status).toBe(400);
    expect(percent.data).toMatchObject({
      accept: ["Enter the amount credited to the proposer in dollars, such as 50 or 12.50 (not a percentage)"],
    });
    const ask = await post({ intent: "accept", slug: "tides", proposerShare: "50" });
    expect(ask.status).toBe(200);
    expect(ask.data.confirm).toMatchObject({
      intent: "accept",
      token: `accept:${id}:tides:5000`,
      fields: { slug: "tides", proposerShare: "50" },
      question:
        "Accept “Tides”? This creates a draft round at /rounds/tides, seen only by admins until you publish it, with $50.00 credited to the proposer when it is finalized. @tidewriter is told now; its 1 supporter hears when the round is published.",
    });
    expect(await status()).toBe("review");
    expect(await db.select().from(rounds)).toEqual([]);
    // A stale confirmation (another amount, or the removal's) is asked again; nothing changes.
    const stale = await post({
      intent: "accept",
      slug: "tides",
      proposerShare: "60",
      confirmed: `accept:${id}:tides:5000`,
    });
    expect(stale.data.confirm).toMatchObject({ token: `accept:${id}:tides:6000` });
    expect(
      (await post({ intent: "accept", slug: "tides", proposerShare: "50", confirmed: id })).data.confirm,
    ).toBeDefined();
    expect(await status()).toBe("review");
    expect(await db.select().from(rounds)).toEqual([]);

    const done = await post({
      intent: "accept",
      slug: "tides",
      proposerShare: "50",
      confirmed: `accept:${id}:tides:5000`,
    });
    expect(done.status).toBe(302);
    expect(await status()).toBe("accepted");
    const [round] = await db.select().from(rounds);
    expect(round).toMatchObject({ slug: "tides", proposalId: id, proposerPrizeCents: 5000, publishedAt: null });
    const told = await db.select().from(notifications).where(eq(notifications.userId, proposer.id));
    expect(told.map((n) => n.title)).toContain('Your proposal "Tides" was accepted: it will become a round');
  });

  it("declines only after a confirmation that says the reason is published and the decision final", async () => {
    const { id, post, status, proposer } = await setUp();
    const reason = "Too close to last month's round.";
    const ask = await post({ intent: "decline", reason });
    expect(ask.status).toBe(200);
    expect(ask.data.confirm).toMatchObject({
      intent: "decline",
      token: `decline:${id}`,
      fields: { reason },
      question:
        "Decline “Tides”? Your reason is published on its page, @tidewriter and its 1 supporter are told, and the decision is final: it cannot be reopened.",
    });
    expect((await post({ intent: "decline", reason, confirmed: id })).data.confirm).toBeDefined();
    expect(await status()).toBe("review");
    const decided = await db.select().from(notifications).where(eq(notifications.kind, "proposal_decided"));
    expect(decided).toEqual([]);

    const done = await post({ intent: "decline", reason, confirmed: `decline:${id}` });
    expect(done.status).toBe(302);
    const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
    expect(row).toMatchObject({ status: "declined", declineReason: reason });
    const told = await db.select().from(notifications).where(eq(notifications.userId, proposer.id));
    expect(told.map((n) => n.title)).toContain('Your proposal "Tides" was declined');
  });
});
