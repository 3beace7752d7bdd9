/**
 * Builders for test data, shared by the tests and the demo seed. They write
 * through the same tables the app uses; passwords are real Argon2id hashes.
 */
import { eq, sql } from "drizzle-orm";
import { ballots, products, rounds, submissions, users } from "#db/schema";
import { finalizeRound } from "~/domain/finalize.server";
import { db } from "~/lib/db.server";
import { hashPassword } from "~/lib/password.server";
import { createSession } from "~/lib/session.server";

let counter = 0;
function unique() {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

export const DEFAULT_PASSWORD = "correct horse battery";

export type UserOptions = {
  email?: string;
  username?: string;
  password?: string;
  role?: "member" | "admin";
  displayName?: string;
  createdAt?: Date;
};

export async function createUser(options: UserOptions = {}) {
  const tag = unique();
  const username = (options.username ?? `member_${tag}`).toLowerCase();
  const email = (options.email ?? `${username}@example.test`).toLowerCase();
  const password = options.password ?? DEFAULT_PASSWORD;
  const [row] = await db
    .insert(users)
    .values({
      email,
      username,
      displayName: options.displayName ?? null,
      passwordHash: await hashPassword(password),
      role: options.role ?? "member",
      createdAt: options.createdAt,
    })
    .returning();
  return { ...row!, password };
}

/** A user with a live session; `token` is the cookie value. */
export async function createLoggedInUser(options: UserOptions = {}) {
  const user = await createUser(options);
  const token = await createSession(user.id, "test-agent");
  return { user, token, cookie: `ct_session=${encodeURIComponent(token)}` };
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export type RoundPhaseWanted = "draft" | "submissions" | "voting" | "closed" | "finalized";

/** Window timestamps that put a round in the wanted phase at `now`. */
export function roundClockFor(phase: RoundPhaseWanted, now = new Date()) {
  const t = now.getTime();
  const at = (offset: number) => new Date(t + offset);
  switch (phase) {
    case "draft":
      return {
        submissionsOpenAt: at(3 * DAY),
        votingOpensAt: at(17 * DAY),
        votingClosesAt: at(24 * DAY),
        finalizedAt: null,
      };
    case "submissions":
      return {
        submissionsOpenAt: at(-4 * DAY),
        votingOpensAt: at(10 * DAY),
        votingClosesAt: at(17 * DAY),
        finalizedAt: null,
      };
    case "voting":
      return {
        submissionsOpenAt: at(-14 * DAY),
        votingOpensAt: at(-2 * DAY),
        votingClosesAt: at(5 * DAY),
        finalizedAt: null,
      };
    case "closed":
      return {
        submissionsOpenAt: at(-21 * DAY),
        votingOpensAt: at(-8 * DAY),
        votingClosesAt: at(-1 * HOUR),
        finalizedAt: null,
      };
    case "finalized":
      return {
        submissionsOpenAt: at(-40 * DAY),
        votingOpensAt: at(-26 * DAY),
        votingClosesAt: at(-19 * DAY),
        finalizedAt: at(-19 * DAY + HOUR),
      };
  }
}

export type RoundOptions = {
  phase?: RoundPhaseWanted;
  title?: string;
  slug?: string;
  brief?: string;
  maxSubmissionsPerDesigner?: number;
  minArtworkWidth?: number;
  minArtworkHeight?: number;
  createdById?: string;
  winnersCount?: number;
  minVotes?: number;
  voterMinScored?: number;
  prizeCents?: number;
  royaltyBps?: number;
  autoApprove?: boolean;
  /** An unpublished draft, seen by admins only. */
  draft?: boolean;
};

export async function createRound(options: RoundOptions = {}) {
  const tag = unique();
  const title = options.title ?? `Round ${tag}`;
  const [row] = await db
    .insert(rounds)
    .values({
      title,
      slug: options.slug ?? `round-${tag}`,
      brief: options.brief ?? "Show us your best design for this theme.",
      ...roundClockFor(options.phase ?? "submissions"),
      maxSubmissionsPerDesigner: options.maxSubmissionsPerDesigner,
      minArtworkWidth: options.minArtworkWidth,
      minArtworkHeight: options.minArtworkHeight,
      createdById: options.createdById,
      winnersCount: options.winnersCount,
      minVotes: options.minVotes,
      voterMinScored: options.voterMinScored,
      prizeCents: options.prizeCents,
      royaltyBps: options.royaltyBps,
      autoApprove: options.autoApprove,
      ...(options.draft ? { publishedAt: null } : {}),
    })
    .returning();
  return row!;
}

export type SubmissionOptions = {
  /** Rounds past their submission window are entered as if it were still open. */
  round: { slug: string; submissionsOpenAt: Date; votingOpensAt: Date };
  designerId: string;
  title?: string;
  description?: string;
  tags?: string[];
  seed?: number;
  label?: string;
  /** The file to upload; generated from `seed` when absent. */
  artwork?: Buffer;
  /** Moderation outcome to apply after upload (as the given admin). */
  moderate?: { adminId: string; decision: "approved" | "rejected"; reason?: string };
};

/** Uploads generated artwork through the real pipeline and, if asked, moderates it. */
export async function createSubmission(options: SubmissionOptions) {
  const { artworkPng } = await import("./artwork");
  const { submitArtwork } = await import("~/domain/submissions.server");
  const { approveSubmission, rejectSubmission } = await import("~/domain/moderation.server");
  const seed = options.seed ?? Math.floor(Math.random() * 1e6);
  const result = await submitArtwork({
    designerId: options.designerId,
    roundSlug: options.round.slug,
    details: {
      title: options.title ?? `Design ${seed}`,
      description: options.description ?? "",
      tags: options.tags ?? [],
    },
    bytes: options.artwork ?? (await artworkPng({ seed, width: 1400, height: 1400, label: options.label })),
    now:
      Date.now() < options.round.votingOpensAt.getTime() && Date.now() >= options.round.submissionsOpenAt.getTime()
        ? new Date()
        : new Date(options.round.submissionsOpenAt.getTime() + 1000),
  });
  if (!result.ok) throw new Error(`createSubmission failed: ${result.message}`);
  const { submissionId } = result.value;
  if (options.moderate?.decision === "approved") await approveSubmission(submissionId, options.moderate.adminId);
  if (options.moderate?.decision === "rejected") {
    await rejectSubmission(submissionId, options.moderate.adminId, options.moderate.reason ?? "Does not fit the brief");
  }
  return submissionId;
}

/**
 * A ballot written straight to the table (the voting rules are tested through
 * castBallot), with the design's ballot count raised as the ballot statement
 * would, so the vote queue sees it.
 */
export async function createBallot(options: {
  roundId: string;
  submissionId: string;
  voterId: string;
  score: number;
  wouldBuy?: boolean;
}) {
  await db.transaction(async (tx) => {
    await tx.insert(ballots).values({ ...options, wouldBuy: options.wouldBuy ?? false });
    await tx
      .update(submissions)
      .set({ ballotCount: sql`${submissions.ballotCount} + 1` })
      .where(eq(submissions.id, options.submissionId));
  });
}

/**
 * A round that closed with one approved design, then finalized: the design won
 * and its products are in the shop. An admin's ballot is the only one.
 */
export async function createWinningDesign(options: {
  title: string;
  seed: number;
  designerId?: string;
  round?: Omit<RoundOptions, "phase">;
}) {
  const round = await createRound({
    minVotes: 1,
    voterMinScored: 1,
    winnersCount: 1,
    ...options.round,
    phase: "submissions",
  });
  const admin = await createUser({ role: "admin" });
  const designerId = options.designerId ?? (await createUser()).id;
  const submissionId = await createSubmission({
    round,
    designerId,
    title: options.title,
    seed: options.seed,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await createBallot({ roundId: round.id, submissionId, voterId: admin.id, score: 5 });
  await db
    .update(rounds)
    .set({ votingOpensAt: new Date(Date.now() - 7200_000), votingClosesAt: new Date(Date.now() - 1000) })
    .where(eq(rounds.id, round.id));
  await finalizeRound(round.id);
  const made = await db.select().from(products).where(eq(products.submissionId, submissionId));
  return { round, admin, designerId, submissionId, tee: made.find((p) => p.type === "tee")! };
}

export { roundFormFields } from "./forms";
export { createShippingZone, createTaxRate, ensureDemoShipping, shipFreelyTo } from "./shipping";

/** Storage keys of made-up artwork for rows that never reach the image pipeline (lists at size, benchmarks). */
export const PLACEHOLDER_ARTWORK = {
  master: `private/00/${"0".repeat(64)}.png`,
  preview: { webp: `public/00/${"0".repeat(64)}.webp`, width: 1200, height: 1200 },
  thumb: { webp: `public/00/${"1".repeat(64)}.webp`, width: 400, height: 400 },
  mockups: { tee: `public/00/${"2".repeat(64)}.webp`, poster: `public/00/${"3".repeat(64)}.webp` },
  share: `public/00/${"4".repeat(64)}.jpg`,
};

/**
 * Many submissions in one statement, for tests of lists that grow: no image
 * work, the designers taken in turn, and every pair sharing its creation time
 * (so an order by time alone would be ambiguous and the tie-break by id is
 * exercised). Returns their ids in creation order.
 */
export async function createManySubmissions(options: {
  roundId: string;
  designerIds: string[];
  count: number;
  status?: "pending" | "approved";
  critiqueWanted?: boolean;
}): Promise<string[]> {
  const designers = options.designerIds;
  const rows = await db
    .insert(submissions)
    .values(
      Array.from({ length: options.count }, (_, i) => ({
        roundId: options.roundId,
        designerId: designers[i % designers.length]!,
        title: `Listed ${i}`,
        status: options.status ?? "approved",
        critiqueWanted: options.critiqueWanted ?? false,
        images: PLACEHOLDER_ARTWORK,
        artworkWidth: 4500,
        artworkHeight: 5400,
        perceptualHash: i.toString(16).padStart(16, "0"),
        createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 1000),
      })),
    )
    .returning({ id: submissions.id });
  return rows.map((r) => r.id);
}

/**
 * Many products in the shop in one statement, for tests of the shop's pages:
 * a finalized round whose designs (made by `createManySubmissions`, the
 * designers taken in turn) are each a tee and a poster, both made at the
 * design's time, so every pair of products shares its creation time and two
 * pairs share each second. `unitsSold(i)` sets the stored count of the i-th
 * product (default 0). No variants: nothing here is bought. Returns the
 * products in creation order, with the round.
 */
export async function createManyProducts(options: {
  designerIds: string[];
  count: number;
  unitsSold?: (i: number) => number;
  active?: (i: number) => boolean;
}) {
  const round = await createRound({ phase: "finalized" });
  const designs = await createManySubmissions({
    roundId: round.id,
    designerIds: options.designerIds,
    count: Math.ceil(options.count / 2),
  });
  const made = await db
    .select({ id: submissions.id, designerId: submissions.designerId, createdAt: submissions.createdAt })
    .from(submissions)
    .where(eq(submissions.roundId, round.id));
  const byId = new Map(made.map((m) => [m.id, m]));
  const rows = await db
    .insert(products)
    .values(
      Array.from({ length: options.count }, (_, i) => {
        const design = byId.get(designs[Math.floor(i / 2)]!)!;
        const type = i % 2 === 0 ? ("tee" as const) : ("poster" as const);
        return {
          roundId: round.id,
          submissionId: design.id,
          designerId: design.designerId,
          type,
          title: `Listed ${Math.floor(i / 2)}`,
          mockupKey: PLACEHOLDER_ARTWORK.mockups[type],
          basePriceCents: 2500,
          currency: "usd",
          royaltyBps: 1500,
          active: options.active?.(i) ?? true,
          unitsSold: options.unitsSold?.(i) ?? 0,
          createdAt: design.createdAt,
        };
      }),
    )
    .returning({
      id: products.id,
      type: products.type,
      designerId: products.designerId,
      unitsSold: products.unitsSold,
      active: products.active,
      createdAt: products.createdAt,
    });
  return { round, products: rows };
}

export {
  createManyAuditLines,
  createManyNotifications,
  createManyOrders,
  createManyPayouts,
  createManyReports,
  listedAt,
} from "./lists";

/**
 * A planted voting ring: `size` accounts (made `ageDays` ago, old enough to
 * vote) that all cast the same ballots, `scores[i]` on `submissionIds[i]`,
 * in one statement. Returns the accounts.
 */
export async function createVotingRing(options: {
  roundId: string;
  submissionIds: string[];
  scores: number[];
  size: number;
  prefix?: string;
  ageDays?: number;
}) {
  const prefix = options.prefix ?? `ring_${unique()}`;
  const passwordHash = await hashPassword(DEFAULT_PASSWORD);
  const createdAt = new Date(Date.now() - (options.ageDays ?? 3) * 24 * HOUR);
  const accounts = await db
    .insert(users)
    .values(
      Array.from({ length: options.size }, (_, i) => ({
        email: `${prefix}${i}@example.test`,
        username: `${prefix}${i}`,
        passwordHash,
        createdAt,
      })),
    )
    .returning({ id: users.id, username: users.username });
  await db.insert(ballots).values(
    accounts.flatMap((a) =>
      options.submissionIds.map((submissionId, i) => ({
        roundId: options.roundId,
        submissionId,
        voterId: a.id,
        score: options.scores[i]!,
      })),
    ),
  );
  await db.execute(sql`update ${submissions} set ballot_count = (select count(*) from ${ballots} b where b.submission_id = ${submissions.id})
    where ${submissions.roundId} = ${options.roundId}`);
  return accounts;
}
