import { eq } from "drizzle-orm";
import { rounds } from "#db/schema";
import { createBallot, createRound, createSubmission, createUser, ensureDemoShipping } from "#tests/factories/index";
import { finalizeRound } from "~/domain/finalize.server";
import { db } from "~/lib/db.server";
import { expect, gotoHydrated, test } from "./fixtures";

test("a visitor buys a winning design with the local provider; the designer sees the royalty", async ({
  page,
  browser,
  baseURL,
}) => {
  const tag = Date.now().toString(36);
  const round = await createRound({
    phase: "submissions",
    minVotes: 1,
    voterMinScored: 1,
    winnersCount: 1,
    prizeCents: 0,
    royaltyBps: 2000,
    title: `Fox Tales ${tag}`,
  });
  const admin = await createUser({ role: "admin" });
  const { createLoggedInUser } = await import("#tests/factories/index");
  const designer = await createLoggedInUser();
  const title = `Sly Fox ${tag}`;
  const submissionId = await createSubmission({
    round,
    designerId: designer.user.id,
    title,
    seed: 800,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await createBallot({ roundId: round.id, submissionId, voterId: admin.id, score: 5 });
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
    .where(eq(rounds.id, round.id));
  await finalizeRound(round.id);
  // The demo's zones and tax rates (US first; the UK: tees $10 + $3 each more, 20% tax).
  await ensureDemoShipping();

  // A guest fills a cart, then signs up at checkout; the cart comes along.
  await gotoHydrated(page, `/shop?round=${round.slug}`);
  await page.getByRole("link", { name: new RegExp(`${title}.*T-shirt`) }).click();
  await expect(page.getByRole("heading", { name: `${title} T-shirt` })).toBeVisible();
  await page.getByRole("radio", { name: "Size L, $25.00" }).check();
  await page.getByLabel("Quantity").fill("2");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByText("Added to your cart")).toBeVisible();
  await page.getByRole("link", { name: /^Cart/ }).click();
  // Before any address, the estimate ships to the shop's first zone, the US: $5 + $2.
  const estimate = page.locator("dl");
  await expect(estimate.getByText("$50.00")).toBeVisible();
  await expect(estimate.getByText("$7.00")).toBeVisible();
  await page.getByRole("link", { name: "Check out" }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fcheckout/);
  await page.getByRole("link", { name: "Create an account" }).click();
  // The log-in page has an Email field too: wait for the sign-up form before filling it.
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  const username = `buyer_${tag}`;
  await page.getByLabel("Email").fill(`${username}@example.test`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("a fox in the henhouse");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Welcome to Crowdthread")).toBeVisible();
  await gotoHydrated(page, "/checkout");
  await page.getByLabel("Full name").fill("Reynard Fox");
  // A US address needs a state and a real ZIP code: the errors sit next to their fields.
  await page.getByLabel("Country").selectOption("US");
  await page.getByLabel("Address", { exact: true }).fill("1 Den Lane");
  await page.getByLabel("City").fill("Portland");
  await page.getByLabel("Postal code").fill("x");
  // Leaving the field shows its error at once (and moves the button down).
  await page.getByLabel("Postal code").blur();
  await expect(page.getByText("Enter a postal code as it is written in United States")).toBeVisible();
  await page.getByRole("button", { name: /Continue to payment/ }).click();
  await expect(page.getByText("Choose the state")).toBeVisible();
  await expect(page.getByText("Enter a postal code as it is written in United States")).toBeVisible();
  // The UK has no state field; shipping $10 + $3, tax 20% of $63.00: $75.60 before paying.
  await page.getByLabel("Country").selectOption("GB");
  await expect(page.getByLabel("State")).toHaveCount(0);
  await page.getByLabel("City").fill("Bristol");
  await page.getByLabel("Postal code").fill("BS1 4DJ");
  const summary = page.getByRole("complementary");
  await expect(summary.getByText("$13.00")).toBeVisible();
  await expect(summary.getByText("$12.60")).toBeVisible();
  await page.getByRole("button", { name: "Continue to payment · $75.60" }).click();
  await expect(page.getByText("Test payment — no money moves")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Pay $75.60" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm test payment" }).click();
  await expect(page.getByText("Payment received")).toBeVisible();
  await expect(page.getByText("Paid", { exact: true })).toBeVisible();

  const designerContext = await browser.newContext({ baseURL });
  await designerContext.addCookies([{ name: "ct_session", value: encodeURIComponent(designer.token), url: baseURL! }]);
  const designerPage = await designerContext.newPage();
  await gotoHydrated(designerPage, "/account/royalties");
  // 20% of 2 × $25.00
  const row = designerPage.getByRole("row", { name: new RegExp(`Royalty: 2 × ${title} T-shirt \\(L\\)`) });
  await expect(row).toBeVisible();
  await expect(row).toContainText("$10.00");
  await expect(row).toContainText("Pending until");
  await expect(designerPage.getByText("Pending", { exact: true }).locator("..")).toContainText("$10.00");
  await designerContext.close();
});
