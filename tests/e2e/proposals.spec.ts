import { createLoggedInUser } from "#tests/factories/index";
import { expect, gotoHydrated, test } from "./fixtures";

test("a member's proposal is supported past the threshold, becomes a draft round, and is published", async ({
  page,
  login,
  browser,
  baseURL,
}) => {
  // Five people and an admin in one story: longer than the default budget under a loaded machine.
  test.setTimeout(180_000);
  const { artworkPng } = await import("#tests/factories/artwork");
  const tag = Date.now().toString(36);
  const admin = await createLoggedInUser({ role: "admin", username: `admin_${tag}` });
  const adminContext = await browser.newContext({ baseURL });
  await adminContext.addCookies([{ name: "ct_session", value: encodeURIComponent(admin.token), url: baseURL! }]);
  const adminPage = await adminContext.newPage();
  // The admin's setting: two supporters take a proposal to review.
  await gotoHydrated(adminPage, "/admin/proposals");
  await adminPage.getByLabel("Supporters a proposal needs to come here").fill("2");
  await adminPage.getByRole("button", { name: "Save threshold" }).click();
  await expect(adminPage.getByText("Proposals now need 2 supporters for review")).toBeVisible();
  const theme = `Night trains ${tag}`;
  const slug = `night-trains-${tag}`;

  // The proposer writes the theme, with one mood image.
  const proposer = await login({ username: `proposer_${tag}` });
  await gotoHydrated(page, "/proposals/new");
  await page.getByLabel("Theme").fill(theme);
  await page.getByLabel(/^Brief/).fill("Sleeper carriages, platform lights, **the long way home** at 2 a.m.");
  await page.getByLabel("T-shirt").check();
  await page.getByLabel(/Mood images/).setInputFiles({
    name: "mood.png",
    mimeType: "image/png",
    buffer: await artworkPng({ seed: 77, width: 600, height: 400 }),
  });
  await page.getByRole("button", { name: "Publish proposal" }).click();
  await expect(page.getByText("Proposal published")).toBeVisible();
  await expect(page.getByRole("heading", { name: theme })).toBeVisible();
  await expect(page.getByRole("img", { name: `Mood image 1 for ${theme}` })).toBeVisible();
  // Nobody supports their own proposal: the button is not offered.
  await expect(page.getByRole("button", { name: "Support this theme" })).toHaveCount(0);
  const proposalPath = new URL(page.url()).pathname;

  // Two other members support it; the second takes it to the admins.
  const supporters = [];
  for (const n of [1, 2]) {
    const member = await createLoggedInUser({ username: `fan${n}_${tag}` });
    const context = await browser.newContext({ baseURL });
    await context.addCookies([{ name: "ct_session", value: encodeURIComponent(member.token), url: baseURL! }]);
    const fanPage = await context.newPage();
    await gotoHydrated(fanPage, "/proposals?sort=newest");
    await fanPage.getByRole("link", { name: new RegExp(theme) }).click();
    await fanPage.getByRole("button", { name: "Support this theme" }).click();
    await expect(
      fanPage.getByText(n === 2 ? "Supported: it now goes to the admins for review" : "Supported"),
    ).toBeVisible();
    await expect(fanPage.getByText("You support this theme.")).toBeVisible();
    supporters.push({ member, context, page: fanPage });
  }

  // The admin turns it into a draft round, edits it and publishes it.
  await gotoHydrated(adminPage, "/admin/proposals");
  await adminPage.getByRole("link", { name: theme }).click();
  await adminPage.getByLabel("Round address").fill(slug);
  await adminPage.getByLabel(/Amount credited to the proposer/).fill("40");
  await adminPage.getByRole("button", { name: "Create draft round" }).click();
  await adminPage.getByRole("button", { name: "Yes, accept and create the draft round" }).click();
  await expect(adminPage.getByText("Draft round created from the proposal")).toBeVisible();
  await expect(adminPage.getByText("Draft: only admins can see it")).toBeVisible();

  // While it is a draft, a guest gets nothing at its address.
  const guest = await browser.newContext({ baseURL });
  const guestPage = await guest.newPage();
  expect((await guestPage.goto(`/rounds/${slug}`))!.status()).toBe(404);

  await adminPage.getByLabel("Title").fill(`${theme}: the sleeper round`);
  await adminPage.getByRole("button", { name: "Save round" }).click();
  await expect(adminPage.getByText("Round saved")).toBeVisible();
  await adminPage.getByRole("button", { name: "Publish round" }).click();
  await expect(adminPage.getByText("Round published: everyone can see it now")).toBeVisible();
  await adminContext.close();

  // A supporter hears of it, and the round page credits the proposer.
  const fan = supporters[0]!.page;
  await gotoHydrated(fan, "/");
  await fan.getByRole("link", { name: "Notifications, 1 unread" }).click();
  await fan.getByRole("link", { name: /A proposal you supported is now a round/ }).click();
  await expect(fan.getByRole("heading", { name: `${theme}: the sleeper round` })).toBeVisible();
  await expect(fan.getByText(/Proposed by/)).toContainText(`@${proposer.user.username}`);
  expect((await guestPage.goto(`/rounds/${slug}`))!.status()).toBe(200);
  await expect(guestPage.getByRole("link", { name: "see the proposal" })).toHaveAttribute("href", proposalPath);

  // The proposer heard the decision.
  await gotoHydrated(page, "/notifications");
  await expect(
    page.getByRole("link", { name: `Your proposal "${theme}" was accepted: it will become a round` }),
  ).toBeVisible();
  for (const s of supporters) await s.context.close();
  await guest.close();
});
