import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productVariants, rounds } from "#db/schema";
import { artworkJpeg } from "#tests/factories/artwork";
import { createBallot, createLoggedInUser, createRound, createSubmission, roundClockFor } from "#tests/factories/index";
import { renderPage } from "#tests/support/render-page";
import { getRequest } from "#tests/support/requests";
import { startS3Double } from "#tests/support/s3-double";
import { addToCart, cartOfUser } from "~/domain/cart.server";
import { setCritiqueWanted } from "~/domain/comments.server";
import { finalizeRound } from "~/domain/finalize.server";
import { setAvatar } from "~/domain/profiles.server";
import { listProducts } from "~/domain/shop.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { forgetSingleton } from "~/lib/singleton.server";

/**
 * With S3_PUBLIC_URL set, every image a page shows comes from the CDN (the
 * URLs are built by the storage adapter, not by the pages), and no page, feed
 * or export carries a print master's private key.
 */
const CDN = "https://cdn.example/art";

const S3_ENV = {
  S3_BUCKET: "art",
  S3_REGION: "eu-west-1",
  S3_ACCESS_KEY_ID: "AKIATEST",
  S3_SECRET_ACCESS_KEY: "secret",
  S3_FORCE_PATH_STYLE: "true",
  S3_PUBLIC_URL: CDN,
};

let double: Awaited<ReturnType<typeof startS3Double>>;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  double = await startS3Double("art");
  for (const [name, value] of Object.entries({ ...S3_ENV, S3_ENDPOINT: double.endpoint })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  resetEnvCache();
  forgetSingleton("storage");
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
  forgetSingleton("storage");
  await double.close();
});

/** Every image URL a browser would load from the page: img src, picture source srcset, share image. */
function imageUrlsIn(html: string): string[] {
  const patterns = [
    /<img\b[^>]*?\ssrc="([^"]*)"/gi,
    /<source\b[^>]*?\ssrcset="([^"]*)"/gi,
    /<meta\b[^>]*?property="og:image"[^>]*?content="([^"]*)"/gi,
  ];
  return patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((m) => m[1]!.replaceAll("&amp;", "&")));
}

async function page(path: string, cookie?: string) {
  const response = await renderPage(getRequest(path, { cookie }));
  return { status: response.status, html: await response.text() };
}

/** A finalized round with a winner on sale, a round in voting, a pending upload, an avatar, a cart. */
async function marketplace() {
  const admin = await createLoggedInUser({ role: "admin" });
  const designer = await createLoggedInUser({ username: "cdnartist" });
  const voter = await createLoggedInUser();

  const finalized = await createRound({ phase: "submissions", minVotes: 1, voterMinScored: 1, winnersCount: 1 });
  const winner = await createSubmission({
    round: finalized,
    designerId: designer.user.id,
    seed: 31,
    moderate: { adminId: admin.user.id, decision: "approved" },
  });
  await createBallot({ roundId: finalized.id, submissionId: winner, voterId: voter.user.id, score: 5 });
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
    .where(eq(rounds.id, finalized.id));
  await finalizeRound(finalized.id);
  await setCritiqueWanted(winner, designer.user.id, true);

  const voting = await createRound({ phase: "submissions" });
  await createSubmission({
    round: voting,
    designerId: designer.user.id,
    seed: 32,
    moderate: { adminId: admin.user.id, decision: "approved" },
  });
  await db.update(rounds).set(roundClockFor("voting")).where(eq(rounds.id, voting.id));

  // Waiting for moderation, and a near-duplicate of the winner, so the queue shows both pictures.
  const open = await createRound({ phase: "submissions" });
  await createSubmission({ round: open, designerId: voter.user.id, seed: 31 });

  expect((await setAvatar(designer.user.id, await artworkJpeg({ seed: 33, width: 300, height: 300 }))).ok).toBe(true);

  const [product] = (await listProducts()).items;
  const [variant] = await db
    .select({ id: productVariants.id })
    .from(productVariants)
    .where(eq(productVariants.productId, product!.id));
  expect((await addToCart(await cartOfUser(voter.user.id), variant!.id, 1)).ok).toBe(true);

  return { admin, designer, voter, finalized, voting, winner, productId: product!.id };
}

describe("public images with S3_PUBLIC_URL", () => {
  it("serves every page's images from the CDN, and no page carries a private key", async () => {
    const m = await marketplace();
    const pages: [string, string | undefined][] = [
      [`/rounds/${m.finalized.slug}`, undefined],
      [`/rounds/${m.voting.slug}`, m.voter.cookie],
      [`/vote/${m.voting.slug}`, m.voter.cookie],
      [`/rounds/${m.finalized.slug}/results`, undefined],
      ["/shop", undefined],
      [`/shop/${m.productId}`, undefined],
      [`/designers/${m.designer.user.username}`, undefined],
      [`/submissions/${m.winner}`, undefined],
      ["/critique", undefined],
      ["/cart", m.voter.cookie],
      ["/settings", m.designer.cookie],
      ["/account/submissions", m.designer.cookie],
      ["/admin/moderation", m.admin.cookie],
      [`/admin/rounds/${m.voting.id}`, m.admin.cookie],
    ];
    for (const [path, cookie] of pages) {
      const { status, html } = await page(path, cookie);
      expect(status, path).toBe(200);
      const urls = imageUrlsIn(html);
      expect(urls.length, `${path} shows images`).toBeGreaterThan(0);
      for (const url of urls) expect(url, path).toMatch(new RegExp(`^${CDN}/public/`));
      expect(html, path).not.toContain("private/");
    }

    // The designer page shows the avatar, and the moderation queue the earlier look-alike, from the CDN too.
    const designerPage = await page(`/designers/${m.designer.user.username}`);
    expect(imageUrlsIn(designerPage.html).filter((u) => u.endsWith(".webp")).length).toBeGreaterThan(1);
    const queue = await page("/admin/moderation", m.admin.cookie);
    expect(queue.html).toContain("Looks like");
  });

  it("puts CDN URLs in feeds and the data export, and no private key", async () => {
    const m = await marketplace();
    for (const path of [`/rounds/${m.finalized.slug}/feed.xml`, "/shop/feed.xml"]) {
      const { status, html: xml } = await page(path);
      expect(status, path).toBe(200);
      expect(xml, path).toContain(`src=&quot;${CDN}/public/`);
      expect(xml, path).not.toContain("/images/");
      expect(xml, path).not.toContain("private/");
    }
    const exported = await page("/account/export.json", m.designer.cookie);
    expect(exported.status).toBe(200);
    const data = JSON.parse(exported.html);
    expect(data.account.avatar.large).toMatch(new RegExp(`^${CDN}/public/`));
    expect(data.designs[0].images.preview.webp).toMatch(new RegExp(`^${CDN}/public/`));
    expect(exported.html).not.toContain("private/");
  });
});
