import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, proposals, proposalSupports, rounds } from "#db/schema";
import { createLoggedInUser, createUser, DEFAULT_PASSWORD } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { deleteAccount } from "~/domain/account-deletion.server";
import { finalizeRound } from "~/domain/finalize.server";
import {
  acceptProposal,
  createProposal,
  findProposal,
  listProposals,
  reviewQueue,
  setSupportThreshold,
  supportProposal,
} from "~/domain/proposals.server";
import { publishRound } from "~/domain/round-admin.server";
import { db } from "~/lib/db.server";
import { loader as exportLoader } from "~/routes/account_.export[.]json";

const value = (title: string) => ({
  title,
  brief: "Rock pools, kelp, the moon pulling the sea: **tides** in any style.",
  productTypes: ["tee" as const],
});

async function newProposal(proposerId: string, title: string) {
  const created = await createProposal({ proposerId, value: value(title), images: [] });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

const proposalRow = async (id: string) => (await db.select().from(proposals).where(eq(proposals.id, id)))[0]!;

describe("a proposer or supporter deletes their account", () => {
  it("withdraws their open proposals, takes their supports off the counts, and shows no profile link", async () => {
    const admin = await createUser({ role: "admin" });
    const leaver = await createUser({ username: "leaver" });
    const other = await createUser({ username: "stayer" });
    const fans = await Promise.all([createUser(), createUser()]);
    await setSupportThreshold(2, admin.id);

    const open = await newProposal(leaver.id, "Leaver's open theme");
    const inReview = await newProposal(leaver.id, "Leaver's theme in review");
    for (const fan of fans) await supportProposal(inReview, fan.id);
    // Supports the leaver gave: one to a proposal still open, one to a proposal already decided.
    const theirs = await newProposal(other.id, "Someone else's theme");
    await supportProposal(theirs, leaver.id);
    await supportProposal(theirs, fans[0]!.id);
    const decided = await newProposal(other.id, "Decided theme");
    await supportProposal(decided, leaver.id);
    await supportProposal(decided, fans[1]!.id);
    expect(await acceptProposal(decided, admin.id, { slug: "decided", proposerShareCents: 0 })).toMatchObject({
      ok: true,
    });
    expect(await proposalRow(theirs)).toMatchObject({ status: "review", supportCount: 2, recentSupport: 2 });

    expect(await deleteAccount(leaver.id, DEFAULT_PASSWORD)).toMatchObject({ ok: true });

    expect(await proposalRow(open)).toMatchObject({ status: "withdrawn" });
    expect(await proposalRow(inReview)).toMatchObject({ status: "withdrawn" });
    expect((await listProposals("newest")).items.map((p) => p.title)).toEqual(["Someone else's theme"]);
    expect((await reviewQueue()).items.map((p) => p.title)).toEqual(["Someone else's theme"]);
    expect(await findProposal(open, null)).toBeNull();
    // Their support is gone, and off the counts of the proposal still taking support.
    expect(await db.select().from(proposalSupports).where(eq(proposalSupports.userId, leaver.id))).toEqual([]);
    expect(await proposalRow(theirs)).toMatchObject({ status: "review", supportCount: 1, recentSupport: 1 });
    expect(await proposalRow(decided)).toMatchObject({ status: "accepted", supportCount: 2 });
    // A proposal of theirs that was decided keeps its page, without a link to the anonymised account.
    expect(await findProposal(decided, null)).toMatchObject({ proposer: "stayer" });
  });

  it("names no deleted proposer on lists and pages", async () => {
    const admin = await createUser({ role: "admin" });
    const leaver = await createUser({ username: "gone" });
    const fan = await createUser();
    await setSupportThreshold(1, admin.id);
    const id = await newProposal(leaver.id, "Accepted before leaving");
    await supportProposal(id, fan.id);
    await acceptProposal(id, admin.id, { slug: "accepted-before", proposerShareCents: 0 });
    expect(await findProposal(id, null)).toMatchObject({ proposer: "gone" });
    expect(await deleteAccount(leaver.id, DEFAULT_PASSWORD)).toMatchObject({ ok: true });
    const page = await findProposal(id, { id: admin.id, role: "admin" });
    expect(page).toMatchObject({ status: "accepted", proposer: null });
  });

  it("pays no proposer's share to a deleted account at finalize", async () => {
    const admin = await createUser({ role: "admin" });
    const proposer = await createUser();
    const fan = await createUser();
    await setSupportThreshold(1, admin.id);
    const id = await newProposal(proposer.id, "Share for a leaver");
    await supportProposal(id, fan.id);
    const accepted = await acceptProposal(id, admin.id, { slug: "leaver-share", proposerShareCents: 5000 });
    if (!accepted.ok) throw new Error(accepted.message);
    expect(await publishRound(accepted.value.roundId, admin.id)).toMatchObject({ ok: true });
    expect(await deleteAccount(proposer.id, DEFAULT_PASSWORD)).toMatchObject({ ok: true });

    // Voting is over: the admin's confirmation names only the prizes that will be paid.
    await db
      .update(rounds)
      .set({
        submissionsOpenAt: new Date(Date.now() - 3 * 3600_000),
        votingOpensAt: new Date(Date.now() - 2 * 3600_000),
        votingClosesAt: new Date(Date.now() - 60_000),
      })
      .where(eq(rounds.id, accepted.value.roundId));
    const { action: adminRoundAction } = await import("~/routes/admin.rounds.$id");
    const adminSession = await createLoggedInUser({ role: "admin" });
    const asked = await settle(() =>
      adminRoundAction({
        request: formRequest(
          `/admin/rounds/${accepted.value.roundId}`,
          { intent: "finalize" },
          { cookie: adminSession.cookie },
        ),
        params: { id: accepted.value.roundId },
        context: context(),
      }),
    );
    expect(asked.data.confirm.question).toMatch(/^Finalize “.*” now\?/);
    expect(asked.data.confirm.question).not.toContain("to the proposer");

    const [round] = await db.select().from(rounds).where(eq(rounds.id, accepted.value.roundId));
    expect(await finalizeRound(round!.id, { now: new Date(round!.votingClosesAt.getTime() + 1000) })).toMatchObject({
      ok: true,
    });
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, proposer.id))).toEqual([]);
    expect(
      await db
        .select()
        .from(ledgerEntries)
        .where(eq(ledgerEntries.causeKey, `proposal-prize:${round!.id}`)),
    ).toEqual([]);
  });
});

describe("data export", () => {
  it("includes the member's proposals and the proposals they support", async () => {
    const me = await createLoggedInUser({ username: "exporter" });
    const other = await createUser();
    const mine = await newProposal(me.user.id, "My own theme");
    const theirs = await newProposal(other.id, "Their theme");
    await supportProposal(theirs, me.user.id);
    await supportProposal(mine, other.id);
    const response = (await exportLoader({
      request: getRequest("/account/export.json", { cookie: me.cookie }),
      params: {},
      context: context(),
    })) as Response;
    const data = JSON.parse(await response.text());
    expect(data.proposals).toEqual([
      expect.objectContaining({ id: mine, title: "My own theme", status: "open", supportCount: 1, moodImages: [] }),
    ]);
    expect(data.proposalSupports).toEqual([expect.objectContaining({ proposalId: theirs, title: "Their theme" })]);
  });
});

describe("the trending refresh", () => {
  it("does not write over a support given while it runs", async () => {
    const { refreshTrendingSupport } = await import("~/domain/proposal-notices.server");
    const proposer = await createUser();
    const [old, late] = await Promise.all([createUser(), createUser()]);
    const id = await newProposal(proposer.id, "Racing theme");
    // One support that has aged out: the stored key (1) is stale and the refresh will bring it to 0.
    await supportProposal(id, old.id, new Date(Date.now() - 9 * 24 * 3600 * 1000));
    let refreshed: Promise<number> | undefined;
    await db.transaction(async (tx) => {
      // A support in flight: the row is locked and raised, not yet committed, when the refresh starts.
      await tx.insert(proposalSupports).values({ proposalId: id, userId: late.id });
      await tx.update(proposals).set({ supportCount: 2, recentSupport: 2 }).where(eq(proposals.id, id));
      refreshed = refreshTrendingSupport();
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    await refreshed;
    expect(await proposalRow(id)).toMatchObject({ supportCount: 2, recentSupport: 1 });
  });
});
