import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { roundResults, rounds } from "#db/schema";
import { createBallot, createManySubmissions, createRound, createUser } from "#tests/factories/index";
import { collectPages } from "#tests/support/pages";
import { context, getRequest, settle } from "#tests/support/requests";
import { finalizeRound } from "~/domain/finalize.server";
import { mapPage } from "~/domain/page";
import { rankCursor, rankingPage } from "~/domain/results.server";
import { db } from "~/lib/db.server";
import { encodeCursor } from "~/lib/pagination.server";
import { loader as resultsLoader } from "~/routes/rounds.$slug_.results";

type Loader = (args: { request: Request; params: Record<string, string>; context: { clientIp: string } }) => unknown;

/** One page of a route, as a reader following links gets it. */
function open(loader: Loader, url: string, params: Record<string, string> = {}, cookie?: string) {
  return settle(async () => loader({ request: getRequest(url, { cookie }), params, context: context() }));
}

/**
 * Follows a route's "More" links from `url` to the end: each next page is the
 * same address (filters kept) with the list's cursor param set. Returns every
 * item in the order read, and each page's data.
 */
async function walkRoute(
  loader: Loader,
  url: string,
  pick: (data: any) => { items: any[]; next: string | null },
  options: { params?: Record<string, string>; cookie?: string; param?: string } = {},
) {
  const items: any[] = [];
  const pages: any[] = [];
  let address = url;
  for (let n = 0; n < 100; n++) {
    const page = await open(loader, address, options.params, options.cookie);
    expect(page.status, address).toBe(200);
    pages.push(page.data);
    const list = pick(page.data);
    items.push(...list.items);
    if (!list.next) break;
    const next = new URL(address, "http://x");
    next.searchParams.set(options.param ?? "after", list.next);
    address = `${next.pathname}${next.search}`;
  }
  return { items, pages };
}

const SOME_UUID = "0b6f1a52-3c57-4f5e-9a43-2a1b8f1d2c3e";

/** Cursors no page made: unreadable, of the wrong shape, or well shaped but outside what PostgreSQL reads. */
const garbageAfter = [
  "%00",
  "not-base64!",
  "e30",
  encodeCursor(["x", "y"]),
  encodeCursor([1]),
  encodeCursor(["2026-13-45 25:61:61", SOME_UUID]),
  encodeCursor(["2026-02-30 00:00:00+00", SOME_UUID]),
  encodeCursor(["2026-01-01 00:00:00+99", SOME_UUID]),
  encodeCursor(["2026-01-01 00:00:00+00", "not-a-uuid"]),
  encodeCursor([1e12, "2026-01-01 00:00:00+00", SOME_UUID]),
  encodeCursor([-1]),
  encodeCursor([1e12]),
  encodeCursor([1.5]),
];

async function expectGarbageIs400(
  loader: Loader,
  url: (after: string) => string,
  params = {},
  cookie?: string,
  cursors = garbageAfter,
) {
  for (const after of cursors) {
    const result = await open(loader, url(after), params, cookie);
    expect(result.status, `${url(after)}`).toBe(400);
  }
}

async function designers(n: number) {
  return Promise.all(Array.from({ length: n }, () => createUser()));
}

describe("the results page, a page of the ranking at a time", () => {
  /** A finalized round with `count` results: winners at ranks 1, 2 and one far down (it had enough ballots). */
  async function publishedRound(count: number, farWinner: number) {
    const round = await createRound({ phase: "finalized", winnersCount: 3 });
    const ids = await createManySubmissions({
      roundId: round.id,
      designerIds: (await designers(3)).map((d) => d.id),
      count,
    });
    await db.insert(roundResults).values(
      ids.map((submissionId, i) => {
        const rank = i + 1;
        const winner = rank <= 2 || rank === farWinner;
        return {
          roundId: round.id,
          submissionId,
          rank,
          ballots: winner ? 10 : 1,
          scoreSum: winner ? 40 : 3,
          mean: winner ? 4 : 3,
          bayesianScore: 5 - rank / 100,
          wouldBuy: 0,
          wouldBuyLowerBound: 0,
          distribution: [0, 0, 0, 0, 0, 0],
          qualified: winner,
          winner,
        };
      }),
    );
    const ballots = 3 * 10 + (count - 3) * 1;
    const scoreSum = 3 * 40 + (count - 3) * 3;
    await db.update(rounds).set({ countedBallots: ballots, countedScoreSum: scoreSum }).where(eq(rounds.id, round.id));
    return { round, ids, ballots, scoreSum };
  }

  it("walks the ranking by rank with no gap and no repeat", async () => {
    const { round, ids } = await publishedRound(31, 29);
    const { ids: read, sizes } = await collectPages(rankCursor, async (after) =>
      mapPage(await rankingPage(round.id, { after, size: 7 }), (r) => ({ ...r, id: r.submissionId })),
    );
    expect(read).toEqual(ids);
    expect(sizes).toEqual([7, 7, 7, 7, 3]);
  });

  it("keeps every winner on the first page, the round's mean from its stored totals, and pages through the rest", async () => {
    const { round, ids, ballots, scoreSum } = await publishedRound(40, 33);
    const url = `/rounds/${round.slug}/results`;
    const { items, pages } = await walkRoute(resultsLoader, url, (d) => d.rows, { params: { slug: round.slug } });
    expect(items.map((r) => r.rank)).toEqual(ids.map((_, i) => i + 1));
    expect(pages.map((p) => p.rows.items.length)).toEqual([24, 16]);
    const [first, second] = pages;
    // The podium: every winner, the one ranked 33rd too, though the first page of the table stops at 24.
    expect(first.winners.map((w: { rank: number }) => w.rank)).toEqual([1, 2, 33]);
    expect(first.isLaterPage).toBe(false);
    expect(first.countedBallots).toBe(ballots);
    expect(first.priorMean).toBeCloseTo(scoreSum / ballots, 12);
    expect(second.winners).toBeNull();
    expect(second.isLaterPage).toBe(true);
    expect(second.countedBallots).toBe(ballots);
  });

  it("finalize stores the totals the page shows", async () => {
    const round = await createRound({ phase: "closed", minVotes: 1, voterMinScored: 1, winnersCount: 1 });
    const ids = await createManySubmissions({
      roundId: round.id,
      designerIds: (await designers(2)).map((d) => d.id),
      count: 3,
    });
    const voters = await designers(2);
    for (const [v, voter] of voters.entries())
      for (const [i, submissionId] of ids.entries())
        await createBallot({ roundId: round.id, submissionId, voterId: voter.id, score: (i + v) % 6 });
    expect((await finalizeRound(round.id)).ok).toBe(true);
    const [stored] = await db
      .select({ ballots: rounds.countedBallots, scoreSum: rounds.countedScoreSum })
      .from(rounds)
      .where(eq(rounds.id, round.id));
    const [sums] = await db
      .select({
        ballots: sql<number>`sum(${roundResults.ballots})::int`,
        scoreSum: sql<number>`sum(${roundResults.scoreSum})::int`,
      })
      .from(roundResults)
      .where(eq(roundResults.roundId, round.id));
    expect(stored).toEqual({ ballots: 6, scoreSum: sums!.scoreSum });
    expect(sums!.ballots).toBe(6);
    const page = await open(resultsLoader, `/rounds/${round.slug}/results`, { slug: round.slug });
    expect(page.data.priorMean).toBeCloseTo(sums!.scoreSum / 6, 12);
    expect(page.data.winners).toHaveLength(1);
  });

  it("answers a cursor it did not make with a 400", async () => {
    const { round } = await publishedRound(5, 4);
    // [1] is a real rank cursor here; everything else is not.
    const cursors = garbageAfter.filter((after) => after !== encodeCursor([1]));
    const url = (after: string) => `/rounds/${round.slug}/results?after=${after}`;
    await expectGarbageIs400(resultsLoader, url, { slug: round.slug }, undefined, cursors);
  });
});
