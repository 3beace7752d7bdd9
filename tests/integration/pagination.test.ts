import { describe, expect, it } from "vitest";
import { createManySubmissions, createRound, createUser } from "#tests/factories/index";
import { collectPages } from "#tests/support/pages";
import { context, getRequest, settle } from "#tests/support/requests";
import { approvedInRound, arrivalCursor } from "~/domain/submissions.server";
import { galleryForViewer, shuffleCursor, shuffleStart } from "~/domain/voting.server";
import { encodeCursor } from "~/lib/pagination.server";
import { loader as roundLoader } from "~/routes/rounds.$slug";

async function roundWith(count: number, phase: "voting" | "closed" = "voting") {
  const round = await createRound({ phase });
  const designers = await Promise.all([1, 2, 3].map(() => createUser()));
  const ids = await createManySubmissions({ roundId: round.id, designerIds: designers.map((d) => d.id), count });
  // Designs outside the vote are never listed.
  await createManySubmissions({ roundId: round.id, designerIds: [designers[0]!.id], count: 3, status: "pending" });
  return { round, ids };
}

describe("a round's gallery, a page at a time", () => {
  it("walks one viewer's shuffle with no gap and no repeat, the same order as one long page", async () => {
    const { round, ids } = await roundWith(61);
    const viewer = await createUser();
    const { ids: read, sizes } = await collectPages(shuffleCursor, (after) =>
      galleryForViewer(round.id, viewer.id, { after, size: 7 }),
    );
    expect([...read].sort()).toEqual([...ids].sort());
    expect(sizes).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 5]);
    const whole = await galleryForViewer(round.id, viewer.id, { size: 1000 });
    expect(read).toEqual(whole.items.map((s) => s.id));
    expect(whole.next).toBeNull();
  });

  it("gives viewers different starting points, each stable across visits", async () => {
    const { round } = await roundWith(40);
    const firstOf = async (viewer: string | null) =>
      (await galleryForViewer(round.id, viewer, { size: 5 })).items.map((s) => s.id);
    const viewers = await Promise.all([1, 2, 3, 4, 5].map(() => createUser()));
    const firsts = await Promise.all(viewers.map((v) => firstOf(v.id)));
    expect(await firstOf(viewers[0]!.id)).toEqual(firsts[0]);
    expect(new Set(firsts.map((f) => f[0])).size).toBeGreaterThan(1);
    expect(shuffleStart(null)).toBe(shuffleStart(null));
  });

  it("lists the round in arrival order once voting is over, ties on time broken by id", async () => {
    const { round, ids } = await roundWith(23, "closed");
    const { ids: read } = await collectPages(arrivalCursor, (after) => approvedInRound(round.id, { after, size: 4 }));
    expect(read).toHaveLength(23);
    // Pairs share a creation time; within a pair the lower id comes first.
    const expected = ids.map((id, i) => ({ id, t: Math.floor(i / 2) }));
    expected.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
    expect(read).toEqual(expected.map((e) => e.id));
  });

  it("keeps the first page of a large round small and links to the next", async () => {
    const { round } = await roundWith(120);
    const page = await settle(() =>
      roundLoader({ request: getRequest(`/rounds/${round.slug}`), params: { slug: round.slug }, context: context() }),
    );
    expect(page.status).toBe(200);
    expect(page.data.entryCount).toBe(120);
    expect(page.data.submissions.items).toHaveLength(24);
    expect(page.data.submissions.next).toEqual(expect.any(String));
    const second = await settle(() =>
      roundLoader({
        request: getRequest(`/rounds/${round.slug}?after=${page.data.submissions.next}`),
        params: { slug: round.slug },
        context: context(),
      }),
    );
    const firstIds = new Set(page.data.submissions.items.map((s: { id: string }) => s.id));
    expect(second.data.submissions.items.some((s: { id: string }) => firstIds.has(s.id))).toBe(false);
    expect(second.data.isLaterPage).toBe(true);
  });

  it("answers a cursor it did not make with a 400", async () => {
    const { round } = await roundWith(3);
    for (const after of ["%00", "not-base64!", encodeCursor(["x", "y"]), encodeCursor([1]), "e30"]) {
      const result = await settle(() =>
        roundLoader({
          request: getRequest(`/rounds/${round.slug}?after=${after}`),
          params: { slug: round.slug },
          context: context(),
        }),
      );
      expect(result.status, after).toBe(400);
    }
  });
});
