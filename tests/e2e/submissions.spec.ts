import { eq } from "drizzle-orm";
import { submissions } from "#db/schema";
import { artworkPng } from "#tests/factories/artwork";
import { createRound } from "#tests/factories/index";
import { db } from "~/lib/db.server";
import { expect, gotoHydrated, test } from "./fixtures";

test("a designer uploads through the form; an admin approves it; it shows on the round page", async ({
  page,
  login,
  browser,
  baseURL,
}) => {
  const round = await createRound({ phase: "submissions", title: `Paper Boats ${Date.now().toString(36)}` });
  const designer = await login();
  const title = `Folded Fleet ${Date.now().toString(36)}`;

  await gotoHydrated(page, `/rounds/${round.slug}`);
  await page.getByRole("link", { name: "Submit a design" }).click();
  await expect(page.getByRole("heading", { name: `Submit a design to ${round.title}` })).toBeVisible();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description (optional)").fill("Paper boats at dawn.");
  await page.getByLabel("Tags").fill("boats, paper");

  // A file that is not an image is refused with a clear message and nothing is stored.
  await page
    .getByLabel("Artwork file")
    .setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just some text, not a picture") });
  await page.getByRole("button", { name: "Submit design" }).click();
  await expect(page.getByText("This file is not an image. Upload a PNG, JPEG or WebP image.")).toBeVisible();
  expect(await db.select().from(submissions).where(eq(submissions.designerId, designer.user.id))).toHaveLength(0);

  await page.getByLabel("Artwork file").setInputFiles({
    name: "boats.png",
    mimeType: "image/png",
    buffer: await artworkPng({ seed: 77, width: 1400, height: 1400, label: "BOATS" }),
  });
  await expect(page.getByRole("img", { name: "Preview of the chosen file" })).toBeVisible();
  await page.getByRole("button", { name: "Submit design" }).click();
  await expect(page.getByText("Your design was submitted")).toBeVisible();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByText("Waiting for moderation")).toBeVisible();
  const [row] = await db.select().from(submissions).where(eq(submissions.designerId, designer.user.id));
  expect(row?.status).toBe("pending");

  // Not on the public round page yet.
  await gotoHydrated(page, `/rounds/${round.slug}`);
  await expect(page.getByText(title)).toHaveCount(0);

  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  const { createLoggedInUser } = await import("#tests/factories/index");
  const admin = await createLoggedInUser({ role: "admin" });
  await adminContext.addCookies([{ name: "ct_session", value: encodeURIComponent(admin.token), url: baseURL! }]);
  await gotoHydrated(adminPage, "/admin/moderation");
  const item = adminPage.getByRole("listitem").filter({ has: adminPage.getByRole("heading", { name: title }) });
  await expect(item).toBeVisible();
  await item.getByRole("button", { name: "Approve" }).click();
  await expect(adminPage.getByText("Approved", { exact: true }).first()).toBeVisible();
  await expect(adminPage.getByRole("heading", { name: title })).toHaveCount(0);
  await adminContext.close();

  // The server made the AVIF after answering the upload, and the gallery offers it beside the WebP.
  await expect
    .poll(async () => (await db.select().from(submissions).where(eq(submissions.id, row!.id)))[0]?.images.thumb.avif, {
      timeout: 15_000,
    })
    .toMatch(/^public\/.+\.avif$/);
  await gotoHydrated(page, `/rounds/${round.slug}`);
  const card = page.getByRole("link", { name: new RegExp(title) });
  await expect(card).toBeVisible();
  const thumbnail = card.getByRole("img", { name: title });
  await expect(thumbnail).toBeVisible();
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\.avif$/);
  await card.click();
  await expect(page.getByRole("img", { name: `${title} printed on a T-shirt` })).toBeVisible();
});
