import { createRound, createSubmission, createUser } from "#tests/factories/index";
import { expect, gotoHydrated, test } from "./fixtures";

test("a member comments; the designer is notified and replies", async ({ page, login, browser, baseURL }) => {
  const tag = Date.now().toString(36);
  const round = await createRound({ phase: "submissions" });
  const admin = await createUser({ role: "admin" });
  const { createLoggedInUser } = await import("#tests/factories/index");
  const designer = await createLoggedInUser({ username: `designer_${tag}` });
  const title = `Lighthouse ${tag}`;
  const id = await createSubmission({
    round,
    designerId: designer.user.id,
    title,
    seed: 995,
    moderate: { adminId: admin.id, decision: "approved" },
  });

  const member = await login({ username: `critic_${tag}` });
  await gotoHydrated(page, `/submissions/${id}`);
  await page.getByLabel("Add a comment").fill("The beam is *gorgeous*. Could the rocks be darker?");
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByText("Comment posted")).toBeVisible();
  await expect(page.locator("#comments-heading")).toHaveText("Comments (1)");
  await expect(page.locator("em", { hasText: "gorgeous" })).toBeVisible();
  // The box is empty again, so the same text is not posted twice.
  await expect(page.getByLabel("Add a comment")).toHaveValue("");

  const designerContext = await browser.newContext({ baseURL });
  await designerContext.addCookies([{ name: "ct_session", value: encodeURIComponent(designer.token), url: baseURL! }]);
  const designerPage = await designerContext.newPage();
  await gotoHydrated(designerPage, "/");
  // Two: the design's approval, then the comment.
  await designerPage.getByRole("link", { name: "Notifications, 2 unread" }).click();
  await designerPage.getByRole("link", { name: `New comment on "${title}"` }).click();
  await expect(designerPage.getByText("Could the rocks be darker?")).toBeVisible();
  await designerPage.getByPlaceholder(`Reply to @${member.user.username}`).fill("Good idea, darker rocks coming up.");
  await designerPage.getByRole("button", { name: "Reply" }).click();
  await expect(designerPage.getByText("Comment posted")).toBeVisible();
  await expect(designerPage.getByPlaceholder(`Reply to @${member.user.username}`)).toHaveValue("");
  await designerContext.close();

  await gotoHydrated(page, "/");
  await page.getByRole("link", { name: "Notifications, 1 unread" }).click();
  await expect(page.getByRole("link", { name: `New reply to your comment on "${title}"` })).toBeVisible();
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("link", { name: "Notifications, 0 unread" })).toBeVisible();
});

test("a member fills in their profile and avatar in settings and sees them on their public page", async ({
  page,
  login,
}) => {
  const { artworkPng } = await import("#tests/factories/artwork");
  const tag = Date.now().toString(36);
  const me = await login({ username: `profile_${tag}` });
  await gotoHydrated(page, "/settings");
  await page.getByLabel("Display name").fill("Pat Painter");
  await page.getByLabel("Bio").fill("I paint **lighthouses**. <script>alert(1)</script>");
  await page.getByLabel("Links").fill("https://pat.example/work");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved")).toBeVisible();

  await page
    .getByLabel("Upload a picture")
    .setInputFiles({ name: "me.txt", mimeType: "text/plain", buffer: Buffer.from("not a picture at all") });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This file is not an image" })).toBeVisible();
  await page.getByLabel("Upload a picture").setInputFiles({
    name: "me.png",
    mimeType: "image/png",
    buffer: await artworkPng({ seed: 31, width: 400, height: 300 }),
  });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await expect(page.getByText("Avatar updated")).toBeVisible();
  await expect(page.getByRole("img", { name: "Your avatar" })).toBeVisible();

  await page.getByLabel("My design won a round: by email").check();
  await page.getByRole("button", { name: "Save notification settings" }).click();
  await expect(page.getByText("Notification settings saved")).toBeVisible();
  await expect(page.getByLabel("My design won a round: by email")).toBeChecked();

  await page.getByRole("link", { name: "See your public profile" }).click();
  await expect(page.getByRole("heading", { name: "Pat Painter" })).toBeVisible();
  await expect(page.locator("strong", { hasText: "lighthouses" })).toBeVisible();
  await expect(page.getByText("<script>alert(1)</script>")).toBeVisible();
  await expect(page.getByRole("link", { name: "pat.example/work" })).toHaveAttribute("rel", /nofollow/);
  const avatar = page.locator(`img[src^="/images/"]`).first();
  await expect(avatar).toHaveJSProperty("naturalWidth", 256);
  expect(me.user.username).toBe(`profile_${tag}`);
});
