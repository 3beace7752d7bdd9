import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, ballots, ballotVoids, roundResults, rounds } from "#db/schema";
import {
  createLoggedInUser,
  createManySubmissions,
  createRound,
  createUser,
  createVotingRing,
} from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { voidBallots, voidedBallotCount } from "~/domain/ballot-voids.server";
import { finalizeRound } from "~/domain/finalize.server";
import { coVotingGroups, designsLeaningOnLowWeight, voterWeightsForIntegrity } from "~/domain/integrity.server";
import { ballotsCsvStream } from "~/domain/results.server";
import { db } from "~/lib/db.server";
import { action, loader } from "~/routes/admin.rounds.$id_.integrity";
import { loader as resultsLoader } from "~/routes/rounds.$slug_.results";

/** A seeded generator, so the honest ballots are the same every run. */
function seeded(seed: number) {
  let t = seed;
  return () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const HONEST = 20;
const HONEST_BALLOTS = HONEST * 6 + 2;
const RING = 6;

/**
 * A round in voting: 24 designs; 20 honest voters who each score 6 of the
 * first 23 at random, two of whom also score the target (the last design) 2
 * and 3; and a ring of 6 accounts that all score the target 5 and five
 * rivals 0.
 */
async function roundWithRing() {
  const round = await createRound({ phase: "voting", minVotes: 1, voterMinScored: 3, winnersCount: 1 });
  const designers = await Promise.all([createUser(), createUser(), createUser()]);
  const designs = await createManySubmissions({
    roundId: round.id,
    designerIds: designers.map((d) => d.id),
    count: 24,
  });
  const target = designs[23]!;
  const random = seeded(14);
  const honest = await Promise.all(
    Array.from({ length: HONEST }, () => createUser({ createdAt: new Date(Date.now() - 90 * 86_400_000) })),
  );
  await db.insert(ballots).values([
    ...honest.flatMap((voter) => {
      const picked = new Set<number>();
      while (picked.size < 6) picked.add(Math.floor(random() * 23));
      return [...picked].map((d) => ({
        roundId: round.id,
        submissionId: designs[d]!,
        voterId: voter.id,
        score: Math.floor(random() * 6),
      }));
    }),
    { roundId: round.id, submissionId: target, voterId: honest[0]!.id, score: 2 },
    { roundId: round.id, submissionId: target, voterId: honest[1]!.id, score: 3 },
  ]);
  const ring = await createVotingRing({
    roundId: round.id,
    submissionIds: [target, designs[0]!, designs[1]!, designs[2]!, designs[3]!, designs[4]!],
    scores: [5, 0, 0, 0, 0, 0],
    size: RING,
    prefix: "ring",
  });
  return { round, designs, honest, ring, target };
}

const read = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe("integrity view", () => {
  it("finds the planted ring as one group, and no honest voter in it", async () => {
    const { round, ring } = await roundWithRing();
    const groups = await coVotingGroups(round.id);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.accounts.map((a) => a.username).sort()).toEqual(ring.map((r) => r.username).sort());
    expect(groups[0]!.accounts.every((a) => a.ballots === 6)).toBe(true);
  });

  it("shows an admin the ring, the hourly ballots and the sources; a member gets 403", async () => {
    const { round, ring } = await roundWithRing();
    const admin = await createLoggedInUser({ role: "admin" });
    const page = await settle(() =>
      loader({
        request: getRequest(`/admin/rounds/${round.id}/integrity`, { cookie: admin.cookie }),
        params: { id: round.id },
        context: context(),
      }),
    );
    expect(page.status).toBe(200);
    expect(page.data.sources).toMatchObject({
      total: HONEST_BALLOTS + RING * 6,
      fromNewAccounts: RING * 6,
      viaRecentShareLink: 0,
    });
    expect(page.data.hours.reduce((n: number, h: { n: number }) => n + h.n, 0)).toBe(HONEST_BALLOTS + RING * 6);
    expect(page.data.groups[0].accounts).toHaveLength(ring.length);

    const member = await createLoggedInUser();
    for (const run of [
      () =>
        loader({
          request: getRequest(`/admin/rounds/${round.id}/integrity`, { cookie: member.cookie }),
          params: { id: round.id },
          context: context(),
        }),
      () =>
        action({
          request: formRequest(
            `/admin/rounds/${round.id}/integrity`,
            {
              intent: "void",
              voterIds: ring.map((r) => r.id).join(","),
              reason: "identical ballots",
              confirmed: "void",
            },
            { cookie: member.cookie },
          ),
          params: { id: round.id },
          context: context(),
        }),
    ]) {
      expect((await settle(run)).status).toBe(403);
    }
    expect(await db.select().from(ballotVoids)).toEqual([]);
  });

  it("asks first, then voids the ring with its reason, audited; finalize, the CSV and the results page leave it out", async () => {
    const { round, ring, target } = await roundWithRing();
    const admin = await createLoggedInUser({ role: "admin" });
    const post = (fields: Record<string, string>) =>
      settle(() =>
        action({
          request: formRequest(`/admin/rounds/${round.id}/integrity`, fields, { cookie: admin.cookie }),
          params: { id: round.id },
          context: context(),
        }),
      );
    const fields = { intent: "void", voterIds: ring.map((r) => r.id).join(","), reason: "Identical ballots, one ring" };
    const asked = await post(fields);
    expect(asked.status).toBe(200);
    // The question names the ballots that go and the accounts, by username.
    const names = ring
      .map((r) => r.username)
      .sort()
      .map((u) => `@${u}`)
      .join(", ");
    expect(asked.data.confirm.question).toContain(`Void 36 ballots of 6 accounts (${names}) in “`);
    expect(asked.data.confirm.confirmLabel).toBe("Yes, void 36 ballots");
    expect(await db.select().from(ballotVoids)).toEqual([]);

    const done = await post({ ...fields, confirmed: "void" });
    expect(done.status).toBe(302);
    const voids = await db.select().from(ballotVoids).where(eq(ballotVoids.roundId, round.id));
    expect(voids).toHaveLength(6);
    expect(
      voids.every(
        (v) => v.reason === "Identical ballots, one ring" && v.ballotsAtVoid === 6 && v.voidedById === admin.user.id,
      ),
    ).toBe(true);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "ballots.voided"));
    expect(audits.map((a) => a.subjectId).sort()).toEqual(ring.map((r) => r.id).sort());
    expect(await voidedBallotCount(round.id)).toBe(36);
    // The ring is dealt with: it no longer shows as a group.
    expect(await coVotingGroups(round.id)).toEqual([]);

    await db
      .update(rounds)
      .set({ votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    expect((await finalizeRound(round.id)).ok).toBe(true);
    const [targetResult] = await db
      .select()
      .from(roundResults)
      .where(and(eq(roundResults.roundId, round.id), eq(roundResults.submissionId, target)));
    // Only the honest voters' ballots on the target count.
    const [honestOnTarget] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(ballots)
      .where(and(eq(ballots.submissionId, target), sql`${ballots.voterId} not in (select voter_id from ballot_voids)`));
    expect(targetResult!.ballots).toBe(honestOnTarget!.n);
    const [finalized] = await db.select().from(rounds).where(eq(rounds.id, round.id));
    expect(finalized!.countedBallots).toBe(HONEST_BALLOTS);

    const csv = await read(ballotsCsvStream(finalized!));
    expect(csv.trim().split("\n")).toHaveLength(1 + HONEST_BALLOTS);

    const results = await settle(() =>
      resultsLoader({
        request: getRequest(`/rounds/${round.slug}/results`),
        params: { slug: round.slug },
        context: context(),
      }),
    );
    expect(results.data.voidedBallots).toBe(36);
  });

  it("refuses forged ids, other rounds' voters, a round not yet voting and a finalized round, changing nothing", async () => {
    const { round, ring, honest } = await roundWithRing();
    const admin = await createLoggedInUser({ role: "admin" });
    const post = (fields: Record<string, string>, roundId = round.id) =>
      settle(() =>
        action({
          request: formRequest(`/admin/rounds/${roundId}/integrity`, fields, { cookie: admin.cookie }),
          params: { id: roundId },
          context: context(),
        }),
      );
    const base = { intent: "void", reason: "identical ballots", confirmed: "void" };
    expect((await post({ ...base, voterIds: "not-a-uuid" })).status).toBe(400);
    expect((await post({ ...base, voterIds: `${ring[0]!.id},'; drop table ballots; --` })).status).toBe(400);
    // A member who never voted here, next to a ring member: the whole decision is refused.
    const stranger = await createUser();
    const mixed = await post({ ...base, voterIds: `${ring[0]!.id},${stranger.id}` });
    expect(mixed.status).toBe(404);
    expect(mixed.data.errors[0]).toMatch(/cast no ballot in this round/);
    expect((await post({ ...base, voterIds: ring[0]!.id }, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await post({ ...base, voterIds: ring[0]!.id }, "nope")).status).toBe(404);
    expect((await post({ ...base, reason: "x", voterIds: ring[0]!.id })).status).toBe(400);

    const early = await createRound({ phase: "submissions" });
    const tooEarly = await voidBallots({
      roundId: early.id,
      voterIds: [honest[0]!.id],
      reason: "test",
      adminId: admin.user.id,
    });
    expect(tooEarly).toMatchObject({ ok: false, code: "conflict" });

    await db
      .update(rounds)
      .set({ votingClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, round.id));
    // Voting closed, not finalized: still allowed.
    expect(
      await voidBallots({
        roundId: round.id,
        voterIds: [ring[0]!.id],
        reason: "closed is fine",
        adminId: admin.user.id,
      }),
    ).toMatchObject({
      ok: true,
      value: { accounts: 1, ballots: 6 },
    });
    expect((await finalizeRound(round.id)).ok).toBe(true);
    const after = await post({ ...base, voterIds: ring[1]!.id });
    expect(after.status).toBe(409);
    expect(after.data.errors[0]).toMatch(/results are published/);
    expect(await db.select({ voterId: ballotVoids.voterId }).from(ballotVoids)).toEqual([{ voterId: ring[0]!.id }]);
  });

  it("names designs whose score leans on low-weight voters, through the weights it is given", async () => {
    const { round, target, ring } = await roundWithRing();
    // Under the round's own rule (2: agreement) every voter gets a weight from 0 to 1, as finalize would give it.
    const live = await voterWeightsForIntegrity(round);
    expect(live.size).toBe(HONEST + RING);
    expect([...live.values()].every((w) => w >= 0 && w <= 1)).toBe(true);
    // Rule 1: every voter here scored ≥ 3 designs, so all weigh 1 and nothing leans.
    const ruleOne = await voterWeightsForIntegrity({ ...round, rankingRule: { version: 1 } });
    expect([...ruleOne.values()].every((w) => w === 1)).toBe(true);
    expect(await designsLeaningOnLowWeight(round.id, ruleOne)).toEqual([]);
    // Weights as an agreement rule gives a ring outvoted by honest voters: the ring's accounts near 0.
    const weights = new Map(ruleOne);
    for (const r of ring) weights.set(r.id, 0.05);
    const leaning = await designsLeaningOnLowWeight(round.id, weights);
    expect(leaning[0]).toMatchObject({ submissionId: target });
    expect(leaning[0]!.lowWeightShare).toBeGreaterThanOrEqual(0.5);
  });
});
