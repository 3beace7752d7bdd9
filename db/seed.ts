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
import { artworkPng } from "#tests/factories/artwork";
import { products, productVariants, submissions, users } from "./schema";

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

export async function seedDemo(): Promise<{ seeded: boolean; shipping: boolean }> {
  // A demo database from before shipping zones existed gets them too, so a visitor can still buy.
  if (!(await isDatabaseEmpty())) return { seeded: false, shipping: await ensureDemoShipping() };
  await ensureDemoShipping();
  const accounts = [];
  for (const account of DEMO_ACCOUNTS) {
    accounts.push(
      await createUser({
        ...account,
        password: DEMO_PASSWORD,
        createdAt: new Date(Date.now() - 60 * 24 * 3600 * 1000),
      }),
    );
  }
  const admin = accounts[0]!;
  const designers = accounts.slice(1);
  const roundSpecs = [
    {
      phase: "submissions" as const,
      slug: "night-garden",
      title: "Night Garden",
      brief:
        "Flowers that only open after dark. Moths, moons and bioluminescence welcome. Up to three designs each, at least 1200 × 1200 px.",
    },
    {
      phase: "voting" as const,
      slug: "tiny-robots",
      title: "Tiny Robots",
      brief: "Small machines with big personalities. Score every design from 0 to 5; the top two go into the shop.",
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
      brief: "Pigeons, crows, sparrows and gulls: the birds who share our streets. The top two go into the shop.",
    },
    {
      // Entered and voted on as a closed round, then finalized for real below.
      phase: "closed" as const,
      finalize: true,
      slug: "retro-futures",
      title: "Retro Futures",
      brief: "The future as the past imagined it: chrome, fins and ray guns. The top two go into the shop.",
    },
  ];
  let seed = 1;
  for (const { finalize, ...spec } of roundSpecs) {
    // A small community: three counted votes qualify a design, and scoring two designs makes a voter count.
    const round = await createRound({
      ...spec,
      createdById: admin.id,
      minVotes: 3,
      voterMinScored: 2,
      winnersCount: 2,
      prizeCents: 5000,
    });
    const titles = DESIGN_TITLES[spec.slug] ?? [];
    const entered: { id: string; designerId: string }[] = [];
    for (const [i, title] of titles.entries()) {
      const designer = designers[i % designers.length]!;
      // In the open round a few designs wait for moderation, and one was turned down.
      const decision = spec.phase === "submissions" && i >= 2 ? (i === 4 ? "rejected" : undefined) : "approved";
      const submissionId = await createSubmission({
        round,
        designerId: designer.id,
        title,
        description: `${title}: an entry to ${spec.title}.`,
        tags: [spec.slug.split("-")[0]!, "demo"],
        seed: seed++,
        moderate: decision
          ? {
              adminId: admin.id,
              decision,
              reason: "The artwork is cut off at the edges; please resubmit with margins.",
            }
          : undefined,
      });
      if (decision === "approved") entered.push({ id: submissionId, designerId: designer.id });
    }
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
  for (const [i, designer] of designers.entries()) {
    const profile = PROFILES[designer.username];
    if (profile) await updateProfile(designer.id, profile);
    await setAvatar(designer.id, await artworkPng({ seed: 900 + i, width: 400, height: 400 }));
  }
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
