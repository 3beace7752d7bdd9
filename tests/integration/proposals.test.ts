import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  auditLog,
  ballots,
  ledgerEntries,
  notifications,
  proposals,
  proposalSupports,
  rounds,
  submissions,
} from "#db/schema";
import { artworkPng } from "#tests/factories/artwork";
import { createLoggedInUser, createManySubmissions, createRound, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { finalizeDueRounds, finalizeRound } from "~/domain/finalize.server";
import {
  acceptProposal,
  createProposal,
  declineProposal,
  editProposal,
  findProposal,
  listProposals,
  setSupportThreshold,
  supportProposal,
  withdrawSupport,
} from "~/domain/proposals.server";
import { publishRound, updateDraftRound } from "~/domain/round-admin.server";
import { submitArtwork } from "~/domain/submissions.server";
import { castBallot, undoBallot } from "~/domain/voting.server";
import { db } from "~/lib/db.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as feedLoader } from "~/routes/rounds.$slug_.feed[.]xml";
import { loader as roundLoader } from "~/routes/rounds.$slug";
import { loader as roundsLoader } from "~/routes/rounds._index";
import { loader as submitLoader } from "~/routes/rounds.$slug_.submit";
import { loader as voteIndexLoader } from "~/routes/vote._index";
import { loader as voteLoader } from "~/routes/vote.$slug";
import { loader as resultsLoader } from "~/routes/rounds.$slug_.results";

const value = (title = "Tides and tide pools") => ({
  title,
  brief: "Rock pools, kelp, the moon pulling the sea: **tides** in any style.",
  productTypes: ["tee" as const],
});

async function newProposal(proposerId: string, title?: string) {
  const created = await createProposal({ proposerId, value: value(title), images: [] });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

async function supporters(n: number) {
  return Promise.all(Array.from({ length: n }, () => createUser()));
}

describe("supporting a proposal", () => {
  it("refuses your own proposal, a second support, and support after the decision", async () => {
    const proposer = await createUser();
    const fan = await createUser();
    const admin = await createUser({ role: "admin" });
    await setSupportThreshold(1, admin.id);
    const id = await newProposal(proposer.id);

    const own = await supportProposal(id, proposer.id);
    expect(own).toMatchObject({ ok: false, code: "forbidden", message: "You can't support your own proposal." });

    expect(await supportProposal(id, fan.id)).toMatchObject({ ok: true, value: { supportCount: 1, queued: true } });
    expect(await supportProposal(id, fan.id)).toMatchObject({
      ok: false,
      code: "conflict",
      message: "You already support this proposal.",
    });

    await declineProposal(id, admin.id, "We ran an ocean round in the spring.");
    const late = await createUser();
    expect(await supportProposal(id, late.id)).toMatchObject({ ok: false, code: "conflict" });
    expect(await withdrawSupport(id, fan.id)).toMatchObject({ ok: false, code: "conflict" });

    const rows = await db.select().from(proposalSupports).where(eq(proposalSupports.proposalId, id));
    expect(rows.map((r) => r.userId)).toEqual([fan.id]);
    const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
    expect(row).toMatchObject({ supportCount: 1, status: "declined" });
  });

  it("freezes the proposal at its first support, and a withdrawn support comes off the counts", async () => {
    const proposer = await createUser();
    const fan = await createUser();
    const id = await newProposal(proposer.id);
    expect(await editProposal(id, proposer.id, value("Tides, revised"))).toMatchObject({ ok: true });
    await supportProposal(id, fan.id);
    expect(await editProposal(id, proposer.id, value("Tides, again"))).toMatchObject({ ok: false, code: "conflict" });
    expect(await withdrawSupport(id, fan.id)).toMatchObject({ ok: true });
    const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
    expect(row).toMatchObject({ title: "Tides, revised", supportCount: 0, recentSupport: 0 });
    // Still frozen: the proposal was supported as it stands.
    expect(await editProposal(id, proposer.id, value("Tides, third"))).toMatchObject({ ok: false });
  });

  it("crosses the threshold exactly once under concurrent supports", async () => {
    const proposer = await createUser();
    const admin = await createUser({ role: "admin" });
    await setSupportThreshold(5, admin.id);
    const id = await newProposal(proposer.id);
    const fans = await supporters(12);
    const outcomes = await Promise.all(fans.map((f) => supportProposal(id, f.id)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes.filter((o) => o.ok && o.value.queued)).toHaveLength(1);
    const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
    expect(row).toMatchObject({ status: "review", supportCount: 12, recentSupport: 12 });
    const queued = await db.select().from(auditLog).where(eq(auditLog.action, "proposal.queued_for_review"));
    expect(queued).toHaveLength(1);
    const told = await db.select().from(notifications).where(eq(notifications.userId, proposer.id));
    expect(told.filter((n) => n.title.includes("is now with the admins for review"))).toHaveLength(1);
  });

  it("a lowered threshold sends the open proposals that already reach it to review, once, from the admin's form", async () => {
    const { action } = await import("~/routes/admin.proposals._index");
    const admin = await createLoggedInUser({ role: "admin" });
    await setSupportThreshold(5, admin.user.id);
    const proposer = await createUser();
    const enough = await newProposal(proposer.id, "Three supporters");
    const short = await newProposal(proposer.id, "One supporter");
    const fans = await supporters(3);
    for (const f of fans) expect(await supportProposal(enough, f.id)).toMatchObject({ ok: true });
    expect(await supportProposal(short, fans[0]!.id)).toMatchObject({ ok: true });

    const save = (threshold: string) =>
      settle(() =>
        action({
          request: formRequest("/admin/proposals", { intent: "threshold", threshold }, { cookie: admin.cookie }),
          params: {},
          context: context(),
        }),
      );
    const saved = await save("3");
    expect(saved.status).toBe(302);
    expect(await toastFrom(saved.response!)).toMatchObject({
      title: "Proposals now need 3 supporters for review",
      description: "1 open proposal already had that many and waits for your decision below.",
    });
    const status = async (id: string) =>
      (await db.select({ status: proposals.status }).from(proposals).where(eq(proposals.id, id)))[0]!.status;
    expect(await status(enough)).toBe("review");
    expect(await status(short)).toBe("open");
    const told = await db.select().from(notifications).where(eq(notifications.userId, proposer.id));
    expect(told.filter((n) => n.title.includes("enough for review now"))).toHaveLength(1);
    // Saving again moves nothing twice.
    expect((await toastFrom((await save("3")).response!))?.description).toBeUndefined();
    const queued = await db.select().from(auditLog).where(eq(auditLog.action, "proposal.queued_for_review"));
    expect(queued).toHaveLength(1);
  });

  it("lists proposals by trending, newest and most supported, a page at a time", async () => {
    const proposer = await createUser();
    const a = await newProposal(proposer.id, "Alpha theme");
    const b = await newProposal(proposer.id, "Beta theme");
    const c = await newProposal(proposer.id, "Gamma theme");
    const fans = await supporters(3);
    for (const f of fans) await supportProposal(b, f.id);
    await supportProposal(a, fans[0]!.id);
    // An old support counts for "most supported" but not for trending.
    const longAgo = new Date(Date.now() - 9 * 24 * 3600 * 1000);
    for (const f of await supporters(4)) await supportProposal(c, f.id, longAgo);
    const { refreshTrendingSupport } = await import("~/domain/proposal-notices.server");
    await refreshTrendingSupport();

    const titles = async (sort: "trending" | "newest" | "supported") =>
      (await listProposals(sort)).items.map((p) => p.title);
    expect(await titles("trending")).toEqual(["Beta theme", "Alpha theme", "Gamma theme"]);
    expect(await titles("supported")).toEqual(["Gamma theme", "Beta theme", "Alpha theme"]);
    expect(await titles("newest")).toEqual(["Gamma theme", "Beta theme", "Alpha theme"]);

    const first = await listProposals("supported", { size: 2 });
    expect(first.items.map((p) => p.title)).toEqual(["Gamma theme", "Beta theme"]);
    const { proposalCursor } = await import("~/domain/proposals.server");
    const { cursorParam } = await import("~/lib/pagination.server");
    const after = cursorParam(proposalCursor).parse(first.next);
    const second = await listProposals("supported", { size: 2, after });
    expect(second.items.map((p) => p.title)).toEqual(["Alpha theme"]);
    expect(second.next).toBeNull();
  });

  it("keeps mood images through the pipeline, and stores nothing for a refused one", async () => {
    const proposer = await createUser();
    const good = await artworkPng({ width: 640, height: 480, seed: 4 });
    const created = await createProposal({ proposerId: proposer.id, value: value(), images: [good] });
    expect(created.ok).toBe(true);
    const [row] = await db.select().from(proposals);
    expect(row!.moodImages).toHaveLength(1);
    expect(row!.moodImages[0]).toMatchObject({ width: 640, height: 480 });
    const refused = await createProposal({
      proposerId: proposer.id,
      value: value("Refused"),
      images: [good, Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>")],
    });
    expect(refused).toMatchObject({ ok: false, code: "invalid", field: "images" });
    expect(await db.select().from(proposals)).toHaveLength(1);
  });
});

describe("the admin's decision", () => {
  it("a declined proposal shows its reason to the proposer, supporters and everyone", async () => {
    const proposer = await createUser();
    const fan = await createUser();
    const admin = await createUser({ role: "admin" });
    await setSupportThreshold(1, admin.id);
    const id = await newProposal(proposer.id);
    await supportProposal(id, fan.id);
    expect(await declineProposal(id, admin.id, "Too close to last month's round.")).toMatchObject({ ok: true });
    expect(await declineProposal(id, admin.id, "Twice")).toMatchObject({ ok: false, code: "conflict" });
    for (const viewer of [null, { id: fan.id, role: "member" }, { id: proposer.id, role: "member" }]) {
      const page = await findProposal(id, viewer);
      expect(page).toMatchObject({ status: "declined", declineReason: "Too close to last month's round." });
      expect(page!.canSupport).toBe(false);
    }
    const toFan = await db.select().from(notifications).where(eq(notifications.userId, fan.id));
    expect(toFan.map((n) => n.title)).toContain('A proposal you supported, "Tides and tide pools", was declined');
    const toProposer = await db.select().from(notifications).where(eq(notifications.userId, proposer.id));
    expect(toProposer.map((n) => n.title)).toContain('Your proposal "Tides and tide pools" was declined');
  });

  it("turns a proposal into a draft round, published later; supporters hear; the proposer's share is paid once", async () => {
    const proposer = await createUser();
    const fan = await createUser();
    const admin = await createUser({ role: "admin" });
    await setSupportThreshold(1, admin.id);
    const id = await newProposal(proposer.id);
    await supportProposal(id, fan.id);
    const accepted = await acceptProposal(id, admin.id, { slug: "tides", proposerShareCents: 5000 });
    if (!accepted.ok) throw new Error(accepted.message);
    const [draft] = await db.select().from(rounds).where(eq(rounds.id, accepted.value.roundId));
    expect(draft).toMatchObject({
      title: "Tides and tide pools",
      slug: "tides",
      publishedAt: null,
      proposalId: id,
      proposerPrizeCents: 5000,
      productTypes: [{ type: "tee", basePriceCents: 2500 }],
    });
    expect(await acceptProposal(id, admin.id, { slug: "tides-2", proposerShareCents: 0 })).toMatchObject({
      ok: false,
      code: "conflict",
    });
    // Nothing for the supporter while it is a draft; the news comes with publishing.
    expect(await db.select().from(notifications).where(eq(notifications.userId, fan.id))).toHaveLength(0);
    expect(await publishRound(draft!.id, admin.id)).toMatchObject({ ok: true });
    expect(await publishRound(draft!.id, admin.id)).toMatchObject({ ok: false, code: "conflict" });
    const told = await db.select().from(notifications).where(eq(notifications.userId, fan.id));
    expect(told).toMatchObject([{ kind: "proposal_round", url: "/rounds/tides" }]);
    // Publishing froze the rules.
    const { roundFormFields } = await import("#tests/factories/index");
    const { roundSchema } = await import("~/domain/round-forms");
    const edit = roundSchema.parse(roundFormFields({ title: "Changed", slug: "tides" }));
    expect(await updateDraftRound(draft!.id, edit, admin.id)).toMatchObject({ ok: false, code: "conflict" });

    // Run the round's clock past its close: finalize pays the proposer's share under its own cause key.
    const later = new Date(draft!.votingClosesAt.getTime() + 1000);
    await finalizeRound(draft!.id, { now: later });
    await finalizeDueRounds(later);
    const paid = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.causeKey, `proposal-prize:${draft!.id}`));
    expect(paid).toMatchObject([{ userId: proposer.id, amountCents: 5000, kind: "prize" }]);
  });

  it("a draft round cannot be finalized and is skipped by the tick", async () => {
    const draft = await createRound({ phase: "closed", draft: true });
    expect(await finalizeRound(draft.id)).toMatchObject({ ok: false, code: "conflict" });
    expect(await finalizeDueRounds()).toEqual([]);
  });
});

describe("draft rounds", () => {
  it("are invisible to members and guests on every list and through their URL, and shown to admins", async () => {
    const member = await createLoggedInUser();
    const admin = await createLoggedInUser({ role: "admin" });
    await createRound({ phase: "submissions", title: "Open Seas", slug: "open-seas" });
    await createRound({ phase: "voting", title: "Voting Now", slug: "voting-now" });
    const drafts = await Promise.all(
      (["draft", "submissions", "voting", "closed"] as const).map((phase) =>
        createRound({ phase, draft: true, title: `Secret ${phase}`, slug: `secret-${phase}` }),
      ),
    );
    const args = (path: string, cookie?: string, params: Record<string, string> = {}) => ({
      request: getRequest(path, { cookie }),
      params,
      context: context(),
    });
    const titlesIn = (data: unknown) => JSON.stringify(data);

    for (const cookie of [undefined, member.cookie]) {
      const lists = [
        await settle(() => roundsLoader(args("/rounds", cookie))),
        await settle(() => homeLoader(args("/", cookie))),
        await settle(() => voteIndexLoader(args("/vote", cookie))),
      ];
      for (const list of lists) {
        expect(list.status).toBe(200);
        expect(titlesIn(list.data)).not.toContain("Secret");
      }
      expect(titlesIn(lists[0]!.data)).toContain("Open Seas");
      expect(titlesIn(lists[2]!.data)).toContain("Voting Now");
      for (const draft of drafts) {
        const params = { slug: draft.slug };
        expect((await settle(() => roundLoader(args(`/rounds/${draft.slug}`, cookie, params)))).status).toBe(404);
        expect((await settle(() => voteLoader(args(`/vote/${draft.slug}`, cookie, params)))).status).toBe(404);
        expect((await settle(() => feedLoader(args(`/rounds/${draft.slug}/feed.xml`, cookie, params)))).status).toBe(
          404,
        );
        expect((await settle(() => resultsLoader(args(`/rounds/${draft.slug}/results`, cookie, params)))).status).toBe(
          404,
        );
        if (cookie)
          expect((await settle(() => submitLoader(args(`/rounds/${draft.slug}/submit`, cookie, params)))).status).toBe(
            404,
          );
      }
    }
    // Admins see drafts, on the lists and through the URL.
    const adminList = await settle(() => roundsLoader(args("/rounds", admin.cookie)));
    expect(titlesIn(adminList.data)).toContain("Secret draft");
    const adminPage = await settle(() =>
      roundLoader(args("/rounds/secret-voting", admin.cookie, { slug: "secret-voting" })),
    );
    expect(adminPage.status).toBe(200);
    expect(adminPage.data.round).toMatchObject({ title: "Secret voting", phase: "draft", draft: true });
    // A draft takes no designs, whatever its clock says (the vote is covered by the 404s above).
    const designer = await createUser();
    const entered = await submitArtwork({
      designerId: designer.id,
      roundSlug: "secret-submissions",
      details: { title: "Sneaked in", description: "", tags: [] },
      bytes: await artworkPng({ seed: 70, width: 1400, height: 1400 }),
    });
    expect(entered).toMatchObject({ ok: false, code: "not_found" });
    expect(await db.select().from(submissions).where(eq(submissions.title, "Sneaked in"))).toEqual([]);
    // Nor a ballot, nor an undo, whatever its clock says: a design placed in the voting draft directly.
    const secretVoting = drafts.find((d) => d.slug === "secret-voting")!;
    const [designId] = await createManySubmissions({ roundId: secretVoting.id, designerIds: [designer.id], count: 1 });
    const design = { id: designId! };
    const voter = await createUser({ createdAt: new Date(Date.now() - 30 * 86_400_000) });
    const ballot = { voter, submissionId: design.id, score: 4, wouldBuy: true };
    expect(await castBallot(ballot)).toMatchObject({ ok: false, code: "conflict" });
    expect(await undoBallot({ voter, submissionId: design.id })).toMatchObject({ ok: false, code: "conflict" });
    expect(await db.select().from(ballots).where(eq(ballots.submissionId, design.id))).toEqual([]);
    const [counted] = await db
      .select({ n: submissions.ballotCount })
      .from(submissions)
      .where(eq(submissions.id, design.id));
    expect(counted!.n).toBe(0);
  });
});
