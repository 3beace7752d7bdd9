import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { avifJobs, submissions } from "#db/schema";
import { createRound, createSubmission, createUser } from "#tests/factories/index";
import { localStorageWith, storedFiles } from "#tests/support/storage";
import { encodeAllDueAvif, encodeDueAvif, listenForAvifJobs } from "~/domain/avif-renditions.server";
import { submitArtwork } from "~/domain/submissions.server";
import { db } from "~/lib/db.server";
import { LocalStorage, localStorageRoot } from "~/lib/storage.server";
import { artworkPng } from "#tests/factories/artwork";

const MINUTE = 60_000;

async function oneDesign(seed = 1) {
  const round = await createRound({ phase: "submissions" });
  const designer = await createUser();
  const id = await createSubmission({ round, designerId: designer.id, seed });
  return { round, designer, id };
}

async function imagesOf(id: string) {
  const [row] = await db.select({ images: submissions.images }).from(submissions).where(eq(submissions.id, id));
  return row!.images;
}

async function jobs() {
  return db.select({ id: avifJobs.submissionId, attempts: avifJobs.attempts }).from(avifJobs);
}

afterEach(() => listenForAvifJobs(undefined));

describe("AVIF after the answer", () => {
  it("makes each queued design's AVIF once, and a second sweep finds nothing to do", async () => {
    const first = await oneDesign(1);
    const second = await createSubmission({ round: first.round, designerId: first.designer.id, seed: 2 });
    expect((await jobs()).map((j) => j.id).sort()).toEqual([first.id, second].sort());

    expect(await encodeAllDueAvif()).toEqual({ encoded: 2, failed: 0 });
    for (const id of [first.id, second]) {
      // An AVIF is kept only where it beats its WebP clearly: always the preview of this art, not always its thumbnail.
      const { preview, thumb } = await imagesOf(id);
      expect(storedFiles().has(preview.avif!)).toBe(true);
      if (thumb.avif) expect(storedFiles().has(thumb.avif)).toBe(true);
    }
    const files = storedFiles().size;
    expect(await encodeAllDueAvif()).toEqual({ encoded: 0, failed: 0 });
    expect(storedFiles().size).toBe(files);
    expect(await jobs()).toEqual([]);
  });

  it("leaves a job another server holds until its lease runs out", async () => {
    const { id } = await oneDesign();
    const now = new Date();
    await db.update(avifJobs).set({ lockedUntil: new Date(now.getTime() + MINUTE) });
    expect(await encodeDueAvif({ now })).toEqual({ encoded: 0, failed: 0 });
    expect((await imagesOf(id)).preview.avif).toBeUndefined();

    expect(await encodeDueAvif({ now: new Date(now.getTime() + 2 * MINUTE) })).toEqual({ encoded: 1, failed: 0 });
    expect((await imagesOf(id)).preview.avif).toMatch(/\.avif$/);
  });

  it("retries a failure after the lease, gives up after three tries, and the WebP stays as it was", async () => {
    const { id } = await oneDesign();
    const before = await imagesOf(id);
    await new LocalStorage(localStorageRoot()).delete(before.master);
    const files = [...storedFiles().keys()].sort();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const now = Date.now();
      expect(await encodeDueAvif({ now: new Date(now) })).toEqual({ encoded: 0, failed: 1 });
      // Not again at once: the lease stands.
      expect(await encodeDueAvif({ now: new Date(now) })).toEqual({ encoded: 0, failed: 0 });
      expect(await jobs()).toEqual([{ id, attempts: 1 }]);
      expect(await encodeDueAvif({ now: new Date(now + 6 * MINUTE) })).toEqual({ encoded: 0, failed: 1 });
      expect(await encodeDueAvif({ now: new Date(now + 12 * MINUTE) })).toEqual({ encoded: 0, failed: 1 });
      expect(await jobs()).toEqual([]);
      expect(warn).toHaveBeenLastCalledWith(expect.stringContaining("gave up: the WebP stays on its own"));
    } finally {
      warn.mockRestore();
    }
    expect(await imagesOf(id)).toEqual(before);
    expect([...storedFiles().keys()].sort()).toEqual(files);
  });

  it("removes its files when another server finished the job first with different ones", async () => {
    const { id } = await oneDesign();
    const real = new LocalStorage(localStorageRoot());
    // The other server's result: its own AVIF keys, already on the row, the job gone.
    const racing = localStorageWith({
      put: async (key, body, type) => {
        const written = await real.put(key, body, type);
        const images = await imagesOf(id);
        if (!images.preview.avif) {
          await db.delete(avifJobs).where(eq(avifJobs.submissionId, id));
          await db
            .update(submissions)
            .set({ images: { ...images, preview: { ...images.preview, avif: images.preview.webp } } })
            .where(eq(submissions.id, id));
        }
        return written;
      },
    });
    const files = [...storedFiles().keys()].sort();
    await encodeDueAvif({ storage: racing });
    expect([...storedFiles().keys()].sort()).toEqual(files);
    const images = await imagesOf(id);
    expect(images.preview.avif).toBe(images.preview.webp);
    expect(images.thumb.avif).toBeUndefined();
  });

  it("uses the pixels the upload handed over, reading nothing back; a job without them reads the master", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createUser();
    // Queued with no worker listening, as by the seed or a script: nothing handed over.
    const plain = await createSubmission({ round, designerId: designer.id, seed: 6 });
    listenForAvifJobs(() => undefined);
    const handed = await submitArtwork({
      designerId: designer.id,
      roundSlug: round.slug,
      details: { title: "Handed over", description: "", tags: [] },
      bytes: await artworkPng({ seed: 5, width: 1300, height: 1300 }),
    });
    expect(handed.ok).toBe(true);
    const real = new LocalStorage(localStorageRoot());
    const read: string[] = [];
    const counting = localStorageWith({
      get: (key) => {
        read.push(key);
        return real.get(key);
      },
    });
    // Oldest first: the plain one reads its master and WebP sizes back.
    expect(await encodeDueAvif({ storage: counting })).toEqual({ encoded: 1, failed: 0 });
    const plainImages = await imagesOf(plain);
    expect(read.sort()).toEqual([plainImages.master, plainImages.preview.webp, plainImages.thumb.webp].sort());
    expect(plainImages.preview.avif).toMatch(/\.avif$/);
    read.length = 0;
    expect(await encodeDueAvif({ storage: counting })).toEqual({ encoded: 1, failed: 0 });
    expect(read).toEqual([]);
    expect((await imagesOf(handed.ok ? handed.value.submissionId : "")).preview.avif).toMatch(/\.avif$/);
  });

  it("tells this process's worker after an upload is committed, not after one that is refused", async () => {
    const round = await createRound({ phase: "submissions", maxSubmissionsPerDesigner: 1 });
    const designer = await createUser();
    const heard = vi.fn();
    listenForAvifJobs(heard);
    const send = async (seed: number) =>
      submitArtwork({
        designerId: designer.id,
        roundSlug: round.slug,
        details: { title: `Design ${seed}`, description: "", tags: [] },
        bytes: await artworkPng({ seed, width: 1200, height: 1200 }),
      });
    expect((await send(1)).ok).toBe(true);
    expect(heard).toHaveBeenCalledTimes(1);
    expect((await send(2)).ok).toBe(false);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(await jobs()).toHaveLength(1);
  });
});
