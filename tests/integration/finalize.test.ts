import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  auditLog,
  ballots,
  ledgerEntries,
  products,
  productVariants,
  roundResults,
  rounds,
  roundVoterWeights,
  submissions,
} from "#db/schema";
import { createBallot, createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { ALREADY_FINALIZED, finalizeDueRounds, finalizeRound, NOT_DUE } from "~/domain/finalize.server";
import { BallotBook, CURRENT_RANKING_RULE, rankByRule, type Ballot } from "~/domain/ranking";
import { changeSchedule, disqualifySubmission } from "~/domain/round-admin.server";
import { db } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { action as adminRoundAction } from "~/routes/admin.rounds.$id";
import { loader as csvLoader } from "~/routes/rounds.$slug_.ballots[.]csv";
import { loader as roundLoader } from "~/routes/rounds.$slug";
import { loader as resultsLoader } from "~/routes/rounds.$slug_.results";

/** A round with 4 approved entries, voted on, whose voting has just closed. */
async function closedRound(options: { prizeCents?: number; winnersCount?: number } = {}) {
  const round = await createRound({
    phase: "submissions",
    minVotes: 2,
    voterMinScored: 2,
    winnersCount: options.winnersCount ?? 2,
    prizeCents: options.prizeCents ?? 5000,
  });
  const admin = await createUser({ role: "admin" });
  const designers = await Promise.all([0, 1, 2, 3].map(() => createUser()));
  const ids: string[] = [];
  for (const [i, d] of designers.entries()) {
    ids.push(
      await createSubmission({
        round,
        designerId: d.id,
        seed: 200 + i,
        title: `Design ${i}`,
        moderate: { adminId: admin.id, decision: "approved" },
      }),
    );
  }
  const voters = await Promise.all([0, 1, 2].map(() => createUser()));
  // Scores: design 2 best, then 0, then 3, then 1.
  const scores = [
    [4, 4, 3],
    [1, 2, 1],
    [5, 5, 4],
    [3, 2, 3],
  ];
  for (const [i, row] of scores.entries()) {
    for (const [v, score] of row.entries())
      await createBallot({
        roundId: round.id,
        submissionId: ids[i]!,
        voterId: voters[v]!.id,
        score,
        wouldBuy: score >= 4,
      });
  }
  // A one-ballot account pushing design 1: it must not count.
  const puppet = await createUser();
  await createBallot({ roundId: round.id, submissionId: ids[1]!, voterId: puppet.id, score: 5, wouldBuy: true });
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
    .where(eq(rounds.id, round.id));
  return { round, ids, designers, admin };
}

async function countRows() {
  const [r, p, v, l] = await Promise.all([
    db.select().from(roundResults),
    db.select().from(products),
    db.select().from(productVariants),
    db.select().from(ledgerEntries),
  ]);
  return { results: r.length, products: p.length, variants: v.length, ledger: l.length };
}

describe("finalize", () => {
  it("ranks, stores results, creates the winners' products and prizes, once", async () => {
    const { round, ids, designers } = await closedRound();
    const outcome = await finalizeRound(round.id);
    expect(outcome).toMatchObject({
      ok: true,
      value: { roundId: round.id, ranked: 4, winners: 2, products: 4, prizes: 2 },
    });

    const results = await db.select().from(roundResults).where(eq(roundResults.roundId, round.id));
    const byRank = [...results].sort((a, b) => a.rank - b.rank);
    expect(byRank.map((r) => r.submissionId)).toEqual([ids[2], ids[0], ids[3], ids[1]]);
    expect(byRank[0]).toMatchObject({
      ballots: 3,
      scoreSum: 14,
      wouldBuy: 3,
      winner: true,
      qualified: true,
      distribution: [0, 0, 0, 0, 1, 2],
    });
    // The puppet's 5 for design 1 did not count.
    expect(byRank[3]).toMatchObject({ submissionId: ids[1], ballots: 3, scoreSum: 4, winner: false });

    const made = await db.select().from(products).where(eq(products.roundId, round.id));
    expect(made.map((p) => `${p.submissionId}:${p.type}`).sort()).toEqual(
      [`${ids[0]}:poster`, `${ids[0]}:tee`, `${ids[2]}:poster`, `${ids[2]}:tee`].sort(),
    );
    const tee = made.find((p) => p.submissionId === ids[2] && p.type === "tee")!;
    expect(tee).toMatchObject({
      basePriceCents: 2500,
      royaltyBps: 1500,
      designerId: designers[2]!.id,
      title: "Design 2",
    });
    expect(tee.mockupKey).toMatch(/^public\//);
    const sizes = await db.select().from(productVariants).where(eq(productVariants.productId, tee.id));
    expect(sizes.map((s) => `${s.size}=${s.priceCents}`).sort()).toEqual([
      "2XL=2800",
      "L=2500",
      "M=2500",
      "S=2500",
      "XL=2500",
    ]);

    const prizes = await db.select().from(ledgerEntries);
    expect(prizes.map((p) => [p.userId, p.amountCents, p.kind, p.causeKey]).sort()).toEqual(
      [
        [designers[2]!.id, 5000, "prize", `prize:${round.id}:${ids[2]}`],
        [designers[0]!.id, 5000, "prize", `prize:${round.id}:${ids[0]}`],
      ].sort(),
    );
    const [row] = await db.select().from(rounds).where(eq(rounds.id, round.id));
    expect(row!.finalizedAt).toBeInstanceOf(Date);

    const before = await countRows();
    expect(await finalizeRound(round.id)).toEqual({ ok: false, code: "conflict", message: ALREADY_FINALIZED });
    expect(await finalizeDueRounds()).toEqual([]);
    expect(await countRows()).toEqual(before);
  });

  it("creates each product and prize once when two finalizers race", async () => {
    const { round } = await closedRound();
    const outcomes = await Promise.all([
      finalizeRound(round.id),
      finalizeRound(round.id),
      finalizeDueRounds().then((o) => o[0]),
    ]);
    expect(outcomes.filter((o) => o?.ok)).toHaveLength(1);
    expect(await countRows()).toEqual({ results: 4, products: 4, variants: 16, ledger: 2 });
  });

  for (const failAt of ["results", "products", "prizes"] as const) {
    it(`leaves nothing when it fails after ${failAt}, and a re-run completes`, async () => {
      const { round } = await closedRound();
      await expect(
        finalizeRound(round.id, {
          onStep: (step) => {
            if (step === failAt) throw new Error(`crash after ${step}`);
          },
        }),
      ).rejects.toThrow(`crash after ${failAt}`);
      expect(await countRows()).toEqual({ results: 0, products: 0, variants: 0, ledger: 0 });
      expect((await db.select().from(rounds).where(eq(rounds.id, round.id)))[0]!.finalizedAt).toBeNull();
      expect((await finalizeRound(round.id)).ok).toBe(true);
      expect(await countRows()).toEqual({ results: 4, products: 4, variants: 16, ledger: 2 });
    });
  }

  it("does nothing before voting closes", async () => {
    const { round } = await closedRound();
    await db
      .update(rounds)
      .set({ votingClosesAt: new Date(Date.now() + 60_000) })
      .where(eq(rounds.id, round.id));
    expect(await finalizeRound(round.id)).toEqual({ ok: false, code: "conflict", message: NOT_DUE });
    expect(await finalizeDueRounds()).toEqual([]);
    expect(await countRows()).toEqual({ results: 0, products: 0, variants: 0, ledger: 0 });
  });

  it("leaves out a disqualified design, whose designer sees the reason", async () => {
    const { round, ids, admin } = await closedRound();
    // Named under another round's address, the design is not found and stays in the vote.
    expect(await disqualifySubmission(crypto.randomUUID(), ids[2]!, admin.id, "Wrong round")).toMatchObject({
      ok: false,
      code: "not_found",
    });
    const [still] = await db.select().from(submissions).where(eq(submissions.id, ids[2]!));
    expect(still!.status).toBe("approved");
    expect((await disqualifySubmission(round.id, ids[2]!, admin.id, "Traced from a photograph")).ok).toBe(true);
    await finalizeRound(round.id);
    const results = await db.select().from(roundResults).where(eq(roundResults.roundId, round.id));
    expect(results.map((r) => r.submissionId)).not.toContain(ids[2]);
    expect(results.find((r) => r.rank === 1)?.submissionId).toBe(ids[0]);
    const [dq] = await db.select().from(submissions).where(eq(submissions.id, ids[2]!));
    expect(dq).toMatchObject({ status: "disqualified", rejectionReason: "Traced from a photograph" });
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, ids[2]!), eq(auditLog.action, "submission.disqualified"))),
    ).toHaveLength(1);
    // After finalize, results stand.
    expect((await disqualifySubmission(round.id, ids[0]!, admin.id, "Too late for this")).ok).toBe(false);
  });

  it("ranks exactly as the published pure function does, under the round's frozen rule", async () => {
    const { round, ids } = await closedRound();
    const rows = await db.select().from(ballots).where(eq(ballots.roundId, round.id));
    const list: Ballot[] = rows.map((b) => ({
      submissionId: b.submissionId,
      voterId: b.voterId,
      score: b.score,
      wouldBuy: b.wouldBuy,
    }));
    const entries = await db
      .select({ submissionId: submissions.id, createdAt: submissions.createdAt })
      .from(submissions)
      .where(eq(submissions.roundId, round.id));
    expect(round.rankingRule).toEqual(CURRENT_RANKING_RULE);
    const { ranked: expected, voters } = rankByRule(entries, BallotBook.of(list), {
      minVotes: 2,
      voterMinScored: 2,
      winnersCount: 2,
      rule: CURRENT_RANKING_RULE,
    });
    await finalizeRound(round.id);
    const weights = await db.select().from(roundVoterWeights).where(eq(roundVoterWeights.roundId, round.id));
    expect(weights).toHaveLength(voters.length);
    for (const v of voters) {
      const w = weights.find((x) => x.voterId === v.voterId)!;
      expect([w.ballots, w.scored, w.counted, w.weight, w.agreement]).toEqual([
        v.ballots,
        v.scored,
        v.counted,
        v.weight,
        v.agreement,
      ]);
    }
    const stored = await db.select().from(roundResults).where(eq(roundResults.roundId, round.id));
    for (const e of expected) {
      const s = stored.find((r) => r.submissionId === e.submissionId)!;
      expect([s.rank, s.ballots, s.scoreSum, s.wouldBuy, s.winner]).toEqual([
        e.rank,
        e.ballots,
        e.scoreSum,
        e.wouldBuy,
        e.winner,
      ]);
      expect(s.bayesianScore).toBeCloseTo(e.bayesianScore, 12);
      expect(s.weight).toBeCloseTo(e.weight, 12);
    }
    expect(ids).toHaveLength(4);
  });
});

describe("results page and ballots CSV", () => {
  it("publishes the ranking and ballots that recompute it", async () => {
    const { round } = await closedRound();
    await finalizeRound(round.id);
    const page = await settle(() =>
      resultsLoader({
        request: getRequest(`/rounds/${round.slug}/results`),
        params: { slug: round.slug },
        context: context(),
      }),
    );
    expect(page.status).toBe(200);
    expect(page.data.rows.items.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(page.data.rows.items[0].title).toBe("Design 2");

    const response = (await csvLoader({
      request: getRequest(`/rounds/${round.slug}/ballots.csv`),
      params: { slug: round.slug },
      context: context(),
    })) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const [header, ...lines] = (await response.text()).trim().split("\n");
    expect(header).toBe(
      "voter,submission_id,score,would_buy,voter_ballots_in_round,counted,submission_in_ranking,voter_weight,voter_agreement",
    );
    expect(lines).toHaveLength(13);
    const parsed: Ballot[] = lines.map((l) => {
      const [voter, submissionId, score, wouldBuy] = l.split(",");
      return { voterId: voter!, submissionId: submissionId!, score: Number(score), wouldBuy: wouldBuy === "1" };
    });
    const publishedWeight = new Map(lines.map((l) => [l.split(",")[0]!, Number(l.split(",")[7])]));
    // No account ids in the file.
    const voterIds = (await db.select({ id: ballots.voterId }).from(ballots)).map((b) => b.id);
    for (const id of voterIds) expect(lines.join("\n")).not.toContain(id);
    const entries = page.data.rows.items.map((r: { submissionId: string }, i: number) => ({
      submissionId: r.submissionId,
      createdAt: new Date(i),
    }));
    const { ranked: recomputed, voters } = rankByRule(entries, BallotBook.of(parsed), {
      minVotes: 2,
      voterMinScored: 2,
      winnersCount: 2,
      rule: CURRENT_RANKING_RULE,
    });
    expect(voters.map((v) => [v.voterId, v.weight])).toEqual([...publishedWeight]);
    for (const r of page.data.rows.items) {
      expect(recomputed.find((x) => x.submissionId === r.submissionId)!.bayesianScore).toBeCloseTo(r.bayesianScore, 12);
    }
  });

  it("is not there before finalize", async () => {
    const { round } = await closedRound();
    expect(
      (
        await settle(() =>
          resultsLoader({ request: getRequest("/"), params: { slug: round.slug }, context: context() }),
        )
      ).status,
    ).toBe(404);
    expect(
      (await settle(() => csvLoader({ request: getRequest("/"), params: { slug: round.slug }, context: context() })))
        .status,
    ).toBe(404);
  });
});

describe("round rules and schedule", () => {
  it("lets an admin finalize only after confirming it: nothing is published, made or paid before", async () => {
    const { round } = await closedRound();
    const admin = await createLoggedInUser({ role: "admin" });
    const post = (fields: Record<string, string>) =>
      settle(() =>
        adminRoundAction({
          request: formRequest(`/admin/rounds/${round.id}`, fields, { cookie: admin.cookie }),
          params: { id: round.id },
          context: context(),
        }),
      );
    // The first post only asks, naming the round and what finalizing does.
    const asked = await post({ intent: "finalize" });
    expect(asked.status).toBe(200);
    expect(asked.data.confirm).toMatchObject({
      intent: "finalize",
      question: expect.stringMatching(
        new RegExp(
          `^Finalize “${round.title}” now\\? This publishes the ranking, creates the 2 winners' products in the shop and pays the prizes \\(\\$50\\.00 to each of the 2 winners\\)\\. It cannot be undone\\.$`,
        ),
      ),
      confirmLabel: "Yes, finalize and publish results",
      fields: {},
    });
    const none = { results: 0, products: 0, variants: 0, ledger: 0 };
    expect(await countRows()).toEqual(none);
    expect((await db.select().from(rounds).where(eq(rounds.id, round.id)))[0]!.finalizedAt).toBeNull();
    // A confirmation given for something else (ending voting, another round) is asked again, not obeyed.
    for (const confirmed of [`end-voting:${round.votingClosesAt.getTime()}`, "finalize:other:0"]) {
      const stale = await post({ intent: "finalize", confirmed });
      expect(stale.status).toBe(200);
      expect(stale.data.confirm).toMatchObject({ intent: "finalize" });
    }
    expect(await countRows()).toEqual(none);
    // Confirmed, it finalizes.
    const done = await post({ intent: "finalize", confirmed: asked.data.confirm.token });
    expect(done.status).toBe(302);
    expect((await db.select().from(rounds).where(eq(rounds.id, round.id)))[0]!.finalizedAt).toBeInstanceOf(Date);
    expect(await countRows()).toMatchObject({ results: 4, products: 4, ledger: 2 });
  });

  it("lets an admin end voting early after confirming it, logged and shown on the round", async () => {
    const round = await createRound({ phase: "voting" });
    const admin = await createLoggedInUser({ role: "admin" });
    const post = (fields: Record<string, string>) =>
      settle(() =>
        adminRoundAction({
          request: formRequest(`/admin/rounds/${round.id}`, fields, { cookie: admin.cookie }),
          params: { id: round.id },
          context: context(),
        }),
      );
    // The first post only asks, naming the round and when voting would have closed.
    const asked = await post({ intent: "schedule", change: "end-voting" });
    expect(asked.status).toBe(200);
    expect(asked.data.confirm).toMatchObject({
      intent: "schedule",
      question: expect.stringMatching(new RegExp(`^End voting on “${round.title}” now, instead of at .+ UTC\\?`)),
      confirmLabel: "Yes, end voting now",
      fields: { change: "end-voting" },
    });
    const untouched = (await db.select().from(rounds).where(eq(rounds.id, round.id)))[0]!;
    expect(untouched.votingClosesAt.toISOString()).toBe(round.votingClosesAt.toISOString());
    // A confirmation given for another closing time is asked again, not obeyed.
    const stale = await post({ intent: "schedule", change: "end-voting", confirmed: "end-voting:0" });
    expect(stale.status).toBe(200);
    expect(stale.data.confirm).toBeTruthy();
    const result = await post({ intent: "schedule", change: "end-voting", confirmed: asked.data.confirm.token });
    expect(result.status).toBe(302);
    const [row] = await db.select().from(rounds).where(eq(rounds.id, round.id));
    expect(Date.now() - row!.votingClosesAt.getTime()).toBeLessThan(10_000);
    const page = await settle(() =>
      roundLoader({ request: getRequest(`/rounds/${round.slug}`), params: { slug: round.slug }, context: context() }),
    );
    expect(page.data.round.phase).toBe("closed");
    expect(page.data.changes).toHaveLength(1);
    expect(page.data.changes[0]).toMatchObject({ change: "end-voting", by: admin.user.username });
  });

  it("only extends windows once submissions are open, and freezes the rules", async () => {
    const round = await createRound({ phase: "submissions" });
    const admin = await createUser({ role: "admin" });
    const earlier = new Date(round.votingOpensAt.getTime() - 3600_000);
    expect(await changeSchedule(round.id, { change: "extend-submissions", until: earlier }, admin.id)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/only be extended/),
    });
    expect(await changeSchedule(round.id, { change: "end-voting" }, admin.id)).toMatchObject({ ok: false });
    const later = new Date(round.votingOpensAt.getTime() + 3600_000);
    expect(await changeSchedule(round.id, { change: "extend-submissions", until: later }, admin.id)).toMatchObject({
      ok: true,
    });
    const [row] = await db.select().from(rounds).where(eq(rounds.id, round.id));
    expect(row!.votingOpensAt.toISOString()).toBe(later.toISOString());
    const { updateDraftRound } = await import("~/domain/round-admin.server");
    const refused = await updateDraftRound(round.id, { title: "Changed" } as never, admin.id);
    expect(refused).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/rules are frozen/) });
    expect((await db.select().from(rounds).where(eq(rounds.id, round.id)))[0]!.title).toBe(round.title);
  });

  it("refuses members: 403 and nothing changes", async () => {
    const round = await createRound({ phase: "voting" });
    const member = await createLoggedInUser();
    const result = await settle(() =>
      adminRoundAction({
        request: formRequest(
          `/admin/rounds/${round.id}`,
          { intent: "schedule", change: "end-voting" },
          { cookie: member.cookie },
        ),
        params: { id: round.id },
        context: context(),
      }),
    );
    expect(result.status).toBe(403);
    expect((await db.select().from(rounds).where(eq(rounds.id, round.id)))[0]!.votingClosesAt.toISOString()).toBe(
      round.votingClosesAt.toISOString(),
    );
  });

  it("renders briefs as inert markdown", () => {
    const html = renderMarkdown(
      "# Theme\n<script>alert(1)</script>\n[click](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**",
    );
    expect(html).toContain("<h1>Theme</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toMatch(/href="javascript:/);
    expect(html).toContain("&lt;script&gt;");
  });
});
