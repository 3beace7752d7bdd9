import { eq } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { DEFAULT_PASSWORD } from "#tests/factories/index";
import { db } from "~/lib/db.server";
import { expect, gotoHydrated, test } from "./fixtures";

test("a visitor signs up, logs out and logs back in through the forms", async ({ page }) => {
  const username = `e2e_${Date.now().toString(36)}`;
  const email = `${username}@example.test`;

  await gotoHydrated(page, "/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Passwords need at least 10 characters")).toBeVisible();

  await page.getByLabel("Password").fill("tiny robots make big art");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Welcome to Crowdthread")).toBeVisible();
  await expect(page.getByRole("link", { name: `Your account: @${username}` })).toBeVisible();
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.email, email));
  expect(row?.role).toBe("member");

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByText("You are logged out")).toBeVisible();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  await gotoHydrated(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("That email and password do not match an account")).toBeVisible();

  await page.getByLabel("Password").fill("tiny robots make big art");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("Welcome back")).toBeVisible();
  await expect(page.getByRole("link", { name: `Your account: @${username}` })).toBeVisible();
});

test("logging out of all devices ends every session", async ({ page, login }) => {
  const { user } = await login();
  await gotoHydrated(page, "/account");
  await expect(page.getByRole("heading", { name: `@${user.username}` })).toBeVisible();
  await page.getByRole("button", { name: "Log out of all devices" }).click();
  await expect(page.getByText("Logged out everywhere")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
});

test("an expired session is treated as logged out", async ({ page, login }) => {
  const { user } = await login();
  await db
    .update(sessions)
    .set({ lastActiveAt: new Date(Date.now() - 40 * 24 * 3600 * 1000) })
    .where(eq(sessions.userId, user.id));
  await gotoHydrated(page, "/");
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
});

test("a forged cross-origin POST is refused and changes nothing", async ({ request, login, baseURL }) => {
  const { user, cookie } = await login();
  const response = await request.post(`${baseURL}/account`, {
    headers: { Origin: "https://evil.example", Cookie: cookie },
    form: { intent: "logout-everywhere" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  expect(await response.text()).toContain("Cross-origin request refused");
  expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);

  const sameSite = await request.post(`${baseURL}/account`, {
    headers: { Origin: baseURL!, Cookie: cookie },
    form: { intent: "logout-everywhere" },
    maxRedirects: 0,
  });
  expect(sameSite.status()).toBe(302);
  expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
});

test("a member is refused from the admin area; an admin gets in", async ({ page, login, browser, baseURL }) => {
  await login();
  const response = await gotoHydrated(page, "/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You can't open this page" })).toBeVisible();
  await expect(page.getByText("Admin overview")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);

  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  const { createLoggedInUser } = await import("#tests/factories/index");
  const admin = await createLoggedInUser({ role: "admin", password: DEFAULT_PASSWORD });
  await adminContext.addCookies([{ name: "ct_session", value: encodeURIComponent(admin.token), url: baseURL! }]);
  const adminResponse = await gotoHydrated(adminPage, "/admin");
  expect(adminResponse?.status()).toBe(200);
  await expect(adminPage.getByRole("heading", { name: "Admin overview" })).toBeVisible();
  await adminPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(adminPage).toHaveURL(/\/admin$/);
  await adminContext.close();
});

test("unknown pages get a usable 404", async ({ page }) => {
  const response = await gotoHydrated(page, "/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
});
