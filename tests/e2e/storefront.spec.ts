import { createWinningDesign, ensureDemoShipping } from "#tests/factories/index";
import { createSession } from "~/lib/session.server";
import { expect, gotoHydrated, test } from "./fixtures";

// Each test makes a winning design through the real image pipeline first: slow on a busy machine.
test.describe.configure({ timeout: 90_000 });

test("from the home page a visitor reaches a winner's product in two clicks, and must choose a size", async ({
  page,
}) => {
  const tag = Date.now().toString(36);
  const title = `Harbour Gulls ${tag}`;
  const { tee } = await createWinningDesign({ title, seed: 840 });
  await ensureDemoShipping();

  await gotoHydrated(page, "/");
  const winners = page.getByRole("region", { name: "New winners in the shop" });
  const card = winners.getByRole("listitem").filter({ hasText: title });
  // First click: the winner's T-shirt, straight from its card.
  await card.getByRole("link", { name: /^T-shirt/ }).click();
  await expect(page).toHaveURL(new RegExp(`/shop/${tee.id}$`));
  await expect(page.getByRole("heading", { name: `${title} T-shirt` })).toBeVisible();
  await page.locator("html[data-hydrated]").waitFor();

  // No size is chosen for the buyer: adding without one says so next to the sizes.
  const sizes = page.getByRole("group", { name: "Size" });
  await expect(sizes.getByRole("radio", { checked: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(sizes.getByRole("alert")).toHaveText("Choose a size");
  await expect(page.getByText("Added to your cart")).toHaveCount(0);
  await sizes.getByRole("radio", { name: "Size M, $25.00" }).check();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByText("Added to your cart")).toBeVisible();

  // The page also has the size guide, the care notes and a shipping estimate from the shop's rates.
  await expect(page.getByRole("table", { name: "T-shirt sizes and their measurements" })).toContainText("Chest width");
  await expect(page.getByRole("heading", { name: "Fabric, fit and care" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Shipping estimate" })).toContainText("$5.00 to United States");
  await page.getByLabel("Ship to").selectOption("CA");
  await page.getByRole("button", { name: "Estimate" }).click();
  await expect(page.getByRole("region", { name: "Shipping estimate" })).toContainText("$9.00 to Canada");

  // The product leads on to its designer and its round.
  await expect(page.getByRole("link", { name: /^See the original design$/ })).toBeVisible();
});

test("a favourite survives logging out and back in", async ({ page, login, context, baseURL }) => {
  const tag = Date.now().toString(36);
  const title = `Night Heron ${tag}`;
  const { tee, submissionId } = await createWinningDesign({ title, seed: 841 });
  const member = await login();

  await gotoHydrated(page, `/shop/${tee.id}`);
  await page.getByRole("button", { name: `Save ${title} to your favourites` }).click();
  await expect(page.getByRole("button", { name: `Saved: remove ${title} from your favourites` })).toHaveAttribute(
    "aria-pressed",
    "true",
  );

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await gotoHydrated(page, `/submissions/${submissionId}`);
  await expect(page.getByRole("button", { name: `Save ${title} to your favourites` })).toHaveAttribute(
    "aria-pressed",
    "false",
  );

  // Back in (a new session for the same member, as the other browser tests log in).
  const token = await createSession(member.user.id, "test-agent");
  await context.addCookies([
    { name: "ct_session", value: encodeURIComponent(token), url: baseURL!, httpOnly: true, sameSite: "Lax" },
  ]);
  await gotoHydrated(page, "/account/favourites");
  const saved = page.getByRole("listitem").filter({ hasText: title });
  await expect(saved.getByRole("link", { name: title })).toBeVisible();
  await saved.getByRole("link", { name: "Buy the t-shirt" }).click();
  await expect(page.getByRole("heading", { name: `${title} T-shirt` })).toBeVisible();
  await expect(page.getByRole("button", { name: `Saved: remove ${title} from your favourites` })).toBeVisible();
});
