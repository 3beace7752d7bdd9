import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ballots, rounds, submissions } from "#db/schema";
import { createBallot, createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { galleryForViewer, nextForVoter } from "~/domain/voting.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { action as voteAction, loader as voteLoader } from "~/routes/vote.$slug";

const OLD_ENOUGH = new Date(Date.now() - 3 * 24 * 3600 * 1000);

async function votingRound(entries = 3) {
  const round = await createRound({ phase: "submissions" });
  const admin = await createUser({ role: "admin" });
  const designers = [];
  const ids: string[] = [];
  for (let i = 0; i < entries; i++) {
    const designer = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    designers.push(designer);
    ids.push(
      await createSubmission({
        round,
        designerId: designer.user.id,
        seed: 100 + i,
        title: `Entry ${i}`,
        moderate: { adminId: admin.id, decision: "approved" },
      }),
    );
  }
  await openVoting(round.id);
  return { round, designers, ids, admin };
}

async function openVoting(roundId: string) {
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 60_000) })
    .where(eq(rounds.id, roundId));
}

function vote(slug: string, cookie: string | undefined, fields: Record<string, string>) {
  return settle(() =>
    voteAction({ request: formRequest(`/vote/${slug}`, fields, { cookie }), params: { slug }, context: context() }),
  );
}

async function ballotRows(submissionId: string) {
  return db.select().from(ballots).where(eq(ballots.submissionId, submissionId));
}

afterEach(() => {
  delete process.env.BALLOTS_PER_MINUTE;
  delete process.env.VOTER_MIN_ACCOUNT_AGE_HOURS;
  resetEnvCache();
});

describe("casting a ballot", () => {
  it("records a score and lets the voter change it until voting closes", async () => {
    const { round, ids } = await votingRound();
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const first = await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "4", wouldBuy: "on" });
    expect(first.status).toBe(303);
    expect(first.response!.headers.get("Location")).toBe(`/vote/${round.slug}`);
    expect(await ballotRows(ids[0]!)).toMatchObject([
      { voterId: voter.user.id, score: 4, wouldBuy: true, roundId: round.id },
    ]);
    await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "2", redirectTo: `/submissions/${ids[0]}` });
    const rows = await ballotRows(ids[0]!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 2, wouldBuy: false });
  });

  it("keeps one row when the same ballot arrives 50 times at once", async () => {
    const { round, ids } = await votingRound(1);
    process.env.BALLOTS_PER_MINUTE = "1000";
    resetEnvCache();
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "5" })),
    );
    expect(results.every((r) => r.status === 303)).toBe(true);
    expect(await ballotRows(ids[0]!)).toHaveLength(1);
  });

  it("refuses a score outside 0–5", async () => {
    const { round, ids } = await votingRound(1);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    for (const score of ["6", "-1", "2.5", "five"]) {
      const result = await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score });
      expect(result.status).toBe(400);
    }
    expect(await ballotRows(ids[0]!)).toHaveLength(0);
  });

  it("sends a visitor to log in", async () => {
    const { round, ids } = await votingRound(1);
    const result = await vote(round.slug, undefined, { submissionId: ids[0]!, score: "3" });
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toMatch(/^\/login/);
    expect(await ballotRows(ids[0]!)).toHaveLength(0);
  });

  async function refusal(
    setup: (ctx: Awaited<ReturnType<typeof votingRound>>) => Promise<{ cookie: string; submissionId: string }>,
    message: RegExp,
  ) {
    const ctx = await votingRound(2);
    const { cookie, submissionId } = await setup(ctx);
    const result = await vote(ctx.round.slug, cookie, { submissionId, score: "5" });
    expect(result.status).toBe(303);
    const toast = await toastFrom(result.response!);
    expect(toast?.kind).toBe("error");
    expect(toast?.description).toMatch(message);
    expect(await ballotRows(submissionId)).toHaveLength(0);
  }

  it("refuses a designer's own design", () =>
    refusal(
      async ({ designers, ids }) => ({ cookie: designers[0]!.cookie, submissionId: ids[0]! }),
      /^You can't score your own design\.$/,
    ));

  it("refuses a withdrawn design", () =>
    refusal(async ({ ids }) => {
      await db.update(submissions).set({ status: "withdrawn" }).where(eq(submissions.id, ids[0]!));
      return { cookie: (await createLoggedInUser({ createdAt: OLD_ENOUGH })).cookie, submissionId: ids[0]! };
    }, /its designer withdrew it/));

  it("refuses a design that is not approved", async () => {
    const ctx = await votingRound(1);
    const designer = await createUser({ createdAt: OLD_ENOUGH });
    // Entered while submissions were open, never approved.
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() + 3600_000) })
      .where(eq(rounds.id, ctx.round.id));
    const pending = await createSubmission({
      round: { ...ctx.round, votingOpensAt: new Date(Date.now() + 3600_000) },
      designerId: designer.id,
      seed: 300,
    });
    await openVoting(ctx.round.id);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const result = await vote(ctx.round.slug, voter.cookie, { submissionId: pending, score: "5" });
    expect((await toastFrom(result.response!))?.description).toMatch(/it is not in the vote/);
    expect(await ballotRows(pending)).toHaveLength(0);
  });

  it("refuses before voting opens", () =>
    refusal(async ({ round, ids }) => {
      await db
        .update(rounds)
        .set({ votingOpensAt: new Date(Date.now() + 3600_000) })
        .where(eq(rounds.id, round.id));
      return { cookie: (await createLoggedInUser({ createdAt: OLD_ENOUGH })).cookie, submissionId: ids[0]! };
    }, /^Voting has not opened for this round yet\.$/));

  it("refuses after voting closes", () =>
    refusal(async ({ round, ids }) => {
      await db
        .update(rounds)
        .set({ votingClosesAt: new Date(Date.now() - 1000) })
        .where(eq(rounds.id, round.id));
      return { cookie: (await createLoggedInUser({ createdAt: OLD_ENOUGH })).cookie, submissionId: ids[0]! };
    }, /^Voting for this round has ended/));

  it("refuses accounts younger than the configured age", () =>
    refusal(
      async ({ ids }) => ({ cookie: (await createLoggedInUser()).cookie, submissionId: ids[0]! }),
      /^New accounts can vote 24 hours after signing up/,
    ));

  it("refuses more ballots a minute than configured", async () => {
    process.env.BALLOTS_PER_MINUTE = "2";
    resetEnvCache();
    const { round, ids } = await votingRound(3);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    for (const id of ids.slice(0, 2))
      expect(
        await toastFrom((await vote(round.slug, voter.cookie, { submissionId: id, score: "3" })).response!),
      ).toBeNull();
    const third = await vote(round.slug, voter.cookie, { submissionId: ids[2]!, score: "3" });
    expect((await toastFrom(third.response!))?.description).toMatch(/^That is more than 2 ballots a minute/);
    expect(await ballotRows(ids[2]!)).toHaveLength(0);
  });
});

describe("fair exposure", () => {
  it("serves the unscored design with the fewest ballots, never the voter's own", async () => {
    const { round, ids, designers } = await votingRound(3);
    const others = await Promise.all([1, 2, 3].map(() => createUser({ createdAt: OLD_ENOUGH })));
    // Entry 0: 3 ballots, entry 1: 1 ballot, entry 2: 2 ballots.
    for (const [i, n] of [3, 1, 2].entries()) {
      for (let k = 0; k < n; k++)
        await createBallot({ roundId: round.id, submissionId: ids[i]!, voterId: others[k]!.id, score: 3 });
    }
    const voter = await createUser({ createdAt: OLD_ENOUGH });
    expect((await nextForVoter(round.id, voter.id))?.id).toBe(ids[1]);
    await createBallot({ roundId: round.id, submissionId: ids[1]!, voterId: voter.id, score: 4 });
    expect((await nextForVoter(round.id, voter.id))?.id).toBe(ids[2]);
    // The designer of entry 1 is never shown their own work: next for them is entry 2 (2 ballots), not entry 1.
    expect((await nextForVoter(round.id, designers[1]!.user.id))?.id).toBe(ids[2]);
    await createBallot({ roundId: round.id, submissionId: ids[2]!, voterId: voter.id, score: 4 });
    await createBallot({ roundId: round.id, submissionId: ids[0]!, voterId: voter.id, score: 4 });
    expect(await nextForVoter(round.id, voter.id)).toBeNull();
  });

  it("shows the vote page's next design and progress", async () => {
    const { round, ids } = await votingRound(2);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const page = await settle(() =>
      voteLoader({
        request: getRequest(`/vote/${round.slug}`, { cookie: voter.cookie }),
        params: { slug: round.slug },
        context: context(),
      }),
    );
    expect(ids).toContain(page.data.next.id);
    expect(page.data.progress).toEqual({ scored: 0, eligible: 2 });
    expect(JSON.stringify(page.data)).not.toContain("private/");
  });

  it("shuffles the gallery per viewer, the same way every time", async () => {
    const { round } = await votingRound(8);
    const a = await createUser();
    const b = await createUser();
    const orderFor = async (id: string | null) => (await galleryForViewer(round.id, id)).items.map((s) => s.id);
    const first = await orderFor(a.id);
    expect(await orderFor(a.id)).toEqual(first);
    expect(first).toHaveLength(8);
    const others = await Promise.all([b.id, "x1", "x2", "x3"].map((id) => orderFor(id)));
    expect(others.some((o) => o.join() !== first.join())).toBe(true);
  });
});

describe("what a designer sees during voting", () => {
  it("is the number of ballots, not the scores", async () => {
    const { round, ids, designers } = await votingRound(1);
    const voters = await Promise.all([1, 2].map(() => createUser({ createdAt: OLD_ENOUGH })));
    for (const v of voters) await createBallot({ roundId: round.id, submissionId: ids[0]!, voterId: v.id, score: 5 });
    const { loader } = await import("~/routes/submissions.$id");
    const page = await settle(() =>
      loader({
        request: getRequest(`/submissions/${ids[0]}`, { cookie: designers[0]!.cookie }),
        params: { id: ids[0]! },
        context: context(),
      }),
    );
    expect(page.data.ballotCount).toBe(2);
    expect(page.data.canVote).toBe(false);
    expect(JSON.stringify(page.data)).not.toMatch(/"score"/);
    const rows = await db
      .select()
      .from(ballots)
      .where(and(eq(ballots.submissionId, ids[0]!)));
    expect(rows).toHaveLength(2);
  });
});
