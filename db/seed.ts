/**
 * Demo data, built with the test factories. Runs only into an empty database,
 * so a restart of the demo keeps what people did in it.
 */
import { count, eq } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { createRound, createSubmission, createUser } from "#tests/factories/index";
import { rounds, users } from "./schema";

export const DEMO_PASSWORD = "crowdthread-demo";

export const DEMO_ACCOUNTS = [
  { email: "admin@crowdthread.test", username: "admin", role: "admin" as const },
  { email: "ada@crowdthread.test", username: "ada", role: "member" as const },
  { email: "basquiat@crowdthread.test", username: "basquiat", role: "member" as const },
  { email: "frida@crowdthread.test", username: "frida", role: "member" as const },
  { email: "hokusai@crowdthread.test", username: "hokusai", role: "member" as const },
];

export async function isDatabaseEmpty(): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

const DESIGN_TITLES: Record<string, string[]> = {
  "night-garden": ["Moonflower", "Moth Parade", "Glow Fern", "Midnight Bloom", "Firefly Lanterns"],
  "tiny-robots": ["Bolt the Brave", "Tin Gardener", "Sprocket Sleeps", "Rusty Dance", "Pocket Mech", "Beep Boop"],
  "city-birds": ["Pigeon Prince", "Crow Council", "Gull Graffiti"],
  "retro-futures": ["Chrome Comet", "Ray Gun Romance", "Atomic Diner", "Fin Cruiser"],
};

export async function seedDemo(): Promise<{ seeded: boolean }> {
  if (!(await isDatabaseEmpty())) return { seeded: false };
  const accounts = [];
  for (const account of DEMO_ACCOUNTS) {
    accounts.push(await createUser({ ...account, password: DEMO_PASSWORD, createdAt: new Date(Date.now() - 60 * 24 * 3600 * 1000) }));
  }
  const admin = accounts[0]!;
  const designers = accounts.slice(1);
  const roundSpecs = [
    {
      phase: "submissions" as const,
      slug: "night-garden",
      title: "Night Garden",
      brief: "Flowers that only open after dark. Moths, moons and bioluminescence welcome. Up to three designs each, at least 1200 × 1200 px.",
    },
    {
      phase: "voting" as const,
      slug: "tiny-robots",
      title: "Tiny Robots",
      brief: "Small machines with big personalities. Score every design from 0 to 5; the top three go into the shop.",
    },
    {
      phase: "draft" as const,
      slug: "ocean-type",
      title: "Ocean Type",
      brief: "Lettering inspired by the sea: waves, knots, tide tables. Submissions open in a few days.",
    },
    {
      phase: "closed" as const,
      slug: "city-birds",
      title: "City Birds",
      brief: "Pigeons, crows, sparrows and gulls: the birds who share our streets. Voting has ended; results are being counted.",
    },
    {
      phase: "finalized" as const,
      slug: "retro-futures",
      title: "Retro Futures",
      brief: "The future as the past imagined it: chrome, fins and ray guns. The winners are in the shop.",
    },
  ];
  let seed = 1;
  for (const spec of roundSpecs) {
    const round = await createRound({ ...spec, createdById: admin.id });
    // Entries reach a finished round while its window was open: reopen it for the seed, then close it again.
    if (round.finalizedAt) await db.update(rounds).set({ finalizedAt: null }).where(eq(rounds.id, round.id));
    const titles = DESIGN_TITLES[spec.slug] ?? [];
    for (const [i, title] of titles.entries()) {
      const designer = designers[i % designers.length]!;
      // In the open round a few designs wait for moderation, and one was turned down.
      const decision = spec.phase === "submissions" && i >= 2 ? (i === 4 ? "rejected" : undefined) : "approved";
      await createSubmission({
        round,
        designerId: designer.id,
        title,
        description: `${title}: an entry to ${spec.title} by @${designer.username}.`,
        tags: [spec.slug.split("-")[0]!, "demo"],
        seed: seed++,
        moderate: decision ? { adminId: admin.id, decision, reason: "The artwork is cut off at the edges; please resubmit with margins." } : undefined,
      });
    }
    if (round.finalizedAt) await db.update(rounds).set({ finalizedAt: round.finalizedAt }).where(eq(rounds.id, round.id));
  }
  return { seeded: true };
}
