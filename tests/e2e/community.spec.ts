import { createRound, createSubmission, createUser } from "#tests/factories/index";
import { expect, gotoHydrated, test } from "./fixtures";

test("a member comments; the designer is notified and replies", async ({ page, login, browser, baseURL }) => {
  const tag = Date.now().toString(36);
  const round = await createRound({ phase: "submissions" });
  const admin = await createUser({ role: "admin" });
  const { createLoggedInUser } = await import("#tests/factories/index");
  const designer = await createLoggedInUser({ username: `designer_${tag}` });
  const title = `Lighthouse ${tag}`;
  const id = await createSubmission({ round, designerId: designer.user.id, title, seed: 995, moderate: { adminId: admin.id, decision: "approved" } });

  const member = await login({ username: `critic_${tag}` });
  await gotoHydrated(page, `/submissions/${id}`);
  await page.getByLabel("Add a comment").fill("The beam is *gorgeous*. Could the rocks be darker?");
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByText("Comment posted")).toBeVisible();
  await expect(page.locator("#comments-heading")).toHaveText("Comments (1)");
  await expect(page.locator("em", { hasText: "gorgeous" })).toBeVisible();

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
  await designerContext.close();

  await gotoHydrated(page, "/");
  await page.getByRole("link", { name: "Notifications, 1 unread" }).click();
  await expect(page.getByRole("link", { name: `New reply to your comment on "${title}"` })).toBeVisible();
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("link", { name: "Notifications, 0 unread" })).toBeVisible();
});
