/**
 * Demo data, built with the test factories. Runs only into an empty database,
 * so a restart of the demo keeps what people did in it.
 */
import { count } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { createRound, createUser } from "#tests/factories/index";
import { users } from "./schema";

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

export async function seedDemo(): Promise<{ seeded: boolean }> {
  if (!(await isDatabaseEmpty())) return { seeded: false };
  const accounts = [];
  for (const account of DEMO_ACCOUNTS) {
    accounts.push(await createUser({ ...account, password: DEMO_PASSWORD, createdAt: new Date(Date.now() - 60 * 24 * 3600 * 1000) }));
  }
  const admin = accounts[0]!;
  const rounds = [
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
  for (const round of rounds) await createRound({ ...round, createdById: admin.id });
  return { seeded: true };
}
