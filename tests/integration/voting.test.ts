import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ballots, rounds, submissions } from "#db/schema";
import { createBallot, createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, toastFrom } from "#tests/support/requests";
import { castBallot, galleryForViewer, nextForVoter, undoBallot } from "~/domain/voting.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { loader as designLoader } from "~/routes/submissions.$id";
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

/** A post to the vote page; `search` is the address the page's form posts to (`?design=…`, `?skip=…`). */
function vote(slug: string, cookie: string | undefined, fields: Record<string, string>, search = "") {
  return settle(() =>
    voteAction({
      request: formRequest(`/vote/${slug}${search}`, fields, { cookie }),
      params: { slug },
      context: context(),
    }),
  );
}

/** The vote page's data at an address (the one a redirect named, or the one a refused form posted to). */
function votePage(slug: string, cookie: string, search = "") {
  return settle(() =>
    voteLoader({ request: getRequest(`/vote/${slug}${search}`, { cookie }), params: { slug }, context: context() }),
  );
}

async function ballotRows(submissionId: string) {
  return db.select().from(ballots).where(eq(ballots.submissionId, submissionId));
}

/** The design's stored count, and its ballot rows: ADR 009 says they are always equal. */
async function countAndRows(submissionId: string) {
  const [row] = await db
    .select({ ballotCount: submissions.ballotCount })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  return { stored: row!.ballotCount, rows: (await ballotRows(submissionId)).length };
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
    expect(first.response!.headers.get("Location")).toBe(`/vote/${round.slug}?last=${ids[0]}`);
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

  /** A refusal on the vote page is no redirect: its status and message, for the design it was about. */
  async function refusal(
    setup: (ctx: Awaited<ReturnType<typeof votingRound>>) => Promise<{ cookie: string; submissionId: string }>,
    message: RegExp,
    status: number,
  ) {
    const ctx = await votingRound(2);
    const { cookie, submissionId } = await setup(ctx);
    const result = await vote(ctx.round.slug, cookie, { submissionId, score: "5" }, `?design=${submissionId}`);
    expect(result.status).toBe(status);
    expect(result.response).toBeUndefined();
    expect(result.data).toMatchObject({ intent: "score", submissionId });
    expect(result.data.failure.message).toMatch(message);
    expect(await ballotRows(submissionId)).toHaveLength(0);
  }

  it("refuses a designer's own design", () =>
    refusal(
      async ({ designers, ids }) => ({ cookie: designers[0]!.cookie, submissionId: ids[0]! }),
      /^You can't score your own design\.$/,
      403,
    ));

  it("refuses a withdrawn design", () =>
    refusal(
      async ({ ids }) => {
        await db.update(submissions).set({ status: "withdrawn" }).where(eq(submissions.id, ids[0]!));
        return { cookie: (await createLoggedInUser({ createdAt: OLD_ENOUGH })).cookie, submissionId: ids[0]! };
      },
      /its designer withdrew it/,
      409,
    ));

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
    expect(result.status).toBe(409);
    expect(result.data.failure.message).toMatch(/it is not in the vote/);
    expect(await ballotRows(pending)).toHaveLength(0);
  });

  it("refuses before voting opens", () =>
    refusal(
      async ({ round, ids }) => {
        await db
          .update(rounds)
          .set({ votingOpensAt: new Date(Date.now() + 3600_000) })
          .where(eq(rounds.id, round.id));
        return { cookie: (await createLoggedInUser({ createdAt: OLD_ENOUGH })).cookie, submissionId: ids[0]! };
      },
      /^Voting has not opened for this round yet\.$/,
      409,
    ));

  it("refuses after voting closes", () =>
    refusal(
      async ({ round, ids }) => {
        await db
          .update(rounds)
          .set({ votingClosesAt: new Date(Date.now() - 1000) })
          .where(eq(rounds.id, round.id));
        return { cookie: (await createLoggedInUser({ createdAt: OLD_ENOUGH })).cookie, submissionId: ids[0]! };
      },
      /^Voting for this round has ended/,
      409,
    ));

  it("refuses accounts younger than the configured age", () =>
    refusal(
      async ({ ids }) => ({ cookie: (await createLoggedInUser()).cookie, submissionId: ids[0]! }),
      /^New accounts can vote 24 hours after signing up/,
      403,
    ));

  it("refuses more ballots a minute than configured", async () => {
    process.env.BALLOTS_PER_MINUTE = "2";
    resetEnvCache();
    const { round, ids } = await votingRound(3);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    for (const id of ids.slice(0, 2)) {
      const cast = await vote(round.slug, voter.cookie, { submissionId: id, score: "3" });
      expect(cast.status).toBe(303);
      expect(await toastFrom(cast.response!)).toBeNull();
    }
    const third = await vote(round.slug, voter.cookie, { submissionId: ids[2]!, score: "3" });
    expect(third.status).toBe(429);
    expect(third.data.failure.message).toMatch(/^That is more than 2 ballots a minute/);
    expect(await ballotRows(ids[2]!)).toHaveLength(0);
  });
});

describe("a design's page during voting", () => {
  const designPage = (id: string, cookie?: string) =>
    settle(() =>
      designLoader({
        request: getRequest(`/submissions/${id}?ref=abc123`, cookie ? { cookie } : {}),
        params: { id },
        context: context(),
      }),
    );

  it("asks a guest (a share link's visitor) to log in or sign up to score it", async () => {
    const { ids } = await votingRound(1);
    const guest = await designPage(ids[0]!);
    expect(guest.data).toMatchObject({ inviteToVote: true, canVote: false, countsFrom: null });
    const member = await designPage(ids[0]!, (await createLoggedInUser({ createdAt: OLD_ENOUGH })).cookie);
    expect(member.data).toMatchObject({ inviteToVote: false, canVote: true, countsFrom: null });
  });

  it("tells an account too new to vote from when its scores count, the time the vote page gives", async () => {
    const { round, ids } = await votingRound(1);
    const newcomer = await createLoggedInUser();
    const page = await designPage(ids[0]!, newcomer.cookie);
    expect(page.data.inviteToVote).toBe(false);
    expect(page.data.countsFrom).toBe(new Date(newcomer.user.createdAt.getTime() + 24 * 3600_000).toISOString());
    expect(page.data.countsFrom).toBe((await votePage(round.slug, newcomer.cookie)).data.countsFrom);
  });

  it("invites no one once voting is over", async () => {
    const { round, ids } = await votingRound(1);
    await db
      .update(rounds)
      .set({ votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    expect((await designPage(ids[0]!)).data).toMatchObject({ inviteToVote: false, canVote: false });
  });
});

describe("a refused ballot on the vote page", () => {
  it("keeps a new account's design on screen, says why, and said beforehand when its scores count", async () => {
    const { round, ids } = await votingRound(2);
    const newcomer = await createLoggedInUser();
    const before = await votePage(round.slug, newcomer.cookie);
    const shown = before.data.next.id as string;
    expect(ids).toContain(shown);
    // Before any score: when this account's scores start to count.
    expect(before.data.countsFrom).toBe(new Date(newcomer.user.createdAt.getTime() + 24 * 3600_000).toISOString());

    // The score form posts to the page's address with the design on screen in it.
    const refused = await vote(round.slug, newcomer.cookie, { submissionId: shown, score: "2" }, `?design=${shown}`);
    expect(refused.status).toBe(403);
    expect(refused.response).toBeUndefined();
    expect(refused.data.failure.message).toMatch(/^New accounts can vote 24 hours after signing up/);
    // The page rendered for that post (the one a browser without JavaScript shows) has the same design, nothing scored.
    const after = await votePage(round.slug, newcomer.cookie, `?design=${shown}`);
    expect(after.data.next.id).toBe(shown);
    expect(after.data.progress).toEqual({ scored: 0, eligible: 2 });
    expect(await ballotRows(shown)).toHaveLength(0);
    expect(await countAndRows(shown)).toEqual({ stored: 0, rows: 0 });
  });

  it("says nothing about when scores count to an account old enough", async () => {
    const { round } = await votingRound(1);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    expect((await votePage(round.slug, voter.cookie)).data.countsFrom).toBeNull();
  });

  it("does not keep a design the voter can no longer score: the queue serves the next", async () => {
    const { round, ids } = await votingRound(2);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    await db.update(submissions).set({ status: "withdrawn" }).where(eq(submissions.id, ids[0]!));
    expect((await votePage(round.slug, voter.cookie, `?design=${ids[0]}`)).data.next.id).toBe(ids[1]);
    await createBallot({ roundId: round.id, submissionId: ids[1]!, voterId: voter.user.id, score: 3 });
    expect((await votePage(round.slug, voter.cookie, `?design=${ids[1]}`)).data.next).toBeNull();
  });

  it("still sends the design page's form back to the design, with the refusal as a toast", async () => {
    const { round, ids, designers } = await votingRound(1);
    const back = `/submissions/${ids[0]}`;
    const result = await vote(round.slug, designers[0]!.cookie, {
      submissionId: ids[0]!,
      score: "5",
      redirectTo: back,
    });
    expect(result.status).toBe(303);
    expect(result.response!.headers.get("Location")).toBe(back);
    expect((await toastFrom(result.response!))?.description).toBe("You can't score your own design.");
  });
});

describe("the last score, and taking it back", () => {
  it("confirms the score just cast and takes it back on undo, lowering the count with it", async () => {
    const { round, ids } = await votingRound(2);
    const other = await createUser({ createdAt: OLD_ENOUGH });
    await createBallot({ roundId: round.id, submissionId: ids[0]!, voterId: other.id, score: 1 });
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const cast = await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "4", wouldBuy: "on" });
    const next = cast.response!.headers.get("Location")!;
    expect(next).toBe(`/vote/${round.slug}?last=${ids[0]}`);
    expect(await countAndRows(ids[0]!)).toEqual({ stored: 2, rows: 2 });
    const page = await votePage(round.slug, voter.cookie, `?last=${ids[0]}`);
    expect(page.data.last).toEqual({
      submissionId: ids[0],
      title: "Entry 0",
      score: 4,
      wouldBuy: true,
      undoable: true,
    });
    expect(page.data.next.id).toBe(ids[1]);

    const undone = await vote(round.slug, voter.cookie, { intent: "undo", submissionId: ids[0]! });
    expect(undone.status).toBe(303);
    expect(undone.response!.headers.get("Location")).toBe(`/vote/${round.slug}?design=${ids[0]}`);
    expect(await toastFrom(undone.response!)).toMatchObject({ kind: "success", title: "Score taken back" });
    expect((await ballotRows(ids[0]!)).map((b) => b.voterId)).toEqual([other.id]);
    expect(await countAndRows(ids[0]!)).toEqual({ stored: 1, rows: 1 });
    // The design is back on screen, unscored, and no longer confirmed.
    const back = await votePage(round.slug, voter.cookie, `?design=${ids[0]}&last=${ids[0]}`);
    expect(back.data.next.id).toBe(ids[0]);
    expect(back.data.last).toBeNull();
    expect(back.data.progress).toEqual({ scored: 0, eligible: 2 });

    // Undoing it twice takes nothing more.
    const again = await vote(round.slug, voter.cookie, { intent: "undo", submissionId: ids[0]! });
    expect(again.status).toBe(404);
    expect(await countAndRows(ids[0]!)).toEqual({ stored: 1, rows: 1 });
  });

  it("offers no undo for a changed score, which does not keep the score it replaced", async () => {
    const { round, ids } = await votingRound(1);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "2" });
    expect((await votePage(round.slug, voter.cookie, `?last=${ids[0]}`)).data.last.undoable).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "5" });
    expect((await votePage(round.slug, voter.cookie, `?last=${ids[0]}`)).data.last).toMatchObject({
      score: 5,
      undoable: false,
    });
  });

  it("refuses to take back another member's ballot", async () => {
    const { round, ids } = await votingRound(1);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const stranger = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "3" });
    const result = await vote(round.slug, stranger.cookie, { intent: "undo", submissionId: ids[0]! });
    expect(result.status).toBe(404);
    expect(result.data).toMatchObject({ intent: "undo", failure: { code: "not_found" } });
    expect(result.data.failure.message).toBe("You have no score for this design to take back.");
    expect(await ballotRows(ids[0]!)).toMatchObject([{ voterId: voter.user.id, score: 3 }]);
    expect(await countAndRows(ids[0]!)).toEqual({ stored: 1, rows: 1 });
  });

  it("refuses after voting closes and after finalize; the ballot and the count stay", async () => {
    const { round, ids } = await votingRound(1);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "3" });
    await db
      .update(rounds)
      .set({ votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    const closed = await vote(round.slug, voter.cookie, { intent: "undo", submissionId: ids[0]! });
    expect(closed.status).toBe(409);
    expect(closed.data.failure.message).toMatch(/^Voting for this round has ended \(voting closed\)/i);
    await db.update(rounds).set({ finalizedAt: new Date() }).where(eq(rounds.id, round.id));
    const finalized = await undoBallot({ voter: voter.user, submissionId: ids[0]! });
    expect(finalized).toMatchObject({ ok: false, code: "conflict" });
    expect(await ballotRows(ids[0]!)).toHaveLength(1);
    expect(await countAndRows(ids[0]!)).toEqual({ stored: 1, rows: 1 });
  });

  it("keeps the count equal to the ballot rows when voters score, change and take back at once", async () => {
    process.env.BALLOTS_PER_MINUTE = "1000";
    resetEnvCache();
    const { ids } = await votingRound(2);
    const voters = await Promise.all(Array.from({ length: 8 }, () => createUser({ createdAt: OLD_ENOUGH })));
    await Promise.all(
      voters.flatMap((voter, v) =>
        ids.map(async (submissionId, d) => {
          for (let pass = 0; pass < 3; pass++) {
            await castBallot({ voter, submissionId, score: (v + d + pass) % 6, wouldBuy: false });
            if ((v + pass) % 2 === 0) await undoBallot({ voter, submissionId });
          }
        }),
      ),
    );
    for (const id of ids) {
      const { stored, rows } = await countAndRows(id);
      expect(stored).toBe(rows);
      // Voters 1, 3, 5, 7 kept their last score; 0, 2, 4, 6 took theirs back.
      expect(rows).toBe(4);
    }
  });
});

describe("skipping a design", () => {
  it("shows another design and changes no count; skipped ones come back when none is left", async () => {
    const { round, ids } = await votingRound(2);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    for (let i = 0; i < 5; i++) {
      expect((await votePage(round.slug, voter.cookie, `?skip=${ids[0]}`)).data.next.id).toBe(ids[1]);
      expect((await votePage(round.slug, voter.cookie, `?skip=${ids[1]}`)).data.next.id).toBe(ids[0]);
    }
    expect(ids).toContain((await votePage(round.slug, voter.cookie, `?skip=${ids[0]},${ids[1]}`)).data.next.id);
    for (const id of ids) expect(await countAndRows(id)).toEqual({ stored: 0, rows: 0 });
    // A score keeps the skips in the address it goes on to.
    const cast = await vote(round.slug, voter.cookie, { submissionId: ids[1]!, score: "1" }, `?skip=${ids[0]}`);
    expect(cast.response!.headers.get("Location")).toBe(`/vote/${round.slug}?skip=${ids[0]}&last=${ids[1]}`);
  });

  it("says when the design on screen is the last one left, and offers nothing to skip to", async () => {
    const { round, ids } = await votingRound(2);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    expect((await votePage(round.slug, voter.cookie)).data.isLast).toBe(false);
    await vote(round.slug, voter.cookie, { submissionId: ids[0]!, score: "3" });
    // Skipping the last one (an address from before, or a script) still shows it, as the last.
    for (const search of ["", `?skip=${ids[1]}`]) {
      const page = await votePage(round.slug, voter.cookie, search);
      expect(page.data.next.id).toBe(ids[1]);
      expect(page.data.isLast).toBe(true);
    }
    await vote(round.slug, voter.cookie, { submissionId: ids[1]!, score: "3" });
    expect((await votePage(round.slug, voter.cookie)).data).toMatchObject({ next: null, isLast: false });
  });

  it("answers 400 for a skip list it cannot read", async () => {
    const { round } = await votingRound(1);
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    for (const skip of ["not-a-uuid", Array.from({ length: 21 }, () => crypto.randomUUID()).join(",")])
      expect((await votePage(round.slug, voter.cookie, `?skip=${skip}`)).status).toBe(400);
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
    // Each viewer starts the round's random order at a point of their own (ADR 010): over twenty viewers,
    // more than one design opens the gallery.
    const others = await Promise.all([b.id, ...Array.from({ length: 19 }, (_, i) => `viewer-${i}`)].map(orderFor));
    expect(others.some((o) => o.join() !== first.join())).toBe(true);
    expect(new Set([first, ...others].map((o) => o[0])).size).toBeGreaterThan(1);
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
