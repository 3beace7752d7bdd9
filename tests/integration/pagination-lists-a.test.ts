import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "#db/client";
import { comments, orderItems, orders, products, productVariants, roundResults, rounds } from "#db/schema";
import {
  createBallot,
  createLoggedInUser,
  createManyProducts,
  createManySubmissions,
  createRound,
  createUser,
} from "#tests/factories/index";
import { collectPages } from "#tests/support/pages";
import { context, getRequest, settle } from "#tests/support/requests";
import { commentsFor, critiqueCursor, critiqueWanted, threadCursor } from "~/domain/comments.server";
import { finalizeRound } from "~/domain/finalize.server";
import { markOrderPaid, refundOrder } from "~/domain/orders.server";
import { mapPage } from "~/domain/page";
import { winsOf } from "~/domain/profiles.server";
import { rankCursor, rankingPage } from "~/domain/results.server";
import { bestSellingCursor, listProducts, newestProductCursor } from "~/domain/shop.server";
import { approvedByDesigner, designerCursor, listDesignerSubmissions } from "~/domain/submissions.server";
import { db } from "~/lib/db.server";
import { encodeCursor } from "~/lib/pagination.server";
import { loader as mySubmissionsLoader } from "~/routes/account_.submissions";
import { loader as critiqueLoader } from "~/routes/critique";
import { loader as designerLoader } from "~/routes/designers.$username";
import { loader as resultsLoader } from "~/routes/rounds.$slug_.results";
import { loader as productLoader } from "~/routes/shop.$productId";
import { loader as shopLoader } from "~/routes/shop._index";
import { loader as submissionLoader } from "~/routes/submissions.$id";

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

/**
 * The order of rows made by createManySubmissions (the i-th at second
 * floor(i / 2)), newest first and, within a second, the higher id first:
 * what a `(created_at, id) desc` order gives.
 */
function newestFirst(ids: string[], second: (i: number) => number = (i) => Math.floor(i / 2)) {
  return ids
    .map((id, i) => ({ id, t: second(i) }))
    .sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : -1))
    .map((r) => r.id);
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

describe("a designer's public page", () => {
  it("walks their approved designs newest first, ties on time broken by id, and counts them all", async () => {
    const designer = await createUser();
    const round = await createRound({ phase: "closed" });
    const ids = await createManySubmissions({ roundId: round.id, designerIds: [designer.id], count: 31 });
    // Not public: never listed, never counted.
    await createManySubmissions({ roundId: round.id, designerIds: [designer.id], count: 3, status: "pending" });
    const { ids: read } = await collectPages(designerCursor, (after) =>
      approvedByDesigner(designer.id, { after, size: 4 }),
    );
    expect(read).toEqual(newestFirst(ids));

    const params = { username: designer.username };
    const { items, pages } = await walkRoute(designerLoader, `/designers/${designer.username}`, (d) => d.items, {
      params,
    });
    expect(items.map((s) => s.id)).toEqual(newestFirst(ids));
    expect(pages.map((p) => [p.items.items.length, p.itemCount, p.isLaterPage])).toEqual([
      [24, 31, false],
      [7, 31, true],
    ]);
    await expectGarbageIs400(designerLoader, (after) => `/designers/${designer.username}?after=${after}`, params);
    await expectGarbageIs400(designerLoader, (after) => `/designers/${designer.username}?wins=${after}`, params);
  });

  it("pages their wins on their own param, and shows a few products with a link to the rest", async () => {
    const designer = await createUser();
    const round = await createRound({ phase: "finalized", winnersCount: 100 });
    const ids = await createManySubmissions({ roundId: round.id, designerIds: [designer.id], count: 30 });
    // Every third design won.
    await db.insert(roundResults).values(
      ids.map((submissionId, i) => ({
        roundId: round.id,
        submissionId,
        rank: i + 1,
        ballots: 1,
        scoreSum: 5,
        mean: 5,
        bayesianScore: 5,
        wouldBuy: 0,
        wouldBuyLowerBound: 0,
        distribution: [0, 0, 0, 0, 0, 1],
        qualified: true,
        winner: i % 3 === 0,
      })),
    );
    const won = ids.filter((_, i) => i % 3 === 0);
    const seconds = new Map(ids.map((id, i) => [id, Math.floor(i / 2)]));
    const expected = newestFirst(won, (i) => seconds.get(won[i]!)!);
    const { ids: read } = await collectPages(designerCursor, (after) => winsOf(designer.id, { after, size: 3 }));
    expect(read).toEqual(expected);

    await createManyProducts({ designerIds: [designer.id], count: 10 });
    const params = { username: designer.username };
    const { items, pages } = await walkRoute(designerLoader, `/designers/${designer.username}`, (d) => d.wins, {
      params,
      param: "wins",
    });
    expect(items.map((w) => w.id)).toEqual(expected);
    expect(pages).toHaveLength(1); // ten wins fit on a page
    expect(pages[0].shop).toHaveLength(8);
    expect(pages[0].moreInShop).toBe(true);
  });
});

describe("your designs", () => {
  it("walks everything you submitted newest first, with each voting design's ballot count", async () => {
    const me = await createLoggedInUser();
    const someoneElse = await createUser();
    const round = await createRound({ phase: "voting" });
    const approved = await createManySubmissions({ roundId: round.id, designerIds: [me.user.id], count: 20 });
    const pending = await createManySubmissions({
      roundId: round.id,
      designerIds: [me.user.id],
      count: 10,
      status: "pending",
    });
    await createManySubmissions({ roundId: round.id, designerIds: [someoneElse.id], count: 5 });
    const voters = await designers(2);
    for (const voter of voters)
      await createBallot({ roundId: round.id, submissionId: approved[0]!, voterId: voter.id, score: 3 });

    // Both batches were made from the same clock: pair k of each shares a second.
    const mine = [...approved, ...pending];
    const second = (i: number) => Math.floor((i < 20 ? i : i - 20) / 2);
    const { ids: read } = await collectPages(designerCursor, (after) =>
      listDesignerSubmissions(me.user.id, { after, size: 6 }),
    );
    expect(read).toEqual(newestFirst(mine, second));

    const { items, pages } = await walkRoute(mySubmissionsLoader, "/account/submissions", (d) => d.items, {
      cookie: me.cookie,
    });
    expect(items.map((s) => s.id)).toEqual(newestFirst(mine, second));
    expect(pages.map((p) => p.isLaterPage)).toEqual([false, true]);
    const ballots = new Map(items.map((s) => [s.id, s.ballots]));
    expect(ballots.get(approved[0]!)).toBe(2);
    expect(ballots.get(approved[1]!)).toBe(0);
    expect(ballots.get(pending[0]!)).toBeNull();
    await expectGarbageIs400(mySubmissionsLoader, (after) => `/account/submissions?after=${after}`, {}, me.cookie);
  });
});

describe("the shop, a page at a time", () => {
  /** Products by the i-th's creation second (4 share each) and, best-selling, by units sold. */
  function expectedOrder(
    made: { id: string; unitsSold: number }[],
    sort: "newest" | "best-selling",
    keep: (i: number) => boolean = () => true,
  ) {
    return made
      .map((p, i) => ({ ...p, i, t: Math.floor(i / 4) }))
      .filter((p) => keep(p.i))
      .sort((a, b) => (sort === "best-selling" ? b.unitsSold - a.unitsSold : 0) || b.t - a.t || (a.id < b.id ? 1 : -1))
      .map((p) => p.id);
  }

  it("walks newest and best-selling first with no gap and no repeat, ties broken by time then id", async () => {
    const sellers = await designers(3);
    // Units sold in three tiers, so most products tie with many others.
    const { products: made } = await createManyProducts({
      designerIds: sellers.map((s) => s.id),
      count: 42,
      unitsSold: (i) => (i * 7) % 3,
      active: (i) => i !== 5,
    });
    const active = (i: number) => i !== 5;
    const newest = await collectPages(newestProductCursor, (after) =>
      listProducts({ sort: "newest" }, { after, size: 5 }),
    );
    expect(newest.ids).toEqual(expectedOrder(made, "newest", active));
    const best = await collectPages(bestSellingCursor, (after) =>
      listProducts({ sort: "best-selling" }, { after, size: 5 }),
    );
    expect(best.ids).toEqual(expectedOrder(made, "best-selling", active));
  });

  it("keeps the type, round and designer filters across pages", async () => {
    const sellers = await designers(2);
    const { round, products: made } = await createManyProducts({
      designerIds: sellers.map((s) => s.id),
      count: 60,
      unitsSold: (i) => i % 4,
    });
    // Another round's products: never in a page filtered to the first round.
    await createManyProducts({ designerIds: sellers.map((s) => s.id), count: 12 });
    const isTee = (i: number) => made[i]!.type === "tee";
    const bySeller = (i: number) => made[i]!.designerId === sellers[1]!.id;

    const cases = [
      { url: `/shop?type=tee&round=${round.slug}&sort=best-selling`, keep: isTee, sort: "best-selling" as const },
      { url: `/shop?round=${round.slug}`, keep: () => true, sort: "newest" as const },
      {
        url: `/shop?round=${round.slug}&designer=%40${sellers[1]!.username.toUpperCase()}&sort=best-selling`,
        keep: bySeller,
        sort: "best-selling" as const,
      },
    ];
    for (const { url, keep, sort } of cases) {
      const { items, pages } = await walkRoute(shopLoader, url, (d) => d.items);
      expect(
        items.map((p) => p.id),
        url,
      ).toEqual(expectedOrder(made, sort, keep));
      expect(pages.length, url).toBeGreaterThan(1);
      expect(pages.map((p) => p.filters)).toEqual(pages.map(() => pages[0].filters));
      // The filter form's choices come with the first page only.
      expect(pages.map((p) => p.facets === null)).toEqual(pages.map((_, n) => n > 0));
      // The rounds with products on sale, each once, by title; not read from the products themselves.
      const offered = (pages[0].facets.rounds as { slug: string }[]).map((r) => r.slug);
      expect(offered).toContain(round.slug);
      expect(new Set(offered).size).toBe(offered.length);
      expect(pages.map((p) => p.isLaterPage)).toEqual(pages.map((_, n) => n > 0));
    }
  });

  it("answers a cursor it did not make, or one from the other sort, with a 400", async () => {
    const sellers = await designers(1);
    await createManyProducts({ designerIds: [sellers[0]!.id], count: 30 });
    await expectGarbageIs400(shopLoader, (after) => `/shop?after=${after}`);
    await expectGarbageIs400(shopLoader, (after) => `/shop?sort=best-selling&after=${after}`);
    const newest = await open(shopLoader, "/shop");
    expect(newest.data.items.next).toEqual(expect.any(String));
    expect((await open(shopLoader, `/shop?sort=best-selling&after=${newest.data.items.next}`)).status).toBe(400);
  });

  it("counts units sold when an order is paid, and takes them back when a paid order is refunded", async () => {
    const sellers = await designers(1);
    const { products: made } = await createManyProducts({ designerIds: [sellers[0]!.id], count: 2 });
    const buyer = await createUser();
    const unitsOf = async () =>
      new Map(
        (await db.select({ id: products.id, n: products.unitsSold }).from(products)).map((p) => [p.id, p.n] as const),
      );
    /** An order awaiting payment for 2 of the first product and 3 of the second (on two lines). */
    async function pendingOrder() {
      const [order] = await db
        .insert(orders)
        .values({
          buyerId: buyer.id,
          currency: "usd",
          subtotalCents: 0,
          amountDueCents: 0,
          shippingName: "x",
          shippingLine1: "x",
          shippingCity: "x",
          shippingPostalCode: "x",
          shippingCountry: "GB",
          provider: "local",
        })
        .returning({ id: orders.id });
      for (const [product, quantity] of [
        [made[0]!, 2],
        [made[1]!, 1],
        [made[1]!, 2],
      ] as const) {
        const [variant] = await db
          .insert(productVariants)
          .values({ productId: product.id, size: `S${quantity}${Math.random()}`, priceCents: 1000, sortOrder: 0 })
          .returning({ id: productVariants.id });
        await db.insert(orderItems).values({
          orderId: order!.id,
          productId: product.id,
          variantId: variant!.id,
          designerId: product.designerId,
          title: "x",
          productType: product.type,
          size: "x",
          unitPriceCents: 1000,
          quantity,
          royaltyBps: 0,
        });
      }
      return order!.id;
    }
    const first = await pendingOrder();
    expect((await unitsOf()).get(made[0]!.id)).toBe(0);
    await markOrderPaid(first, { reference: "a" });
    await markOrderPaid(first, { reference: "a" }); // a repeated confirmation counts nothing
    expect([(await unitsOf()).get(made[0]!.id), (await unitsOf()).get(made[1]!.id)]).toEqual([2, 3]);
    const second = await pendingOrder();
    await markOrderPaid(second, { reference: "b" });
    expect((await listProducts({ sort: "best-selling" })).items.map((p) => [p.id, p.unitsSold])).toEqual([
      [made[1]!.id, 6],
      [made[0]!.id, 4],
    ]);
    expect((await refundOrder(first, { actorId: null })).ok).toBe(true);
    expect((await refundOrder(first, { actorId: null })).ok).toBe(true); // already refunded: nothing more
    expect([(await unitsOf()).get(made[0]!.id), (await unitsOf()).get(made[1]!.id)]).toEqual([2, 3]);
    // Refunded by the provider before it was ever paid: it never counted, so nothing is taken back.
    const third = await pendingOrder();
    expect((await refundOrder(third, { actorId: null, providerCardRefundedCents: 100_000_000 })).ok).toBe(true);
    expect((await markOrderPaid(third, { reference: "c" })).ok).toBe(false);
    expect([(await unitsOf()).get(made[0]!.id), (await unitsOf()).get(made[1]!.id)]).toEqual([2, 3]);
    // Marked paid around markOrderPaid (raw SQL), so never counted: its refund still goes through, at zero.
    await db.update(products).set({ unitsSold: 0 });
    const uncounted = await pendingOrder();
    await db.update(orders).set({ status: "paid" }).where(eq(orders.id, uncounted));
    expect((await refundOrder(uncounted, { actorId: null })).ok).toBe(true);
    expect([(await unitsOf()).get(made[0]!.id), (await unitsOf()).get(made[1]!.id)]).toEqual([0, 0]);
  });
});

describe("the critique page", () => {
  it("walks the designs asking for critique newest first, ties on time broken by id", async () => {
    const round = await createRound({ phase: "voting" });
    const designerIds = (await designers(3)).map((d) => d.id);
    const asking = await createManySubmissions({ roundId: round.id, designerIds, count: 29, critiqueWanted: true });
    await createManySubmissions({ roundId: round.id, designerIds, count: 4 });
    await createManySubmissions({ roundId: round.id, designerIds, count: 4, critiqueWanted: true, status: "pending" });
    const { ids } = await collectPages(critiqueCursor, (after) => critiqueWanted({ after, size: 4 }));
    expect(ids).toEqual(newestFirst(asking));
    const { items, pages } = await walkRoute(critiqueLoader, "/critique", (d) => d.items);
    expect(items.map((s) => s.id)).toEqual(newestFirst(asking));
    expect(pages.map((p) => [p.items.items.length, p.isLaterPage])).toEqual([
      [24, false],
      [5, true],
    ]);
    await expectGarbageIs400(critiqueLoader, (after) => `/critique?after=${after}`);
  });
});

describe("comment threads", () => {
  /**
   * `count` top-level comments on the subject, two to each second, and a
   * reply or two under some of them (made later, the first in a second
   * shared with another). Returns the top-level ids in creation order and
   * the replies of each.
   */
  async function thread(subject: { submissionId?: string; productId?: string }, count: number) {
    const authors = await designers(2);
    const base = Date.UTC(2026, 2, 1);
    const top = await db
      .insert(comments)
      .values(
        Array.from({ length: count }, (_, i) => ({
          ...subject,
          authorId: authors[i % 2]!.id,
          body: `Top ${i}`,
          createdAt: new Date(base + Math.floor(i / 2) * 1000),
        })),
      )
      .returning({ id: comments.id });
    const replies = new Map<string, string[]>();
    for (const i of [0, 1, 7, count - 1]) {
      const parentId = top[i]!.id;
      const made = await db
        .insert(comments)
        .values(
          [0, 1].map((r) => ({
            ...subject,
            parentId,
            authorId: authors[r]!.id,
            body: `Reply ${r} to ${i}`,
            createdAt: new Date(base + 3_600_000 + r * 1000),
          })),
        )
        .returning({ id: comments.id });
      replies.set(
        parentId,
        made.map((m) => m.id),
      );
    }
    return { ids: top.map((t) => t.id), replies };
  }

  it("walks a design's top-level comments newest first, each with its replies oldest first", async () => {
    const designer = await createUser();
    const round = await createRound({ phase: "voting" });
    const [design] = await createManySubmissions({ roundId: round.id, designerIds: [designer.id], count: 1 });
    const { ids, replies } = await thread({ submissionId: design! }, 31);
    const subject = { kind: "submission" as const, id: design! };
    const seen = new Map<string, string[]>();
    const { ids: read } = await collectPages(threadCursor, async (after) => {
      const page = await commentsFor(subject, null, { after, size: 5 });
      for (const c of page.items)
        seen.set(
          c.id,
          c.replies.map((r) => r.id),
        );
      return page;
    });
    expect(read).toEqual(newestFirst(ids));
    for (const id of ids) expect(seen.get(id), id).toEqual(replies.get(id) ?? []);

    const url = `/submissions/${design}`;
    const { items, pages } = await walkRoute(submissionLoader, url, (d) => d.comments, { params: { id: design! } });
    expect(items.map((c) => c.id)).toEqual(newestFirst(ids));
    expect(pages.map((p) => [p.comments.items.length, p.commentCount, p.isLaterCommentsPage])).toEqual([
      [24, 31, false],
      [7, 31, true],
    ]);
    await expectGarbageIs400(submissionLoader, (after) => `${url}?after=${after}`, { id: design! });
  });

  it("pages a product's thread the same way", async () => {
    const sellers = await designers(1);
    const { products: made } = await createManyProducts({ designerIds: [sellers[0]!.id], count: 1 });
    const product = made[0]!;
    // findProduct shows a product with its sizes.
    await db.insert(productVariants).values({ productId: product.id, size: "M", priceCents: 2500, sortOrder: 0 });
    const { ids } = await thread({ productId: product.id }, 26);
    const url = `/shop/${product.id}`;
    const params = { productId: product.id };
    const { items, pages } = await walkRoute(productLoader, url, (d) => d.comments, { params });
    expect(items.map((c) => c.id)).toEqual(newestFirst(ids));
    expect(pages.map((p) => [p.comments.items.length, p.commentCount])).toEqual([
      [24, 26],
      [2, 26],
    ]);
    await expectGarbageIs400(productLoader, (after) => `${url}?after=${after}`, params);
  });
});

describe("migration 0014's backfills", () => {
  /** A hand-written statement of the migration that adds units sold (found by what it does: the file may be renumbered). */
  function backfill(start: string) {
    for (const file of readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql"))) {
      const statement = readFileSync(path.join(migrationsFolder, file), "utf8")
        .split("--> statement-breakpoint")
        .find((s) => s.includes(start));
      if (statement) return statement;
    }
    throw new Error(`no migration has ${start}`);
  }

  it("counts each product's units in paid orders, and each finalized round's results", async () => {
    const sellers = await designers(1);
    const { products: made } = await createManyProducts({ designerIds: [sellers[0]!.id], count: 3 });
    const buyer = await createUser();
    for (const [status, quantity] of [
      ["paid", 2],
      ["paid", 5],
      ["refunded", 7],
      ["pending_payment", 11],
    ] as const) {
      const [order] = await db
        .insert(orders)
        .values({
          buyerId: buyer.id,
          status,
          currency: "usd",
          subtotalCents: 0,
          amountDueCents: 0,
          shippingName: "x",
          shippingLine1: "x",
          shippingCity: "x",
          shippingPostalCode: "x",
          shippingCountry: "GB",
          provider: "local",
        })
        .returning({ id: orders.id });
      const [variant] = await db
        .insert(productVariants)
        .values({ productId: made[0]!.id, size: status + quantity, priceCents: 1000, sortOrder: 0 })
        .returning({ id: productVariants.id });
      await db.insert(orderItems).values({
        orderId: order!.id,
        productId: made[0]!.id,
        variantId: variant!.id,
        designerId: made[0]!.designerId,
        title: "x",
        productType: made[0]!.type,
        size: "x",
        unitPriceCents: 1000,
        quantity,
        royaltyBps: 0,
      });
    }
    const finalized = await createRound({ phase: "finalized" });
    const [design] = await createManySubmissions({ roundId: finalized.id, designerIds: [sellers[0]!.id], count: 1 });
    await db.insert(roundResults).values({
      roundId: finalized.id,
      submissionId: design!,
      rank: 1,
      ballots: 4,
      scoreSum: 13,
      mean: 3.25,
      bayesianScore: 3,
      wouldBuy: 0,
      wouldBuyLowerBound: 0,
      distribution: [0, 0, 0, 3, 1, 0],
      qualified: true,
      winner: true,
    });
    const open = await createRound({ phase: "voting" });

    await db.execute(sql.raw(backfill('UPDATE "products" SET "units_sold"')));
    await db.execute(sql.raw(backfill('UPDATE "rounds" SET "counted_ballots"')));
    const units = await db.select({ id: products.id, n: products.unitsSold }).from(products);
    expect(new Map(units.map((u) => [u.id, u.n]))).toEqual(
      new Map([
        [made[0]!.id, 7],
        [made[1]!.id, 0],
        [made[2]!.id, 0],
      ]),
    );
    const totals = await db
      .select({ id: rounds.id, ballots: rounds.countedBallots, scoreSum: rounds.countedScoreSum })
      .from(rounds);
    const byRound = new Map(totals.map((t) => [t.id, [t.ballots, t.scoreSum]]));
    expect(byRound.get(finalized.id)).toEqual([4, 13]);
    expect(byRound.get(open.id)).toEqual([null, null]);
    // The products' own round is finalized with no results: it counted nothing.
    const [ownRound] = await db.select({ id: products.roundId }).from(products).where(eq(products.id, made[0]!.id));
    expect(byRound.get(ownRound!.id)).toEqual([0, 0]);
  });
});
