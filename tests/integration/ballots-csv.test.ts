import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ballots, rounds, submissions } from "#db/schema";
import { createBallot, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, getRequest } from "#tests/support/requests";
import { ballotsPerVoter, countedVoters } from "~/domain/ranking";
import { ballotsCsvStream, voterPseudonym } from "~/domain/results.server";
import { db } from "~/lib/db.server";
import { loader as csvLoader } from "~/routes/rounds.$slug_.ballots[.]csv";

/** The CSV as it was built before it streamed: the whole round read at once, joined into one string. */
async function ballotsCsvInOneString(round: { id: string; voterMinScored: number }) {
  const rows = await db
    .select({
      voterId: ballots.voterId,
      submissionId: ballots.submissionId,
      score: ballots.score,
      wouldBuy: ballots.wouldBuy,
      status: submissions.status,
    })
    .from(ballots)
    .innerJoin(submissions, eq(submissions.id, ballots.submissionId))
    .where(eq(ballots.roundId, round.id))
    .orderBy(asc(ballots.id));
  const perVoter = ballotsPerVoter(rows);
  const counted = countedVoters(rows, round.voterMinScored);
  const lines = [
    "voter,submission_id,score,would_buy,voter_ballots_in_round,counted,submission_in_ranking,voter_weight,voter_agreement",
  ];
  // Voters numbered in the order of their first ballot; a round finalized without weights weighs counted voters 1.
  const order = new Map<string, number>();
  for (const r of rows) if (!order.has(r.voterId)) order.set(r.voterId, order.size + 1);
  for (const r of rows) {
    lines.push(
      [
        voterPseudonym(order.get(r.voterId)!),
        r.submissionId,
        r.score,
        r.wouldBuy ? 1 : 0,
        perVoter.get(r.voterId)!,
        counted.has(r.voterId) ? 1 : 0,
        r.status === "approved" ? 1 : 0,
        counted.has(r.voterId) ? 1 : 0,
        "",
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * A finalized round of 3 designs (one disqualified) and 4 voters, one of them
 * below the voter minimum, with another round's ballots cast in between its own.
 */
async function finalizedRound() {
  const round = await createRound({ phase: "submissions", voterMinScored: 2 });
  const other = await createRound({ phase: "submissions" });
  const admin = await createUser({ role: "admin" });
  const designer = await createUser();
  const approve = { adminId: admin.id, decision: "approved" as const };
  const ids = [];
  for (const seed of [301, 302, 303])
    ids.push(await createSubmission({ round, designerId: designer.id, seed, moderate: approve }));
  const otherId = await createSubmission({ round: other, designerId: designer.id, seed: 304, moderate: approve });
  const voters = await Promise.all([0, 1, 2, 3].map(() => createUser()));
  for (const [v, voter] of voters.entries()) {
    for (const [i, submissionId] of ids.entries()) {
      if (v === 3 && i > 0) break; // one ballot only: not counted
      await createBallot({ roundId: round.id, submissionId, voterId: voter.id, score: (v + i) % 6, wouldBuy: i === v });
      if (i === 1) await createBallot({ roundId: other.id, submissionId: otherId, voterId: voter.id, score: 3 });
    }
  }
  await db
    .update(submissions)
    .set({ status: "disqualified", rejectionReason: "Not the artist's own work." })
    .where(eq(submissions.id, ids[2]!));
  await db.update(rounds).set({ finalizedAt: new Date() }).where(eq(rounds.id, round.id));
  return round;
}

async function read(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("ballots CSV, streamed", () => {
  it("is the file the one-string version made, header, rows and order, whatever the batch size", async () => {
    const round = await finalizedRound();
    const expected = await ballotsCsvInOneString(round);
    expect(expected.split("\n")).toHaveLength(1 + 10 + 1);
    // The disqualified design's 3 ballots are marked out of the ranking.
    expect(expected.split("\n").filter((line) => line.split(",")[6] === "0")).toHaveLength(3);
    for (const batchSize of [1, 3, 10, 5000]) expect(await read(ballotsCsvStream(round, { batchSize }))).toBe(expected);
  });

  it("is the header alone for a round without ballots", async () => {
    const round = await createRound({ phase: "submissions" });
    const expected = await ballotsCsvInOneString(round);
    expect(await read(ballotsCsvStream(round))).toBe(expected);
  });

  it("answers from the route with a stream, not a string, and stops when the reader goes", async () => {
    const round = await finalizedRound();
    const response = (await csvLoader({
      request: getRequest(`/rounds/${round.slug}/ballots.csv`),
      params: { slug: round.slug },
      context: context(),
    })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${round.slug}-ballots.csv"`);
    expect(response.body).toBeInstanceOf(ReadableStream);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(
      "voter,submission_id,score,would_buy,voter_ballots_in_round,counted,submission_in_ranking,voter_weight,voter_agreement\n",
    );
    await reader.cancel();
    expect((await reader.read()).done).toBe(true);
  });
});
