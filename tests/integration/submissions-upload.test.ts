import { count, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog, avifJobs, nearDuplicates, submissions } from "#db/schema";
import { artworkPng } from "#tests/factories/artwork";
import {
  animatedWebp,
  cmykJpeg,
  corruptJpeg,
  gif,
  jpegWithGps,
  pngBomb,
  sidewaysJpeg,
  SVG,
  TEXT,
  truncatedPng,
} from "#tests/factories/bad-files";
import { createLoggedInUser, createRound, createUser } from "#tests/factories/index";
import { context, settle, uploadRequest } from "#tests/support/requests";
import { localStorageWith, storedFiles } from "#tests/support/storage";
import { encodeAllDueAvif } from "~/domain/avif-renditions.server";
import { submitArtwork } from "~/domain/submissions.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { LocalStorage, localStorageRoot } from "~/lib/storage.server";
import { action as uploadJsonAction } from "~/routes/rounds.$slug_.upload";
import { action as submitAction } from "~/routes/rounds.$slug_.submit";

const details = { title: "Moonlit Moth", description: "A moth that glows.", tags: "moths, night,  Glow " };

async function upload(
  roundSlug: string,
  cookie: string | undefined,
  file: { bytes: Buffer; name?: string; type?: string } | null,
  fields = details,
) {
  return settle(() =>
    submitAction({
      request: uploadRequest(`/rounds/${roundSlug}/submit`, fields, file, { cookie }),
      params: { slug: roundSlug },
      context: context(),
    }),
  );
}

async function submissionCount() {
  const [row] = await db.select({ n: count() }).from(submissions);
  return row!.n;
}

afterEach(() => {
  delete process.env.UPLOAD_MAX_MB;
  resetEnvCache();
});

describe("a good upload", () => {
  it("stores every derivative, strips metadata and creates a pending submission", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const result = await upload(round.slug, designer.cookie, {
      bytes: await jpegWithGps(),
      name: "photo.jpg",
      type: "image/jpeg",
    });
    expect(result.status).toBe(302);
    const [row] = await db.select().from(submissions);
    expect(result.response!.headers.get("Location")).toBe(`/submissions/${row!.id}`);
    expect(row).toMatchObject({
      status: "pending",
      title: "Moonlit Moth",
      tags: ["moths", "night", "glow"],
      artworkWidth: 1500,
      artworkHeight: 1300,
      designerId: designer.user.id,
    });
    expect(row!.perceptualHash).toMatch(/^[0-9a-f]{16}$/);

    // The answer comes before the AVIF: the upload stores the WebP renditions and queues the rest.
    const answered = [
      row!.images.master,
      row!.images.preview.webp,
      row!.images.thumb.webp,
      row!.images.mockups.tee,
      row!.images.mockups.poster,
      row!.images.share,
    ];
    expect([...storedFiles().keys()].sort()).toEqual([...answered].sort());
    expect([row!.images.preview.avif, row!.images.thumb.avif]).toEqual([undefined, undefined]);
    expect(await db.select({ id: avifJobs.submissionId }).from(avifJobs)).toEqual([{ id: row!.id }]);

    expect(await encodeAllDueAvif()).toEqual({ encoded: 1, failed: 0 });
    const [withAvif] = await db.select().from(submissions);
    const renditions = withAvif!.images;
    expect(renditions.preview.avif).toMatch(/^public\/.*\.avif$/);
    expect(renditions.thumb.avif).toMatch(/^public\/.*\.avif$/);
    expect(await db.select().from(avifJobs)).toEqual([]);
    const keys = [...answered, renditions.preview.avif!, renditions.thumb.avif!];
    const files = storedFiles();
    expect([...files.keys()].sort()).toEqual([...keys].sort());
    expect(row!.images.master).toMatch(/^private\/.*\.png$/);
    for (const key of keys.filter((k) => k !== row!.images.master)) expect(key).toMatch(/^public\//);
    for (const variant of [renditions.preview, renditions.thumb]) {
      const avif = await sharp(files.get(variant.avif!)!).metadata();
      expect([avif.width, avif.height, avif.format]).toEqual([variant.width, variant.height, "heif"]);
      expect(files.get(variant.avif!)!.length).toBeLessThan(files.get(variant.webp)!.length * 0.85);
    }

    // No EXIF (GPS, camera) survives in any stored file.
    for (const [key, bytes] of files) {
      const meta = await sharp(bytes).metadata();
      expect(meta.exif, key).toBeUndefined();
      expect(bytes.includes(Buffer.from("Snoopcam")), key).toBe(false);
      expect(bytes.includes(Buffer.from("secret studio")), key).toBe(false);
    }
    const master = await sharp(files.get(row!.images.master)!).metadata();
    expect([master.width, master.height, master.format]).toEqual([1500, 1300, "png"]);
    const preview = await sharp(files.get(row!.images.preview.webp)!).metadata();
    expect(Math.max(preview.width!, preview.height!)).toBe(1200);
    const thumb = await sharp(files.get(row!.images.thumb.webp)!).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(400);
    const share = await sharp(files.get(row!.images.share)!).metadata();
    expect([share.width, share.height]).toEqual([1200, 630]);

    const [audit] = await db.select().from(auditLog).where(eq(auditLog.subjectId, row!.id));
    expect(audit).toMatchObject({ action: "submission.submitted", actorId: designer.user.id });
  });

  it("turns a CMYK JPEG into sRGB everywhere", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const result = await upload(round.slug, designer.cookie, {
      bytes: await cmykJpeg(),
      name: "print.jpg",
      type: "image/jpeg",
    });
    expect(result.status).toBe(302);
    await encodeAllDueAvif();
    const files = storedFiles();
    expect(files.size).toBeGreaterThanOrEqual(6);
    for (const [key, bytes] of files) {
      const meta = await sharp(bytes).metadata();
      expect(meta.space, key).toBe("srgb");
      expect(meta.channels, key).toBeLessThanOrEqual(4);
    }
  });

  it("auto-orients by EXIF orientation before checking size and storing", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const result = await upload(round.slug, designer.cookie, {
      bytes: await sidewaysJpeg(),
      name: "sideways.jpg",
      type: "image/jpeg",
    });
    expect(result.status).toBe(302);
    const [row] = await db.select().from(submissions);
    expect([row!.artworkWidth, row!.artworkHeight]).toEqual([1300, 1600]);
    const master = await sharp(storedFiles().get(row!.images.master)!).metadata();
    expect([master.width, master.height, master.orientation]).toEqual([1300, 1600, undefined]);
  });

  it("is approved at once in an auto-approving round", async () => {
    const round = await createRound({ phase: "submissions" });
    await db.update((await import("#db/schema")).rounds).set({ autoApprove: true });
    const designer = await createLoggedInUser();
    expect(
      (await upload(round.slug, designer.cookie, { bytes: await artworkPng({ seed: 9, width: 1300, height: 1300 }) }))
        .status,
    ).toBe(302);
    const [row] = await db.select().from(submissions);
    expect(row!.status).toBe("approved");
  });

  it("answers the progress endpoint in JSON with where to go next", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const request = uploadRequest(
      `/rounds/${round.slug}/upload`,
      details,
      { bytes: await artworkPng({ seed: 10, width: 1300, height: 1300 }) },
      { cookie: designer.cookie },
    );
    const response = (await uploadJsonAction({
      request,
      params: { slug: round.slug },
      context: context(),
    })) as Response;
    expect(response.status).toBe(200);
    const body = await response.json();
    const [row] = await db.select().from(submissions);
    expect(body).toEqual({ ok: true, redirectTo: `/submissions/${row!.id}` });
    expect(response.headers.get("Set-Cookie")).toContain("ct_toast=");

    const bad = uploadRequest(`/rounds/${round.slug}/upload`, details, { bytes: TEXT }, { cookie: designer.cookie });
    const refused = (await uploadJsonAction({
      request: bad,
      params: { slug: round.slug },
      context: context(),
    })) as Response;
    expect(refused.status).toBe(400);
    expect((await refused.json()).fieldErrors.artwork).toEqual([
      "This file is not an image. Upload a PNG, JPEG or WebP image.",
    ]);
  });
});

describe("bad files are refused by content, and leave nothing behind", () => {
  const cases: [string, () => Promise<{ bytes: Buffer; name: string; type: string }>, RegExp][] = [
    [
      "a text file named .png",
      async () => ({ bytes: TEXT, name: "art.png", type: "image/png" }),
      /^This file is not an image\./,
    ],
    ["an SVG", async () => ({ bytes: SVG, name: "art.svg", type: "image/svg+xml" }), /^SVG files are not accepted\./],
    [
      "an SVG named .png",
      async () => ({ bytes: SVG, name: "art.png", type: "image/png" }),
      /^SVG files are not accepted\./,
    ],
    [
      "a GIF",
      async () => ({ bytes: await gif(), name: "art.gif", type: "image/gif" }),
      /^GIF files are not accepted\./,
    ],
    [
      "a truncated PNG",
      async () => ({ bytes: await truncatedPng(), name: "art.png", type: "image/png" }),
      /^The image is damaged or incomplete/,
    ],
    [
      "a corrupt JPEG",
      async () => ({ bytes: await corruptJpeg(), name: "art.jpg", type: "image/jpeg" }),
      /^The image is damaged or incomplete/,
    ],
    [
      "an animated WebP",
      async () => ({ bytes: await animatedWebp(), name: "art.webp", type: "image/webp" }),
      /^Animated images are not accepted\./,
    ],
    [
      "an image under the round's minimum",
      async () => ({
        bytes: await artworkPng({ seed: 2, width: 900, height: 1400 }),
        name: "small.png",
        type: "image/png",
      }),
      /^The image is 900 × 1400 pixels; this round needs at least 1200 × 1200\.$/,
    ],
    [
      "a decompression bomb (30000 × 30000 in a few hundred bytes)",
      async () => ({ bytes: pngBomb(), name: "bomb.png", type: "image/png" }),
      /^The image is 30000 × 30000 pixels, more than the 60-megapixel limit\./,
    ],
  ];

  for (const [name, make, message] of cases) {
    it(`refuses ${name}`, async () => {
      const round = await createRound({ phase: "submissions" });
      const designer = await createLoggedInUser();
      const result = await upload(round.slug, designer.cookie, await make());
      expect(result.status).toBe(400);
      expect(result.data.fieldErrors.artwork).toHaveLength(1);
      expect(result.data.fieldErrors.artwork[0]).toMatch(message);
      expect(await submissionCount()).toBe(0);
      expect(storedFiles().size).toBe(0);
    });
  }

  it("refuses the bomb without decoding it: memory stays flat", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const before = process.memoryUsage().rss;
    const result = await upload(round.slug, designer.cookie, {
      bytes: pngBomb(60_000),
      name: "bomb.png",
      type: "image/png",
    });
    expect(result.status).toBe(400);
    // Decoding 60000² RGB would need 10 GB; refusing from the header needs next to nothing.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it("refuses a file over the size limit before reading it all", async () => {
    process.env.UPLOAD_MAX_MB = "1";
    resetEnvCache();
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const big = Buffer.concat([await artworkPng({ seed: 1, width: 1300, height: 1300 }), Buffer.alloc(1_200_000, 7)]);
    const result = await upload(round.slug, designer.cookie, { bytes: big, name: "big.png", type: "image/png" });
    expect(result.status).toBe(413);
    expect(result.data.fieldErrors.artwork).toEqual([
      "The file is larger than 1 MB. Export a smaller file and re-upload.",
    ]);
    expect(await submissionCount()).toBe(0);
    expect(storedFiles().size).toBe(0);
  });

  it("asks for a file and a title when they are missing", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const result = await upload(round.slug, designer.cookie, null, { title: "", description: "", tags: "" });
    expect(result.status).toBe(400);
    expect(result.data.fieldErrors.artwork).toEqual(["Choose an image file to upload"]);
    expect(result.data.fieldErrors.title).toBeTruthy();
    expect(await submissionCount()).toBe(0);
  });
});

describe("who may upload, and when", () => {
  it("sends a visitor to log in", async () => {
    const round = await createRound({ phase: "submissions" });
    const result = await upload(round.slug, undefined, {
      bytes: await artworkPng({ seed: 1, width: 1300, height: 1300 }),
    });
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await submissionCount()).toBe(0);
  });

  for (const phase of ["draft", "voting", "closed", "finalized"] as const) {
    it(`refuses uploads while the round is ${phase}`, async () => {
      const round = await createRound({ phase });
      const designer = await createLoggedInUser();
      const result = await upload(round.slug, designer.cookie, {
        bytes: await artworkPng({ seed: 1, width: 1300, height: 1300 }),
      });
      expect(result.status).toBe(409);
      expect(result.data.formErrors[0]).toMatch(/^This round is not taking submissions: /);
      expect(await submissionCount()).toBe(0);
      expect(storedFiles().size).toBe(0);
    });
  }

  it("stops at the round's limit per designer; withdrawn entries free a place", async () => {
    const round = await createRound({ phase: "submissions", maxSubmissionsPerDesigner: 2 });
    const designer = await createLoggedInUser();
    for (const seed of [1, 2]) {
      expect(
        (await upload(round.slug, designer.cookie, { bytes: await artworkPng({ seed, width: 1300, height: 1300 }) }))
          .status,
      ).toBe(302);
    }
    const third = await upload(round.slug, designer.cookie, {
      bytes: await artworkPng({ seed: 3, width: 1300, height: 1300 }),
    });
    expect(third.status).toBe(409);
    expect(third.data.formErrors).toEqual([
      "You have already entered 2 designs in this round, the most it allows. Withdraw one to enter another.",
    ]);
    expect(await submissionCount()).toBe(2);
    const [first] = await db.select().from(submissions).limit(1);
    await db.update(submissions).set({ status: "withdrawn" }).where(eq(submissions.id, first!.id));
    expect(
      (await upload(round.slug, designer.cookie, { bytes: await artworkPng({ seed: 3, width: 1300, height: 1300 }) }))
        .status,
    ).toBe(302);
  });

  it("holds the limit when uploads arrive at the same moment", async () => {
    const round = await createRound({ phase: "submissions", maxSubmissionsPerDesigner: 2 });
    const designer = await createLoggedInUser();
    const files = await Promise.all([11, 12, 13, 14].map((seed) => artworkPng({ seed, width: 1250, height: 1250 })));
    const results = await Promise.all(files.map((bytes) => upload(round.slug, designer.cookie, { bytes })));
    expect(results.map((r) => r.status).sort()).toEqual([302, 302, 409, 409]);
    expect(await submissionCount()).toBe(2);
    const rows = await db.select({ images: submissions.images }).from(submissions);
    const expectedKeys = new Set(
      rows.flatMap((r) =>
        [
          r.images.master,
          r.images.preview.webp,
          r.images.thumb.webp,
          r.images.mockups.tee,
          r.images.mockups.poster,
          r.images.share,
          r.images.preview.avif,
          r.images.thumb.avif,
        ].filter(Boolean),
      ),
    );
    expect(new Set(storedFiles().keys())).toEqual(expectedKeys);
  });
});

describe("failures after files were written leave no orphans", () => {
  it("removes the files already written when storage fails half way", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createUser();
    const real = new LocalStorage(localStorageRoot());
    let puts = 0;
    const flaky = localStorageWith({
      put: async (key, body, type) => {
        puts += 1;
        if (puts === 4) throw new Error("bucket unavailable");
        return real.put(key, body, type);
      },
    });
    await expect(
      submitArtwork({
        designerId: designer.id,
        roundSlug: round.slug,
        details: { title: "Flaky", description: "", tags: [] },
        bytes: await artworkPng({ seed: 20, width: 1300, height: 1300 }),
        storage: flaky,
      }),
    ).rejects.toThrow("bucket unavailable");
    expect(puts).toBe(4);
    expect(storedFiles().size).toBe(0);
    expect(await submissionCount()).toBe(0);
  });

  it("removes the files when the database write fails", async () => {
    const round = await createRound({ phase: "submissions" });
    await expect(
      submitArtwork({
        designerId: "00000000-0000-4000-8000-000000000000",
        roundSlug: round.slug,
        details: { title: "Ghost", description: "", tags: [] },
        bytes: await artworkPng({ seed: 21, width: 1300, height: 1300 }),
      }),
    ).rejects.toThrow();
    expect(storedFiles().size).toBe(0);
    expect(await submissionCount()).toBe(0);
  });

  it("does not delete files another submission shares", async () => {
    const round = await createRound({ phase: "submissions" });
    const first = await createLoggedInUser();
    const bytes = await artworkPng({ seed: 22, width: 1300, height: 1300 });
    expect((await upload(round.slug, first.cookie, { bytes })).status).toBe(302);
    const before = new Set(storedFiles().keys());
    await expect(
      submitArtwork({
        designerId: "00000000-0000-4000-8000-000000000000",
        roundSlug: round.slug,
        details: { title: "Copy", description: "", tags: [] },
        bytes,
      }),
    ).rejects.toThrow();
    expect(new Set(storedFiles().keys())).toEqual(before);
  });
});

describe("near-duplicates", () => {
  it("flags an upload that looks like an earlier one, for moderators", async () => {
    const round = await createRound({ phase: "submissions" });
    const original = await createLoggedInUser();
    const copier = await createLoggedInUser();
    const art = await artworkPng({ seed: 30, width: 1400, height: 1400 });
    expect((await upload(round.slug, original.cookie, { bytes: art })).status).toBe(302);
    // The copy is re-encoded as JPEG and scaled: not the same bytes, the same picture.
    const copy = await sharp(art).resize(1300).jpeg({ quality: 80 }).toBuffer();
    expect(
      (
        await upload(
          round.slug,
          copier.cookie,
          { bytes: copy, name: "mine.jpg", type: "image/jpeg" },
          { ...details, title: "Totally mine" },
        )
      ).status,
    ).toBe(302);
    expect(
      (
        await upload(
          round.slug,
          copier.cookie,
          { bytes: await artworkPng({ seed: 31, width: 1400, height: 1400 }) },
          { ...details, title: "Different" },
        )
      ).status,
    ).toBe(302);

    const rows = await db.select({ id: submissions.id, title: submissions.title }).from(submissions);
    const byTitle = Object.fromEntries(rows.map((r) => [r.title, r.id]));
    const flags = await db.select().from(nearDuplicates);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      submissionId: byTitle["Totally mine"],
      earlierSubmissionId: byTitle["Moonlit Moth"],
    });
    expect(flags[0]!.distance).toBeLessThanOrEqual(6);
  });
});
