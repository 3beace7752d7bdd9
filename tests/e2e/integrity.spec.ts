import { eq } from "drizzle-orm";
import { ballots, rounds } from "#db/schema";
import { createManySubmissions, createRound, createUser, createVotingRing } from "#tests/factories/index";
import { db } from "~/lib/db.server";
import { expect, gotoHydrated, test } from "./fixtures";

test.describe.configure({ timeout: 120_000 });

const RING = 5;
const RING_BALLOTS = RING * 6;

/** A round open for voting: 16 designs, 12 honest voters scoring 6 each at random, and a planted ring. */
async function roundWithRing() {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const round = await createRound({
    phase: "voting",
    title: `Ring Round ${tag}`,
    minVotes: 1,
    voterMinScored: 3,
    winnersCount: 1,
  });
  const designer = await createUser();
  const designs = await createManySubmissions({ roundId: round.id, designerIds: [designer.id], count: 16 });
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const honest = await Promise.all(
    Array.from({ length: 12 }, () => createUser({ createdAt: new Date(Date.now() - 60 * 86_400_000) })),
  );
  await db.insert(ballots).values(
    honest.flatMap((voter) => {
      const picked = new Set<number>();
      while (picked.size < 6) picked.add(Math.floor(random() * 15));
      return [...picked].map((d) => ({
        roundId: round.id,
        submissionId: designs[d]!,
        voterId: voter.id,
        score: Math.floor(random() * 6),
      }));
    }),
  );
  const ring = await createVotingRing({
    roundId: round.id,
    submissionIds: [designs[15]!, ...designs.slice(0, 5)],
    scores: [5, 0, 0, 0, 0, 0],
    size: RING,
    prefix: `ring${tag}_`,
  });
  return { round, ring };
}

test("an admin sees a planted ring flagged, voids its ballots, and the results say how many", async ({
  page,
  login,
}) => {
  const { round, ring } = await roundWithRing();
  await login({ role: "admin" });

  await gotoHydrated(page, `/admin/rounds/${round.id}`);
  await page.getByRole("link", { name: "Integrity view" }).click();
  await expect(page.getByRole("heading", { name: `Integrity: ${round.title}` })).toBeVisible();

  const groups = page.getByRole("region", { name: "Accounts with near-identical ballots" });
  await expect(groups.getByRole("heading", { name: `Group 1: ${RING} accounts` })).toBeVisible();
  await expect(groups.getByRole("heading", { name: /Group 2/ })).toHaveCount(0);
  for (const r of ring) await expect(groups.getByText(`@${r.username}`)).toBeVisible();
  await expect(page.getByRole("img", { name: /Counted ballots per hour/ })).toBeVisible();

  // Nothing on this page reaches past a phone's width (the site header's long test usernames are another matter).
  await page.setViewportSize({ width: 390, height: 844 });
  const widest = await page.evaluate(() =>
    Math.max(...[...document.querySelectorAll("main *")].map((el) => el.getBoundingClientRect().right)),
  );
  expect(widest).toBeLessThanOrEqual(390);

  await groups.getByLabel("Reason").fill("Identical ballots from a ring of fresh accounts");
  await groups.getByRole("button", { name: "Void this group's ballots…" }).click();
  await expect(page.getByRole("heading", { name: "Please confirm" })).toBeVisible();
  await expect(page.getByText(`Void ${RING_BALLOTS} ballots of ${RING} accounts (@`)).toBeVisible();
  await page.getByRole("button", { name: `Yes, void ${RING_BALLOTS} ballots` }).click();

  await expect(page.getByText(`Voided ${RING_BALLOTS} ballots of ${RING} accounts`)).toBeVisible();
  await expect(groups.getByText("No such group.")).toBeVisible();
  const voided = page.getByRole("region", { name: "Voided accounts" });
  for (const r of ring) await expect(voided.getByText(`@${r.username}`)).toBeVisible();

  // Voting ends, the round is finalized, and the public results publish the voided count.
  await gotoHydrated(page, `/admin/rounds/${round.id}`);
  await page.getByRole("button", { name: "End voting now" }).click();
  await page.getByRole("button", { name: "Yes, end voting now" }).click();
  await expect(page.getByRole("button", { name: "Finalize now" })).toBeVisible();
  await page.getByRole("button", { name: "Finalize now" }).click();
  // Finalizing publishes the ranking and pays prizes: the page asks first.
  await page.getByRole("button", { name: "Yes, finalize and publish results" }).click();
  await expect(page.getByText(/^Finalized:/)).toBeVisible();
  const [finalized] = await db.select({ at: rounds.finalizedAt }).from(rounds).where(eq(rounds.id, round.id));
  expect(finalized!.at).not.toBeNull();

  await gotoHydrated(page, `/rounds/${round.slug}/results`);
  await expect(page.getByText(`${RING_BALLOTS} ballots were voided by the admins`)).toBeVisible();
  await expect(page.getByText("(72 counted ballots)")).toBeVisible();
});
