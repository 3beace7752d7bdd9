/**
 * Demo data, built with the test factories. Runs only into an empty database,
 * so a restart of the demo keeps what people did in it.
 */
import { count } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { addToCart, cartOfUser } from "~/domain/cart.server";
import { finalizeRound } from "~/domain/finalize.server";
import { markOrderPaid, placeOrder, setFulfilment } from "~/domain/orders.server";
import { createBallot, createRound, createSubmission, createUser, ensureDemoShipping } from "#tests/factories/index";
import { avatarPng, designPng, type DesignTheme } from "#tests/factories/design-artwork";
import { products, productVariants, submissions, users } from "./schema";

import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./demo-accounts";

export { DEMO_ACCOUNTS, DEMO_PASSWORD };

export async function isDatabaseEmpty(): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/** A number as the briefs write it. */
export function numberWord(n: number): string {
  return ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"][n] ?? String(n);
}

type DemoRules = {
  winnersCount: number;
  maxSubmissionsPerDesigner: number;
  minArtworkWidth: number;
  minArtworkHeight: number;
};

/** The rules every demo round shares: a small community, so three counted votes qualify a design. */
const DEMO_RULES: DemoRules = {
  winnersCount: 2,
  maxSubmissionsPerDesigner: 3,
  // The demo's artwork is 1000 px square (quicker through the pipeline than a print-size file).
  minArtworkWidth: 1000,
  minArtworkHeight: 1000,
};

export const DEMO_ARTWORK_SIZE = 1000;

type DemoDesign = { title: string; tagline: string };

/**
 * The demo's rounds. Each brief is written from the round's own rules, so the
 * copy cannot drift from them (tests/integration/demo-seed.test.ts checks the
 * seeded rows). Briefs say nothing about the phase: the dates do, and the
 * phase moves on while a demo database is kept.
 */
export const DEMO_ROUNDS: {
  phase: "draft" | "submissions" | "voting" | "closed";
  finalize?: boolean;
  slug: string;
  title: string;
  theme: DesignTheme;
  brief: (rules: DemoRules) => string;
  designs: DemoDesign[];
}[] = [
  {
    phase: "submissions",
    slug: "night-garden",
    title: "Night Garden",
    theme: "flowers",
    brief: (r) =>
      `Flowers that only open after dark. Moths, moons and bioluminescence welcome. Up to ${numberWord(r.maxSubmissionsPerDesigner)} designs each, at least ${r.minArtworkWidth} × ${r.minArtworkHeight} px; the top ${numberWord(r.winnersCount)} go into the shop.`,
    designs: [
      { title: "Moonflower", tagline: "opens after dark" },
      { title: "Moth Parade", tagline: "wings out" },
      { title: "Glow Fern", tagline: "night shift" },
      { title: "Midnight Bloom", tagline: "after hours" },
      { title: "Firefly Lanterns", tagline: "lights on" },
    ],
  },
  {
    phase: "voting",
    slug: "tiny-robots",
    title: "Tiny Robots",
    theme: "robots",
    brief: (r) =>
      `Small machines with big personalities. Score every design from 0 to 5; the top ${numberWord(r.winnersCount)} go into the shop.`,
    designs: [
      { title: "Bolt the Brave", tagline: "fear no rust" },
      { title: "Tin Gardener", tagline: "grow bolts" },
      { title: "Sprocket Sleeps", tagline: "low battery" },
      { title: "Rusty Dance", tagline: "oil my joints" },
      { title: "Pocket Mech", tagline: "small but mighty" },
      { title: "Beep Boop", tagline: "hello human" },
    ],
  },
  {
    phase: "draft",
    slug: "ocean-type",
    title: "Ocean Type",
    theme: "waves",
    brief: (r) =>
      `Lettering inspired by the sea: waves, knots, tide tables. Submissions open on the date above; the top ${numberWord(r.winnersCount)} go into the shop.`,
    designs: [],
  },
  {
    phase: "closed",
    slug: "city-birds",
    title: "City Birds",
    theme: "birds",
    brief: (r) =>
      `Pigeons, crows, sparrows and gulls: the birds who share our streets. The top ${numberWord(r.winnersCount)} go into the shop.`,
    designs: [
      { title: "Pigeon Prince", tagline: "king of the square" },
      { title: "Crow Council", tagline: "now in session" },
      { title: "Gull Graffiti", tagline: "chips or else" },
    ],
  },
  {
    // Entered and voted on as a closed round, then finalized for real below.
    phase: "closed",
    finalize: true,
    slug: "retro-futures",
    title: "Retro Futures",
    theme: "retro",
    brief: (r) =>
      `The future as the past imagined it: chrome, fins and ray guns. The top ${numberWord(r.winnersCount)} go into the shop.`,
    designs: [
      { title: "Chrome Comet", tagline: "est. 1957" },
      { title: "Ray Gun Romance", tagline: "pew pew" },
      { title: "Atomic Diner", tagline: "open all night" },
      { title: "Fin Cruiser", tagline: "tomorrow today" },
    ],
  },
];

export async function seedDemo(): Promise<{ seeded: boolean; shipping: boolean }> {
  // A demo database from before shipping zones existed gets them too, so a visitor can still buy.
  if (!(await isDatabaseEmpty())) return { seeded: false, shipping: await ensureDemoShipping() };
  await ensureDemoShipping();
  // Independent work runs side by side: Argon2 hashing and sharp use their own threads while
  // PGlite answers queries, so on two cores the seed takes about half as long as one step at a time.
  const createdAt = new Date(Date.now() - 60 * 24 * 3600 * 1000);
  const accounts = await Promise.all(
    DEMO_ACCOUNTS.map((account) => createUser({ ...account, password: DEMO_PASSWORD, createdAt })),
  );
  const admin = accounts[0]!;
  const designers = accounts.slice(1);
  await Promise.all(DEMO_ROUNDS.map((spec) => seedRound(spec, admin, accounts, designers)));
  // Two members bought winners with the local provider: royalties are pending, one order has shipped.
  const variants = await db.select({ id: productVariants.id }).from(productVariants).limit(6);
  const buyers = [accounts[1]!, accounts[4]!];
  for (const [i, buyer] of buyers.entries()) {
    const cartId = await cartOfUser(buyer.id);
    await addToCart(cartId, variants[i * 2]!.id, 1 + i);
    await addToCart(cartId, variants[i * 2 + 1]!.id, 1);
    const placed = await placeOrder(buyer.id, cartId, {
      name: buyer.username === "ada" ? "Ada Lovelace" : "Katsushika Hokusai",
      line1: i === 0 ? "12 St James's Square" : "1-2-3 Sumida",
      line2: "",
      city: i === 0 ? "London" : "Tokyo",
      region: i === 0 ? "" : "13",
      postalCode: i === 0 ? "SW1Y 4LB" : "130-0001",
      country: i === 0 ? "GB" : "JP",
    });
    if (!placed.ok) throw new Error(placed.message);
    await markOrderPaid(placed.value.orderId, { reference: `local:seed-${i}` });
    if (i === 0) await setFulfilment(placed.value.orderId, "shipped", "1Z999AA10123456784", admin.id);
  }
  // @frida (two wins) asked for a payout; it waits for an admin, as the local provider does.
  const { requestPayout } = await import("~/domain/payouts.server");
  const payout = await requestPayout(accounts[3]!.id, {
    destination: { method: "paypal", email: "frida@example.com" },
  });
  if (!payout.ok) throw new Error(payout.message);
  await seedCommunity(designers);
  return { seeded: true, shipping: true };
}

async function seedRound(
  { finalize, designs, brief, theme, ...spec }: (typeof DEMO_ROUNDS)[number],
  admin: { id: string },
  accounts: { id: string; username: string }[],
  designers: { id: string; username: string }[],
) {
  // A small community: three counted votes qualify a design, and scoring two designs makes a voter count.
  const round = await createRound({
    ...spec,
    ...DEMO_RULES,
    brief: brief(DEMO_RULES),
    createdById: admin.id,
    minVotes: 3,
    voterMinScored: 2,
    prizeCents: 5000,
  });
  const entered = await Promise.all(
    designs.map(async ({ title, tagline }, i) => {
      const designer = designers[i % designers.length]!;
      // In the open round a few designs wait for moderation, and one was turned down.
      const decision = spec.phase === "submissions" && i >= 2 ? (i === 4 ? "rejected" : undefined) : "approved";
      const submissionId = await createSubmission({
        round,
        designerId: designer.id,
        title,
        description: `${title}: an entry to ${spec.title}.`,
        tags: [spec.slug.split("-")[0]!, theme, "demo"],
        artwork: await designPng({ theme, slogan: title, tagline, size: DEMO_ARTWORK_SIZE }),
        moderate: decision
          ? {
              adminId: admin.id,
              decision,
              reason: "The artwork is cut off at the edges; please resubmit with margins.",
            }
          : undefined,
      });
      return decision === "approved" ? { id: submissionId, designerId: designer.id } : undefined;
    }),
  ).then((all) => all.filter((entry) => entry !== undefined));
  if (spec.phase === "voting" || spec.phase === "closed") {
    // Members score the designs that are not their own. In the open vote, @ada and @basquiat
    // have not voted yet, so a demo visitor logging in as them has designs to score.
    const voters =
      spec.phase === "voting" ? accounts.filter((a) => a.username !== "ada" && a.username !== "basquiat") : accounts;
    for (const voter of voters) {
      for (const [i, entry] of entered.entries()) {
        if (entry.designerId === voter.id) continue;
        const score = Math.min(5, 1 + ((i * 3 + voter.username.length) % 5));
        await createBallot({
          roundId: round.id,
          submissionId: entry.id,
          voterId: voter.id,
          score,
          wouldBuy: score >= 4,
        });
      }
    }
  }
  if (finalize) await finalizeRound(round.id);
}

const PROFILES: Record<string, { displayName: string; bio: string; links: string[] }> = {
  ada: {
    displayName: "Ada",
    bio: "Pattern maker. I like **repeating** things until they look *alive*.",
    links: ["https://ada.example/portfolio"],
  },
  basquiat: { displayName: "Basquiat", bio: "Crowns, crowds and scribbles.", links: [] },
  frida: {
    displayName: "Frida",
    bio: "Flowers, birds and the occasional self-portrait. Ask me for critique any time.",
    links: ["https://frida.example", "https://shop.frida.example"],
  },
  hokusai: {
    displayName: "Hokusai",
    bio: "Waves, mostly. Thirty-six views of everything.",
    links: ["https://hokusai.example/views"],
  },
};

/** Profiles with avatars, follows, a few comments on a design and a product, and one member who gets email. */
async function seedCommunity(designers: { id: string; username: string }[]) {
  const { updateProfile, setAvatar } = await import("~/domain/profiles.server");
  const { follow } = await import("~/domain/follows.server");
  const { addComment } = await import("~/domain/comments.server");
  const { saveNotificationPrefs } = await import("~/domain/notifications.server");
  const { eq } = await import("drizzle-orm");
  await Promise.all(
    designers.map(async (designer) => {
      const profile = PROFILES[designer.username];
      if (profile) await updateProfile(designer.id, profile);
      await setAvatar(designer.id, await avatarPng(profile?.displayName ?? designer.username));
    }),
  );
  const [ada, basquiat, frida, hokusai] = designers as [
    (typeof designers)[0],
    (typeof designers)[0],
    (typeof designers)[0],
    (typeof designers)[0],
  ];
  await follow(ada.id, frida.id);
  await follow(hokusai.id, frida.id);
  await follow(basquiat.id, ada.id);
  // @frida hears of comments by email too (see /dev/outbox when the demo runs without SMTP_URL).
  await saveNotificationPrefs(frida.id, { comment_on_design: { inApp: true, email: true } });
  const [design] = await db
    .select({ id: submissions.id })
    .from(submissions)
    .where(eq(submissions.designerId, frida.id))
    .limit(1);
  if (design) {
    await addComment({
      subject: { kind: "submission", id: design.id },
      authorId: hokusai.id,
      body: "The line weight is lovely. Would it hold up at poster size?",
    });
  }
  const [product] = await db.select({ id: products.id }).from(products).where(eq(products.type, "tee")).limit(1);
  if (product) {
    await addComment({
      subject: { kind: "product", id: product.id },
      authorId: ada.id,
      body: "Got mine last week: the print is **crisp** and it survived the wash.",
    });
  }
}
