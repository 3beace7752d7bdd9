import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createBallot, createRound, createSubmission, createUser } from "#tests/factories/index";
import { finalizeRound } from "~/domain/finalize.server";
import { ballotsCsvStream, findFinalizedRound, publishedResultsStream } from "~/domain/results.server";
import { verifyCommand } from "~/domain/results-verify.server";

/** A finalized round: 4 designs, 5 members who agree, and one who scores against them. */
async function finalizedRound() {
  const round = await createRound({ phase: "submissions", minVotes: 2, voterMinScored: 3, winnersCount: 2 });
  const admin = await createUser({ role: "admin" });
  const designers = [await createUser(), await createUser()];
  const ids: string[] = [];
  for (const seed of [401, 402, 403, 404])
    ids.push(
      await createSubmission({
        round,
        designerId: designers[seed % 2]!.id,
        seed,
        moderate: { adminId: admin.id, decision: "approved" },
      }),
    );
  const table = [
    [5, 4, 2, 1],
    [4, 4, 1, 0],
    [5, 3, 2, 2],
    [4, 5, 2, 1],
    [5, 4, 3, 1],
    [0, 1, 5, 5], // against everyone else: weight 0
  ];
  for (const row of table) {
    const voter = await createUser();
    for (const [i, score] of row.entries())
      await createBallot({ roundId: round.id, submissionId: ids[i]!, voterId: voter.id, score, wouldBuy: score > 3 });
  }
  const outcome = await finalizeRound(round.id, { now: new Date(Date.now() + 30 * 86_400_000) });
  expect(outcome.ok).toBe(true);
  return (await findFinalizedRound(round.slug))!;
}

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await verifyCommand(args, (line) => lines.push(line));
  return { code, output: lines.join("\n") };
}

describe("npm run results:verify", () => {
  it("matches a finalized round by its slug, and from its published files; flags a tampered CSV", async () => {
    const round = await finalizedRound();
    const bySlug = await run([round.slug]);
    expect(bySlug.output).toContain("MATCH: all 4 designs recompute to their published rank and score.");
    expect(bySlug.output.split("\n").filter((l) => l.startsWith("ok "))).toHaveLength(4);
    expect(bySlug.code).toBe(0);

    // The two public downloads, saved side by side as a visitor would.
    const dir = await mkdtemp(join(tmpdir(), "verify-"));
    const csvPath = join(dir, `${round.slug}-ballots.csv`);
    await writeFile(csvPath, await new Response(ballotsCsvStream(round)).text());
    await writeFile(join(dir, `${round.slug}-results.json`), await new Response(publishedResultsStream(round)).text());
    const byFile = await run([csvPath]);
    expect(byFile.output).toContain("MATCH: all 4 designs");
    expect(byFile.code).toBe(0);

    // The dissenter's weight is 0 in the file, as recomputed.
    const csv = await readFile(csvPath, "utf8");
    const rows = csv.trim().split("\n").slice(1);
    expect(rows.filter((r) => r.split(",")[7] === "0")).toHaveLength(4);

    // One honest ballot changed from 5 to 0: the ranking no longer recomputes.
    const index = rows.findIndex((r) => r.split(",")[2] === "5" && r.split(",")[7] !== "0");
    const cells = rows[index]!.split(",");
    cells[2] = "0";
    rows[index] = cells.join(",");
    const tampered = join(dir, "tampered.csv");
    await writeFile(tampered, [csv.split("\n")[0], ...rows].join("\n") + "\n");
    const flagged = await run([tampered, "--results", join(dir, `${round.slug}-results.json`)]);
    expect(flagged.code).toBe(1);
    expect(flagged.output).toContain("DOES NOT MATCH");
    expect(flagged.output).toMatch(/^MISMATCH [0-9a-f-]{36} {2}rank/m);
  });

  it("cannot check what is not there", async () => {
    expect((await run(["no-such-round"])).code).toBe(2);
    expect((await run(["/nowhere/ballots.csv"])).code).toBe(2);
    expect((await run([])).output).toContain("Usage: npm run results:verify");
  });
});
