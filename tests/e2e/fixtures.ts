import { test as base, expect, type Page } from "@playwright/test";
import { createLoggedInUser, type UserOptions } from "#tests/factories/index";
import { closeDatabase } from "~/lib/db.server";

type Fixtures = {
  /** Creates a member (or admin) in the database and puts their session cookie in the browser. */
  login: (options?: UserOptions) => Promise<Awaited<ReturnType<typeof createLoggedInUser>>>;
};

export const test = base.extend<Fixtures>({
  login: async ({ context, baseURL }, use) => {
    await use(async (options) => {
      const created = await createLoggedInUser(options);
      await context.addCookies([
        {
          name: "ct_session",
          value: encodeURIComponent(created.token),
          url: baseURL!,
          httpOnly: true,
          sameSite: "Lax",
        },
      ]);
      return created;
    });
  },
});

test.afterAll(async () => {
  await closeDatabase();
});

/** Navigates and waits until React has hydrated, so clicks reach live handlers. */
export async function gotoHydrated(page: Page, path: string) {
  const response = await page.goto(path);
  await page.locator("html[data-hydrated]").waitFor();
  return response;
}

export { expect };
