import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, submissions, users } from "#db/schema";
import { createManyProducts, createRound, createUser, PLACEHOLDER_ARTWORK } from "#tests/factories/index";
import { context, getRequest, settle } from "#tests/support/requests";
import {
  designsWithTag,
  productsWithTag,
  searchDesigners,
  searchDesigns,
  searchProducts,
} from "~/domain/search.server";
import { db } from "~/lib/db.server";
import { encodeCursor } from "~/lib/pagination.server";
import { loader as searchLoader } from "~/routes/search";
import { loader as roundLoader } from "~/routes/rounds.$slug";
import { loader as tagLoader } from "~/routes/tags.$tag";

let hashes = 0;

/** A design written straight to the table (no image work), as the moderation step leaves it. */
async function design(options: {
  roundId: string;
  designerId: string;
  title: string;
  description?: string;
  tags?: string[];
  status?: "pending" | "approved" | "rejected" | "withdrawn";
  createdAt?: Date;
}) {
  const [row] = await db
    .insert(submissions)
    .values({
      roundId: options.roundId,
      designerId: options.designerId,
      title: options.title,
      description: options.description ?? "",
      tags: options.tags ?? [],
      status: options.status ?? "approved",
      rejectionReason: options.status === "rejected" ? "Off brief" : null,
      images: PLACEHOLDER_ARTWORK,
      artworkWidth: 4500,
      artworkHeight: 5400,
      perceptualHash: (hashes++).toString(16).padStart(16, "0"),
      createdAt: options.createdAt,
    })
    .returning({ id: submissions.id });
  return row!.id;
}

const titles = (page: { items: { title: string }[] }) => page.items.map((i) => i.title);

function open(
  loader: typeof searchLoader | typeof tagLoader | typeof roundLoader,
  url: string,
  params: Record<string, string> = {},
) {
  return settle(async () => loader({ request: getRequest(url), params, context: context() }));
}

describe("search", () => {
  it("ranks a word in the title above the same word in a description", async () => {
    const round = await createRound({ phase: "voting" });
    const designer = await createUser();
    await design({
      roundId: round.id,
      designerId: designer.id,
      title: "Harbour at dusk",
      description: "A lighthouse far away on the left",
      createdAt: new Date("2026-01-02"),
    });
    await design({
      roundId: round.id,
      designerId: designer.id,
      title: "Lighthouse keeper",
      createdAt: new Date("2026-01-01"),
    });
    await design({ roundId: round.id, designerId: designer.id, title: "Mountain goat" });

    const page = await searchDesigns({ q: "lighthouse" });
    expect(titles(page)).toEqual(["Lighthouse keeper", "Harbour at dusk"]);
    // Newest first is the other order, same matches.
    expect(titles(await searchDesigns({ q: "lighthouse", sort: "newest" }))).toEqual([
      "Harbour at dusk",
      "Lighthouse keeper",
    ]);
  });

  it("finds a design by a misspelt word, a prefix, a stemmed form, a tag and its designer's name", async () => {
    const round = await createRound({ phase: "voting" });
    const designer = await createUser({ username: "pixelfox", displayName: "Mara Quill" });
    await design({
      roundId: round.id,
      designerId: designer.id,
      title: "Tiny robot parade",
      tags: ["sea birds", "retro"],
    });
    await design({ roundId: round.id, designerId: (await createUser()).id, title: "Cactus friends" });

    for (const q of [
      "robto parade",
      "parrade",
      "robots",
      "rob",
      "seabirds",
      "sea birds",
      "retor",
      "pixelfox",
      "quill",
    ]) {
      expect(titles(await searchDesigns({ q })), q).toEqual(["Tiny robot parade"]);
    }
    expect(titles(await searchDesigns({ q: "zebra" }))).toEqual([]);
  });

  it("reaches a designer's new name after a rename", async () => {
    const round = await createRound({ phase: "voting" });
    const designer = await createUser({ username: "oldname" });
    await design({ roundId: round.id, designerId: designer.id, title: "Night owl" });
    expect(titles(await searchDesigns({ q: "oldname" }))).toEqual(["Night owl"]);

    await db.update(users).set({ displayName: "Juniper Stone" }).where(eq(users.id, designer.id));
    expect(titles(await searchDesigns({ q: "juniper" }))).toEqual(["Night owl"]);
    await db.update(users).set({ username: "newname" }).where(eq(users.id, designer.id));
    expect(titles(await searchDesigns({ q: "newname" }))).toEqual(["Night owl"]);
    expect(titles(await searchDesigns({ q: "oldname" }))).toEqual([]);
  });

  it("never shows pending, rejected or withdrawn designs, nor designs of a round not yet open or unpublished", async () => {
    const open = await createRound({ phase: "voting" });
    const draft = await createRound({ phase: "draft" });
    const designer = await createUser();
    await design({ roundId: open.id, designerId: designer.id, title: "Comet public", tags: ["comet"] });
    for (const status of ["pending", "rejected", "withdrawn"] as const) {
      await design({ roundId: open.id, designerId: designer.id, title: `Comet ${status}`, tags: ["comet"], status });
    }
    await design({ roundId: draft.id, designerId: designer.id, title: "Comet in draft", tags: ["comet"] });
    // An unpublished round stays an admin's secret even once its dates have come.
    const unpublished = await createRound({ phase: "voting", draft: true });
    await design({ roundId: unpublished.id, designerId: designer.id, title: "Comet unpublished", tags: ["comet"] });

    expect(titles(await searchDesigns({ q: "comet" }))).toEqual(["Comet public"]);
    expect(titles(await searchDesigns({}))).toEqual(["Comet public"]);
    expect(titles(await designsWithTag("comet"))).toEqual(["Comet public"]);
    // A word only a hidden design has is not even a spelling suggestion.
    await design({ roundId: open.id, designerId: designer.id, title: "Zeppelin secret", status: "pending" });
    expect(titles(await searchDesigns({ q: "zepelin" }))).toEqual([]);
  });

  it("filters designs by round and by what became of them", async () => {
    const voting = await createRound({ phase: "voting" });
    const designer = await createUser();
    await design({ roundId: voting.id, designerId: designer.id, title: "Wave in the vote" });
    const { round: shopRound } = await createManyProducts({ designerIds: [designer.id], count: 2 });
    await db.update(submissions).set({ title: "Wave on a shirt" }).where(eq(submissions.roundId, shopRound.id));

    expect(titles(await searchDesigns({ q: "wave", status: "voting" }))).toEqual(["Wave in the vote"]);
    expect(titles(await searchDesigns({ q: "wave", status: "in-shop" }))).toEqual(["Wave on a shirt"]);
    expect(titles(await searchDesigns({ q: "wave", roundSlug: voting.slug }))).toEqual(["Wave in the vote"]);
    expect(titles(await searchDesigns({ q: "wave", roundSlug: "no-such-round" }))).toEqual([]);
  });

  it("finds active products only, and members who have not deleted their account", async () => {
    const designer = await createUser({ username: "gullwing" });
    const { round, products: made } = await createManyProducts({
      designerIds: [designer.id],
      count: 4,
      active: (i) => i < 2,
    });
    await db
      .update(submissions)
      .set({ tags: ["gulls"] })
      .where(eq(submissions.roundId, round.id));
    const found = await searchProducts({ q: "gulls" });
    expect(found.items.map((p) => p.id).sort()).toEqual(
      made
        .filter((p) => p.active)
        .map((p) => p.id)
        .sort(),
    );
    expect((await productsWithTag("gulls")).items).toHaveLength(2);
    expect((await searchProducts({ q: "gulls", type: "poster" })).items.map((p) => p.type)).toEqual(["poster"]);

    const gone = await createUser({ username: "gullfriend" });
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id));
    expect((await searchDesigners({ q: "gull" })).items.map((d) => d.username)).toEqual(["gullwing"]);
    expect((await searchDesigners({ q: "gulwing" })).items.map((d) => d.username)).toEqual(["gullwing"]);
  });

  it("finds a designer by the whole username first, then begun, by a part of the name, and by a typo", async () => {
    // Names alike, as generated ones are: the username typed whole must still come first.
    const exact = await createUser({ username: "lamplight42" });
    const longer = await createUser({ username: "lamplight421" });
    const alike = [];
    for (const n of ["lamplight4", "lamplight43", "lamplight142", "lamplight7"])
      alike.push(await createUser({ username: n }));
    const named = await createUser({ username: "quietfox", displayName: "Lamplight Studio" });
    const usernames = async (q: string) => (await searchDesigners({ q })).items.map((d) => d.username);

    const found = await usernames("lamplight42");
    expect(found[0]).toBe(exact.username);
    expect(found[1]).toBe(longer.username);
    // A typo misses no one the exact spelling would find, and the closest name still leads.
    expect((await usernames("lamplght42"))[0]).toBe(exact.username);
    expect((await usernames("lamplightt42"))[0]).toBe(exact.username);
    // A word of a display name, whole, begun or misspelt.
    expect(await usernames("studio")).toEqual([named.username]);
    expect(await usernames("stud")).toEqual([named.username]);
    expect(await usernames("studo")).toContain(named.username);
    // Begun: every member whose username starts so, and the display name's word too.
    expect((await usernames("lamplight")).sort()).toEqual(
      [exact, longer, ...alike, named].map((u) => u.username).sort(),
    );

    // Paging through the tiers repeats and drops no one.
    const seen: string[] = [];
    let after: [number, string] | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await searchDesigners({ q: "lamplight4" }, { after, size: 2 });
      seen.push(...page.items.map((d) => d.username));
      if (!page.next) break;
      after = JSON.parse(Buffer.from(page.next, "base64url").toString()) as [number, string];
    }
    expect(seen[0]).toBe("lamplight4");
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(["lamplight4", "lamplight42", "lamplight421", "lamplight43"]));
  });

  it("pages through relevance without repeating or dropping a design", async () => {
    const round = await createRound({ phase: "voting" });
    const designer = await createUser();
    const made = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        await design({
          roundId: round.id,
          designerId: designer.id,
          // Equal ranks in pairs, so the id breaks ties.
          title: i % 2 ? "Kite kite" : "Kite",
          description: `number ${i}`,
        }),
      );
    }
    const seen: string[] = [];
    let after: [number, string] | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await searchDesigns({ q: "kite" }, { after, size: 3 });
      seen.push(...page.items.map((i) => i.id));
      if (!page.next) break;
      after = JSON.parse(Buffer.from(page.next, "base64url").toString()) as [number, string];
    }
    expect(seen.sort()).toEqual(made.sort());
  });

  it("keeps a design's count of visible comments for the gallery's sort", async () => {
    const round = await createRound({ phase: "voting" });
    const designer = await createUser();
    const id = await design({ roundId: round.id, designerId: designer.id, title: "Talked about" });
    const [a, b] = await db
      .insert(comments)
      .values([
        { submissionId: id, authorId: designer.id, body: "one" },
        { submissionId: id, authorId: designer.id, body: "two" },
      ])
      .returning({ id: comments.id });
    const countOf = async () =>
      (await db.select({ n: submissions.commentCount }).from(submissions).where(eq(submissions.id, id)))[0]!.n;
    expect(await countOf()).toBe(2);
    await db.update(comments).set({ hiddenAt: new Date() }).where(eq(comments.id, a!.id));
    expect(await countOf()).toBe(1);
    await db.delete(comments).where(eq(comments.id, b!.id));
    expect(await countOf()).toBe(0);
  });
});

describe("search and tag pages over HTTP", () => {
  it("answers a bad cursor or unreadable text with 400, and never fails on odd words", async () => {
    expect((await open(searchLoader, "/search?q=x&after=%%%")).status).toBe(400);
    expect((await open(searchLoader, `/search?q=kite&after=${encodeCursor(["2026-01-01", "x"])}`)).status).toBe(400);
    // A newest cursor on a relevance list is the wrong shape.
    expect(
      (
        await open(
          searchLoader,
          `/search?q=kite&after=${encodeCursor(["2026-01-01 00:00:00+00", crypto.randomUUID()])}`,
        )
      ).status,
    ).toBe(400);
    expect((await open(searchLoader, "/search?q=a%00b")).status).toBe(400);
    // A designers cursor carrying a NUL byte (PostgreSQL refuses it in text) or any other non-username.
    for (const name of ["\u0000", "Not A Name", "x".repeat(31)])
      expect(
        (await open(searchLoader, `/search?in=designers&after=${encodeCursor([name, crypto.randomUUID()])}`)).status,
      ).toBe(400);
    expect((await open(searchLoader, `/search?q=${"x".repeat(300)}`)).status).toBe(400);
    expect((await open(searchLoader, "/search?round=Not%20A%20Slug")).status).toBe(400);
    for (const q of ["'", "!!", "a & | b", "(", "\\", ":*", "the", "日本語", "ünïcode"]) {
      const result = await open(searchLoader, `/search?q=${encodeURIComponent(q)}`);
      expect(result.status, q).toBe(200);
    }
    for (const kind of ["designs", "products", "designers", "bogus"]) {
      expect((await open(searchLoader, `/search?in=${kind}&sort=bogus&status=bogus&type=bogus`)).status).toBe(200);
    }
  });

  it("shows a tag's designs and products, sends other spellings to one address, and 404s a tag no design could carry", async () => {
    const designer = await createUser();
    const { round } = await createManyProducts({ designerIds: [designer.id], count: 2 });
    await db
      .update(submissions)
      .set({ tags: ["sea birds"] })
      .where(eq(submissions.roundId, round.id));
    const voting = await createRound({ phase: "voting" });
    await design({ roundId: voting.id, designerId: designer.id, title: "Gannet", tags: ["sea birds"] });
    await design({
      roundId: voting.id,
      designerId: designer.id,
      title: "Hidden gannet",
      tags: ["sea birds"],
      status: "pending",
    });

    const page = await open(tagLoader, "/tags/sea%20birds", { tag: "sea birds" });
    expect(page.status).toBe(200);
    expect(page.data.designs.items.map((d: { title: string }) => d.title).sort()).toEqual(["Gannet", "Listed 0"]);
    expect(page.data.products.items).toHaveLength(2);

    const moved = await open(tagLoader, "/tags/Sea%20%20Birds", { tag: "Sea  Birds" });
    expect(moved.status).toBe(301);
    expect(moved.response!.headers.get("Location")).toBe("/tags/sea%20birds");
    expect((await open(tagLoader, "/tags/%3Cscript%3E", { tag: "<script>" })).status).toBe(404);
    expect((await open(tagLoader, "/tags/x", { tag: "a".repeat(30) })).status).toBe(404);
    expect((await open(tagLoader, "/tags/sea%20birds?after=nope!", { tag: "sea birds" })).status).toBe(400);

    const none = await open(tagLoader, "/tags/nothing", { tag: "nothing" });
    expect(none.status).toBe(200);
    expect(none.data.designs.items).toEqual([]);
  });

  it("orders a round's gallery by newest or most commented, each a page at a time, and never by score", async () => {
    const round = await createRound({ phase: "voting" });
    const designer = await createUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await design({
          roundId: round.id,
          designerId: designer.id,
          title: `Entry ${i}`,
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
        }),
      );
    }
    // Entry 1 has two comments, entry 3 one.
    await db.insert(comments).values([
      { submissionId: ids[1], authorId: designer.id, body: "a" },
      { submissionId: ids[1], authorId: designer.id, body: "b" },
      { submissionId: ids[3], authorId: designer.id, body: "c" },
    ]);
    const readAll = async (sort: string) => {
      const seen: string[] = [];
      let url = `/rounds/${round.slug}?sort=${sort}`;
      for (let pages = 0; pages < 10; pages++) {
        const page = await open(roundLoader, url, { slug: round.slug });
        expect(page.status).toBe(200);
        seen.push(...page.data.submissions.items.map((s: { title: string }) => s.title));
        if (!page.data.submissions.next) break;
        url = `/rounds/${round.slug}?sort=${sort}&after=${page.data.submissions.next}`;
      }
      return seen;
    };
    expect(await readAll("newest")).toEqual(["Entry 4", "Entry 3", "Entry 2", "Entry 1", "Entry 0"]);
    expect(await readAll("most-commented")).toEqual(["Entry 1", "Entry 3", "Entry 4", "Entry 2", "Entry 0"]);
    expect((await readAll("shuffle")).sort()).toEqual(["Entry 0", "Entry 1", "Entry 2", "Entry 3", "Entry 4"]);
    // No score order exists: an unknown sort is the viewer's shuffle, as with no sort at all.
    const byScore = await open(roundLoader, `/rounds/${round.slug}?sort=score`, { slug: round.slug });
    expect(byScore.data.sort).toBe("shuffle");
    // A cursor from another order is a 400.
    const newest = await open(roundLoader, `/rounds/${round.slug}?sort=newest`, { slug: round.slug });
    expect(newest.data.submissions.items[0].tags).toEqual([]);
    const wrong = await open(
      roundLoader,
      `/rounds/${round.slug}?sort=most-commented&after=${encodeCursor(["2026-01-01 00:00:00+00", ids[0]!])}`,
      {
        slug: round.slug,
      },
    );
    expect(wrong.status).toBe(400);
  });
});
