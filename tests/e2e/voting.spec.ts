import { execFileSync } from "node:child_process";
import { and, eq, inArray } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { ballots, rounds, submissions, users } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { db } from "~/lib/db.server";
import { formatDateTime } from "~/lib/format";
import { expect, gotoHydrated, test } from "./fixtures";

const OLD_ENOUGH = new Date(Date.now() - 7 * 24 * 3600 * 1000);

// Each design made here runs the image pipeline (sharp), and the tests share a small machine: room to breathe.
test.describe.configure({ timeout: 90_000 });

/** A round in its voting window with `count` approved designs, each by its own designer. */
async function votingRound(count: number) {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const round = await createRound({ phase: "submissions", title: `Vote Page ${tag}` });
  const admin = await createUser({ role: "admin" });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const designer = await createUser();
    ids.push(
      await createSubmission({
        round,
        designerId: designer.id,
        title: `Design ${i + 1} ${tag}`,
        seed: 700 + i,
        moderate: { adminId: admin.id, decision: "approved" },
      }),
    );
  }
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 60_000) })
    .where(eq(rounds.id, round.id));
  return { round, ids };
}

/** The design on screen: its id (on the card) and title. */
async function shownDesign(page: Page) {
  const card = page.locator("article[data-design-id]");
  await expect(card).toBeVisible();
  return {
    id: (await card.getAttribute("data-design-id"))!,
    title: (await page.locator("#design-title").textContent())!.trim(),
  };
}

async function ballotsOf(voterId: string) {
  return db
    .select({ submissionId: ballots.submissionId, score: ballots.score, wouldBuy: ballots.wouldBuy })
    .from(ballots)
    .where(eq(ballots.voterId, voterId));
}

async function storedCounts(ids: string[]) {
  const rows = await db
    .select({ id: submissions.id, ballotCount: submissions.ballotCount })
    .from(submissions)
    .where(inArray(submissions.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, r.ballotCount]));
}

test("five designs in a row: I'd buy this starts unticked on each, and the ballots are exactly what was pressed", async ({
  page,
  login,
}) => {
  const { round } = await votingRound(6);
  const { user } = await login({ createdAt: OLD_ENOUGH });
  await gotoHydrated(page, `/vote/${round.slug}`);
  const buy = page.getByLabel("I'd buy this");
  // B on the second and fourth design: the third arrives unticked and is saved as a plain score (it was saved
  // as "and you'd buy it"), and B on the fourth ticks it (it used to untick the box left over from before).
  const plan = [
    { score: "2", b: false, click: false },
    { score: "4", b: true, click: false },
    { score: "3", b: false, click: false },
    { score: "5", b: true, click: true },
    { score: "0", b: false, click: true },
  ];
  const expected: { submissionId: string; score: number; wouldBuy: boolean }[] = [];
  for (const [i, step] of plan.entries()) {
    const shown = await shownDesign(page);
    expect(expected.map((e) => e.submissionId)).not.toContain(shown.id);
    await expect(buy).not.toBeChecked();
    if (step.b) {
      await page.keyboard.press("b");
      await expect(buy).toBeChecked();
    }
    if (step.click) await page.getByRole("button", { name: `Score ${step.score}` }).click();
    else await page.keyboard.press(step.score);
    expected.push({ submissionId: shown.id, score: Number(step.score), wouldBuy: step.b });
    await expect(page.getByTestId("vote-progress")).toContainText(`You have scored ${i + 1} of 6 designs`);
    await expect(page.getByTestId("last-ballot")).toContainText(
      `You gave ${shown.title} a ${step.score}${step.b ? ", and you'd buy it" : ""}.`,
    );
  }
  await expect(buy).not.toBeChecked();
  const saved = await ballotsOf(user.id);
  const byId = (a: { submissionId: string }, b: { submissionId: string }) =>
    a.submissionId.localeCompare(b.submissionId);
  expect(saved.sort(byId)).toEqual(expected.sort(byId));
});

test("a new account sees when its scores count, and a refused score keeps its design on screen with the message", async ({
  page,
  login,
  browser,
  baseURL,
}) => {
  const { round } = await votingRound(6);

  // Before any score: when this account's scores count, and no score button that looks like it works.
  const newcomer = await login();
  await gotoHydrated(page, `/vote/${round.slug}`);
  const countsFrom = new Date(newcomer.user.createdAt.getTime() + 24 * 3600_000);
  await expect(page.getByTestId("scores-count-from")).toContainText(
    `You can score designs from ${formatDateTime(countsFrom)} UTC`,
  );
  for (let score = 0; score <= 5; score++)
    await expect(page.getByRole("button", { name: `Score ${score}` })).toBeDisabled();
  await expect(page.getByLabel("I'd buy this")).toBeDisabled();
  const before = await shownDesign(page);
  await page.keyboard.press("3");
  await expect(page.locator("#design-title")).toHaveText(before.title);
  expect(await ballotsOf(newcomer.user.id)).toEqual([]);

  // The server's rule is what counts: an account the page offered scoring to, new by the time it scores.
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ baseURL, javaScriptEnabled });
    const voterPage = await context.newPage();
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    await context.addCookies([{ name: "ct_session", value: encodeURIComponent(voter.token), url: baseURL! }]);
    if (javaScriptEnabled) await gotoHydrated(voterPage, `/vote/${round.slug}`);
    else await voterPage.goto(`/vote/${round.slug}`);
    const shown = await shownDesign(voterPage);
    await expect(voterPage.getByTestId("scores-count-from")).toHaveCount(0);
    await db.update(users).set({ createdAt: new Date() }).where(eq(users.id, voter.user.id));
    await voterPage.getByRole("button", { name: "Score 3" }).click();
    const alert = voterPage.getByRole("alert").filter({ hasText: "Your vote was not counted" });
    await expect(alert).toContainText("New accounts can vote 24 hours after signing up");
    expect((await shownDesign(voterPage)).id).toBe(shown.id);
    await expect(voterPage.getByTestId("vote-progress")).toContainText("You have scored 0 of 6 designs");
    if (javaScriptEnabled) {
      // It stays until dismissed (the old toast was gone within 8 seconds).
      await voterPage.waitForTimeout(9_000);
      await expect(alert).toBeVisible();
      await voterPage.getByRole("link", { name: "Dismiss" }).click();
      await expect(alert).toHaveCount(0);
      expect((await shownDesign(voterPage)).id).toBe(shown.id);
    }
    expect(await ballotsOf(voter.user.id)).toEqual([]);
    await context.close();
  }
});

test("on a 390 × 844 phone the design and all six score buttons are on screen, with no keyboard hint", async ({
  browser,
  baseURL,
  page,
  login,
}) => {
  const { round } = await votingRound(3);
  // A desktop with a keyboard shows the hint.
  await login({ createdAt: OLD_ENOUGH });
  await gotoHydrated(page, `/vote/${round.slug}`);
  await expect(page.getByTestId("keyboard-hint")).toBeVisible();

  const phone = await browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 3,
  });
  const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
  await phone.addCookies([{ name: "ct_session", value: encodeURIComponent(voter.token), url: baseURL! }]);
  const phonePage = await phone.newPage();
  await gotoHydrated(phonePage, `/vote/${round.slug}`);
  const inView = async () => {
    const image = phonePage.locator("article[data-design-id] img");
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await phonePage.evaluate(() => window.scrollY)).toBe(0);
    const boxes = [image, ...[0, 1, 2, 3, 4, 5].map((s) => phonePage.getByRole("button", { name: `Score ${s}` }))];
    for (const element of boxes) {
      const box = (await element.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.y + box.height).toBeLessThanOrEqual(844);
    }
    await expect(phonePage.getByTestId("keyboard-hint")).toBeHidden();
  };
  await inView();
  // And with the last score's confirmation above the next design.
  await phonePage.getByRole("button", { name: "Score 4" }).tap();
  await expect(phonePage.getByTestId("last-ballot")).toBeVisible();
  await inView();
  await phone.close();
});

test("undo takes the score back and brings the design back", async ({ page, login }) => {
  const { round, ids } = await votingRound(4);
  const { user } = await login({ createdAt: OLD_ENOUGH });
  await gotoHydrated(page, `/vote/${round.slug}`);
  const scored = await shownDesign(page);
  await page.getByRole("button", { name: "Score 4" }).click();
  await expect(page.getByTestId("last-ballot")).toContainText(`You gave ${scored.title} a 4.`);
  await expect(page.getByTestId("vote-progress")).toContainText("You have scored 1 of 4 designs");
  expect(await ballotsOf(user.id)).toEqual([{ submissionId: scored.id, score: 4, wouldBuy: false }]);
  expect((await storedCounts(ids))[scored.id]).toBe(1);

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("toast")).toContainText("Score taken back");
  expect((await shownDesign(page)).id).toBe(scored.id);
  await expect(page.getByTestId("vote-progress")).toContainText("You have scored 0 of 4 designs");
  await expect(page.getByTestId("last-ballot")).toHaveCount(0);
  expect(await ballotsOf(user.id)).toEqual([]);
  expect((await storedCounts(ids))[scored.id]).toBe(0);
});

test("the last design left says so and offers no Skip", async ({ page, login }) => {
  const { round } = await votingRound(1);
  await login({ createdAt: OLD_ENOUGH });
  await gotoHydrated(page, `/vote/${round.slug}`);
  const only = await shownDesign(page);
  await expect(page.getByTestId("last-design")).toHaveText("This is the last design left for you to score.");
  await expect(page.getByRole("link", { name: "Skip", exact: true })).toHaveCount(0);
  // S does nothing either: the same design stays, no navigation.
  await page.keyboard.press("s");
  expect((await shownDesign(page)).id).toBe(only.id);
});

test("skip shows another design and casts no ballot", async ({ page, login }) => {
  const { round, ids } = await votingRound(4);
  const { user } = await login({ createdAt: OLD_ENOUGH });
  await gotoHydrated(page, `/vote/${round.slug}`);
  const first = await shownDesign(page);
  await page.getByRole("link", { name: "Skip", exact: true }).click();
  await expect(page.locator("article[data-design-id]")).not.toHaveAttribute("data-design-id", first.id);
  const second = await shownDesign(page);
  // S skips too, past both.
  await page.keyboard.press("s");
  await expect(page.locator("article[data-design-id]")).not.toHaveAttribute("data-design-id", second.id);
  expect([first.id, second.id]).not.toContain((await shownDesign(page)).id);
  await expect(page.getByTestId("vote-progress")).toContainText("You have scored 0 of 4 designs");
  expect(await ballotsOf(user.id)).toEqual([]);
  expect(Object.values(await storedCounts(ids))).toEqual([0, 0, 0, 0]);
  const anyBallots = await db
    .select({ id: ballots.id })
    .from(ballots)
    .where(and(eq(ballots.roundId, round.id)));
  expect(anyBallots).toEqual([]);
});

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
  // The extend form starts at the current end, which only a later date may replace: the browser asks first.
  const extendUntil = adminPage.getByLabel("Extend voting until (UTC)");
  await adminPage.getByRole("button", { name: "Extend voting", exact: true }).click();
  expect(await extendUntil.evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
  await expect(adminPage.getByText("Schedule extended", { exact: true })).toHaveCount(0);
  const [unchanged] = await db.select().from(rounds).where(eq(rounds.id, round.id));
  expect(unchanged!.votingClosesAt).toEqual(round.votingClosesAt);
  await adminPage.getByRole("button", { name: "End voting now" }).click();
  // It asks first; the other forms wait until the question is answered.
  await expect(adminPage.getByText(/^End voting on .* now, instead of at/)).toBeVisible();
  await expect(adminPage.getByRole("button", { name: /Extend voting/ })).toBeDisabled();
  await adminPage.getByRole("button", { name: "Yes, end voting now" }).click();
  await expect(adminPage.getByText("Voting ended", { exact: true })).toBeVisible();
  await expect(adminPage.getByText("Voting closed")).toBeVisible();
  await adminContext.close();

  // The cron tick finalizes the round (the e2e server's own timer is off, so this run is the one that does).
  const output = execFileSync("npx", ["tsx", "scripts/rounds-tick.ts"], { env: process.env, encoding: "utf8" });
  expect(output).toMatch(/^1 round\(s\) finalized/m);
  const [finalized] = await db.select({ finalizedAt: rounds.finalizedAt }).from(rounds).where(eq(rounds.id, round.id));
  expect(finalized?.finalizedAt).toBeInstanceOf(Date);

  await gotoHydrated(page, "/shop");
  const product = page.getByRole("link", { name: new RegExp(`${favourite}.*T-shirt`) });
  await expect(product).toBeVisible();
  await product.click();
  await expect(page.getByRole("heading", { name: `${favourite} T-shirt` })).toBeVisible();
  await expect(page.getByRole("radio", { name: /^Size 2XL/ })).toHaveCount(1);

  await gotoHydrated(page, `/rounds/${round.slug}/results`);
  await expect(page.getByRole("heading", { name: `Results: ${round.title}` })).toBeVisible();
  const firstRow = page.getByRole("row").nth(1);
  await expect(firstRow).toContainText("1");
  await expect(firstRow).toContainText(favourite);
  await expect(firstRow).toContainText("Winner");
  await expect(page.getByRole("link", { name: "Download the anonymised ballots (CSV)" })).toBeVisible();
});
