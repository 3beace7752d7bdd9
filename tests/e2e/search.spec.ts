import { createRound, createSubmission, createUser } from "#tests/factories/index";
import { expect, gotoHydrated, test } from "./fixtures";

test("search finds a design by a misspelt title and by its tag, and its tag links to the tag page", async ({
  page,
}) => {
  // The upload runs the real image pipeline, slow on a busy 2-core machine.
  test.setTimeout(90_000);
  const suffix = Date.now().toString(36);
  const round = await createRound({ phase: "voting" });
  const admin = await createUser({ role: "admin" });
  const designer = await createUser({ username: `quokka_${suffix}` });
  const title = `Quokka Carousel ${suffix}`;
  const tag = `starlit-${suffix}`;
  await createSubmission({
    round: { ...round, submissionsOpenAt: round.submissionsOpenAt, votingOpensAt: round.votingOpensAt },
    designerId: designer.id,
    title,
    tags: [tag, "fairground"],
    seed: 4242,
    moderate: { adminId: admin.id, decision: "approved" },
  });

  // The header's search box, with a typo in the title.
  await gotoHydrated(page, "/");
  const box = page.getByRole("search").getByLabel("Search designs, products and designers");
  await box.fill("quoka carusel");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=quoka\+carusel/);
  const result = page.getByRole("region", { name: "Results" }).getByRole("link", { name: title });
  await expect(result).toBeVisible();
  await result.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // Its tag is a link to the tag's page, which lists it.
  await page
    .getByRole("list", { name: "Tags" })
    .getByRole("link", { name: `#${tag}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/tags/${tag}$`));
  await expect(page.getByRole("heading", { level: 1, name: `#${tag}` })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();

  // The tag typed into search finds it too.
  await gotoHydrated(page, "/search");
  const searchBox = page.locator("#search-page-q");
  await searchBox.fill(tag);
  await searchBox.press("Enter");
  await expect(page.getByRole("region", { name: "Results" }).getByRole("link", { name: title })).toBeVisible();
});

test("the search page fits a 390 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/search?q=robot", "/search?in=products", "/search?in=designers&q=a", "/tags/fairground"]) {
    await gotoHydrated(page, path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path).toBeLessThanOrEqual(390);
  }
});
