import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { ballots, rounds } from "#db/schema";
import { createRound, createSubmission, createUser } from "#tests/factories/index";
import { db } from "~/lib/db.server";
import { expect, gotoHydrated, test } from "./fixtures";

const OLD_ENOUGH = new Date(Date.now() - 7 * 24 * 3600 * 1000);

test("members vote, the admin ends voting early, the tick finalizes, the winner is in the shop", async ({
  page,
  login,
  browser,
  baseURL,
}) => {
  const tag = Date.now().toString(36);
  const round = await createRound({
    phase: "submissions",
    title: `Space Cats ${tag}`,
    minVotes: 2,
    voterMinScored: 2,
    winnersCount: 1,
  });
  const admin = await createUser({ role: "admin" });
  const titles = [`Comet Kitty ${tag}`, `Moon Mouser ${tag}`, `Nebula Nap ${tag}`];
  for (const [i, title] of titles.entries()) {
    const designer = await createUser();
    await createSubmission({
      round,
      designerId: designer.id,
      title,
      seed: 500 + i,
      moderate: { adminId: admin.id, decision: "approved" },
    });
  }
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 60_000) })
    .where(eq(rounds.id, round.id));
  const favourite = titles[1]!;

  // Two members score every design: one with the buttons, one with the keyboard.
  for (const [n, useKeys] of [false, true].entries()) {
    const context = n === 0 ? page.context() : await browser.newContext({ baseURL });
    const voterPage = n === 0 ? page : await context.newPage();
    if (n === 0) await login({ createdAt: OLD_ENOUGH });
    else {
      const { createLoggedInUser } = await import("#tests/factories/index");
      const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
      await context.addCookies([{ name: "ct_session", value: encodeURIComponent(voter.token), url: baseURL! }]);
    }
    await gotoHydrated(voterPage, `/vote/${round.slug}`);
    for (let i = 0; i < titles.length; i++) {
      const heading = voterPage.locator("#design-title");
      await expect(heading).toBeVisible();
      const shown = (await heading.textContent())!.trim();
      const score = shown === favourite ? "5" : "1";
      if (useKeys) {
        if (shown === favourite) await voterPage.keyboard.press("b");
        await voterPage.keyboard.press(score);
      } else {
        if (shown === favourite) await voterPage.getByLabel("I'd buy this").check();
        await voterPage.getByRole("button", { name: `Score ${score}` }).click();
      }
      await expect(voterPage.getByTestId("vote-progress")).toContainText(`You have scored ${i + 1} of 3 designs`);
    }
    await expect(voterPage.getByText("You have scored every design in this round")).toBeVisible();
    if (n === 1) await context.close();
  }
  const cast = await db.select().from(ballots).where(eq(ballots.roundId, round.id));
  expect(cast).toHaveLength(6);
  expect(cast.filter((b) => b.score === 5 && b.wouldBuy)).toHaveLength(2);

  // Scores stay hidden while voting is open: no results yet.
  const early = await page.goto(`/rounds/${round.slug}/results`);
  expect(early?.status()).toBe(404);

  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  const { createLoggedInUser } = await import("#tests/factories/index");
  const adminSession = await createLoggedInUser({ role: "admin" });
  await adminContext.addCookies([{ name: "ct_session", value: encodeURIComponent(adminSession.token), url: baseURL! }]);
  await gotoHydrated(adminPage, `/admin/rounds/${round.id}`);
  await adminPage.getByRole("button", { name: "End voting now" }).click();
  await expect(adminPage.getByText("Voting ended", { exact: true })).toBeVisible();
  await expect(adminPage.getByText("Voting closed")).toBeVisible();
  await adminContext.close();

  // The cron tick (or the server's own timer, whichever comes first) finalizes the round.
  const output = execFileSync("npx", ["tsx", "scripts/rounds-tick.ts"], { env: process.env, encoding: "utf8" });
  expect(output).toMatch(/round\(s\) finalized/);
  const [finalized] = await db.select({ finalizedAt: rounds.finalizedAt }).from(rounds).where(eq(rounds.id, round.id));
  expect(finalized?.finalizedAt).toBeInstanceOf(Date);

  await gotoHydrated(page, "/shop");
  const product = page.getByRole("link", { name: new RegExp(`${favourite}.*T-shirt`) });
  await expect(product).toBeVisible();
  await product.click();
  await expect(page.getByRole("heading", { name: `${favourite} T-shirt` })).toBeVisible();
  await expect(page.getByText("2XL")).toBeVisible();

  await gotoHydrated(page, `/rounds/${round.slug}/results`);
  await expect(page.getByRole("heading", { name: `Results: ${round.title}` })).toBeVisible();
  const firstRow = page.getByRole("row").nth(1);
  await expect(firstRow).toContainText("1");
  await expect(firstRow).toContainText(favourite);
  await expect(firstRow).toContainText("Winner");
  await expect(page.getByRole("link", { name: "Download the anonymised ballots (CSV)" })).toBeVisible();
});
