import { createUser } from "#tests/factories/index";
import { checkCredentials } from "~/domain/accounts.server";
import { expect, gotoHydrated, test } from "./fixtures";

test("a member who forgot their password gets a link by email and chooses a new one", async ({ page, login }) => {
  const username = `forgot_${Date.now().toString(36)}`;
  const email = `${username}@example.test`;
  await createUser({ email, username });

  await gotoHydrated(page, "/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(page.getByText("Check your inbox")).toBeVisible();

  // No SMTP_URL in this run: the mailer writes to the local outbox, which admins can read.
  await login({ role: "admin" });
  const message = page.locator("li", { hasText: `To ${email}` });
  await expect(async () => {
    await gotoHydrated(page, "/dev/outbox");
    await expect(message).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(message.getByText("Reset your Crowdthread password")).toBeVisible();
  const link = await message.getByRole("link", { name: /reset-password/ }).getAttribute("href");
  expect(link).toMatch(/\/reset-password\/[a-z0-9]+\.[a-z0-9]+$/);

  await gotoHydrated(page, new URL(link!).pathname);
  await page.getByLabel("New password", { exact: true }).fill("a fresh start for sure");
  await page.getByLabel("Repeat the new password").fill("a fresh start for sure");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Password changed")).toBeVisible();
  await expect(page.getByRole("link", { name: `Your account: @${username}` })).toBeVisible();
  expect(await checkCredentials(email, "a fresh start for sure")).not.toBeNull();

  // The link works once.
  await gotoHydrated(page, new URL(link!).pathname);
  await expect(page.getByRole("heading", { name: "Link not valid" })).toBeVisible();
});
