import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
// Relative, not "~/": drizzle-kit loads this file without the app's path aliases.
import { LEDGER_KINDS } from "../app/domain/ledger";
import type { RankingRule, WeightSummary } from "../app/domain/ranking";

export type AvatarImages = { large: string; small: string };
export type NotificationPrefs = Partial<Record<string, { inApp?: boolean; email?: boolean }>>;
/** Where a payout goes when an admin sends it by hand (the local provider). */
export type PayoutDestination =
  { method: "paypal"; email: string } | { method: "bank"; accountHolder: string; account: string; routing: string };

/**
 * A full-text search document. Written only by the database (the trigger in
 * migration 0020, docs/decisions/014-search.md), never by the app.
 */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    username: text("username").notNull(),
    displayName: text("display_name"),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["member", "admin"] })
      .notNull()
      .default("member"),
    /** The member's Stripe Express account, once they start connecting it for payouts. */
    stripeAccountId: text("stripe_account_id"),
    /** Where the local provider's payouts go (PayPal or bank), remembered from the last request. */
    payoutDestination: jsonb("payout_destination").$type<PayoutDestination>(),
    /** Profile: a short markdown bio and up to five http(s) links. */
    bio: text("bio").notNull().default(""),
    links: text("links")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Storage keys of the avatar the image pipeline made (square WebP). */
    avatar: jsonb("avatar").$type<AvatarImages>(),
    /** Per-kind overrides of the notification defaults (see app/domain/notification-kinds.ts). */
    notificationPrefs: jsonb("notification_prefs").$type<NotificationPrefs>().notNull().default({}),
    /** Set when the member deleted their account; the row stays, anonymised, for orders and the ledger. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /**
     * The member's share code: `?ref=<code>` on a link to one of their designs
     * or products credits them with what it brings (app/domain/share-links.server.ts).
     * Random, stable, and says nothing about the account.
     */
    shareCode: text("share_code")
      .notNull()
      .default(sql`substr(md5(gen_random_uuid()::text), 1, 10)`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_share_code_unique").on(t.shareCode),
    // Emails and usernames are stored lower-cased by the domain; the unique
    // indexes on lower() guard against a bypass all the same.
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    uniqueIndex("users_username_unique").on(sql`lower(${t.username})`),
    // Designers found by name, typos and all (pg_trgm; the expression is the one search.server.ts matches).
    index("users_name_trgm_idx")
      .using("gin", sql`(${t.username} || ' ' || lower(coalesce(${t.displayName}, ''))) gin_trgm_ops`)
      .where(sql`${t.deletedAt} is null`),
    // A username typed whole or begun (search's first tier): a byte-wise btree range, so no trigram scan.
    index("users_username_prefix_idx")
      .using("btree", sql`lower(${t.username}) text_pattern_ops`)
      .where(sql`${t.deletedAt} is null`),
    check("users_role_check", sql`${t.role} in ('member', 'admin')`),
  ],
);

/**
 * Sessions follow Lucia's design: the cookie holds `id.secret`; only the
 * SHA-256 of the secret is stored, so a leaked table cannot be replayed.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }).notNull().defaultNow(),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Fixed-window counters shared by every app instance. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  hits: integer("hits").notNull(),
});

/** Who did what to which thing; admins' decisions are always written here. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_subject_idx").on(t.subjectType, t.subjectId),
    // The moderation page's decisions, newest first, a page at a time.
    index("audit_log_decisions_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.action} in ('submission.approved', 'submission.rejected')`),
  ],
);

/**
 * A themed round. Its phase is derived from the timestamps (see
 * app/domain/round-phase.ts); only `finalized_at` is ever written by a step.
 */
export const rounds = pgTable(
  "rounds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    brief: text("brief").notNull().default(""),
    submissionsOpenAt: timestamp("submissions_open_at", { withTimezone: true }).notNull(),
    votingOpensAt: timestamp("voting_opens_at", { withTimezone: true }).notNull(),
    votingClosesAt: timestamp("voting_closes_at", { withTimezone: true }).notNull(),
    finalizedAt: timestamp("finalized_at", { withTimezone: true }),
    /** Once-only markers: entrants were told that voting opened / ended. */
    votingOpenedNotifiedAt: timestamp("voting_opened_notified_at", { withTimezone: true }),
    votingEndedNotifiedAt: timestamp("voting_ended_notified_at", { withTimezone: true }),
    maxSubmissionsPerDesigner: integer("max_submissions_per_designer").notNull().default(3),
    minArtworkWidth: integer("min_artwork_width").notNull().default(1200),
    minArtworkHeight: integer("min_artwork_height").notNull().default(1200),
    /** Skip the moderation queue: uploads are approved as they arrive. */
    autoApprove: boolean("auto_approve").notNull().default(false),
    /** How many of the top designs become products. */
    winnersCount: integer("winners_count").notNull().default(3),
    /** Counted ballots a design needs to qualify; also the weight of the prior in the Bayesian average. */
    minVotes: integer("min_votes").notNull().default(5),
    /** A member's ballots count only if they scored at least this many designs in the round. */
    voterMinScored: integer("voter_min_scored").notNull().default(5),
    /** Credited to each winner's royalty ledger at finalize. */
    prizeCents: integer("prize_cents").notNull().default(0),
    currency: text("currency").notNull().default("usd"),
    /** Designer's share of each sale, in basis points (1500 = 15%). */
    royaltyBps: integer("royalty_bps").notNull().default(1500),
    productTypes: jsonb("product_types")
      .$type<RoundProductType[]>()
      .notNull()
      .default([
        { type: "tee", basePriceCents: 2500 },
        { type: "poster", basePriceCents: 1800 },
      ]),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    /**
     * Totals of the published ranking's counted ballots and their scores,
     * written by finalize (null before): the results page shows the round
     * mean from them without reading every result row.
     */
    countedBallots: integer("counted_ballots"),
    countedScoreSum: integer("counted_score_sum"),
    /**
     * The ranking rule and its parameters (app/domain/ranking.ts), frozen with
     * the other rules once submissions open. Rounds from before rule 2 keep
     * `{"version":1}` (set by migration 0020, hand-written part).
     */
    rankingRule: jsonb("ranking_rule")
      .$type<RankingRule>()
      .notNull()
      .default({ version: 2, shrinkBallots: 5, shrinkTowards: 0.5, fullWeightAt: 0.5 }),
    /** Written by finalize: the prior the ranking used and how the voters' weights fell (null before, or under rule 1). */
    rankingSummary: jsonb("ranking_summary").$type<WeightSummary & { priorMean: number }>(),
    /**
     * When an admin published the round; null while it is a draft that only
     * admins see. Publishing is one-way. Who may see a round is decided in one
     * place: `roundVisibleTo` in app/domain/rounds.server.ts.
     */
    publishedAt: timestamp("published_at", { withTimezone: true }).defaultNow(),
    /** The member proposal this round was made from, credited on the round's page. */
    proposalId: uuid("proposal_id").references((): AnyPgColumn => proposals.id, { onDelete: "set null" }),
    /** Credited to the proposer at finalize (ledger cause `proposal-prize:<round>`); part of the prize. */
    proposerPrizeCents: integer("proposer_prize_cents").notNull().default(0),
    /** Once-only marker: the proposal's supporters were told that submissions opened. */
    submissionsOpenedNotifiedAt: timestamp("submissions_opened_notified_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("rounds_proposal_idx")
      .on(t.proposalId)
      .where(sql`${t.proposalId} is not null`),
    check("rounds_proposer_prize", sql`${t.proposerPrizeCents} >= 0`),
    check(
      "rounds_window_order",
      sql`${t.submissionsOpenAt} < ${t.votingOpensAt} and ${t.votingOpensAt} < ${t.votingClosesAt}`,
    ),
    check(
      "rounds_limits_positive",
      sql`${t.maxSubmissionsPerDesigner} > 0 and ${t.minArtworkWidth} > 0 and ${t.minArtworkHeight} > 0`,
    ),
    check(
      "rounds_rules_valid",
      sql`${t.winnersCount} > 0 and ${t.minVotes} >= 0 and ${t.voterMinScored} >= 0 and ${t.prizeCents} >= 0 and ${t.royaltyBps} between 0 and 10000`,
    ),
    // The home page: rounds still running by when they close, and the latest finalized ones.
    index("rounds_open_closes_idx")
      .on(t.votingClosesAt)
      .where(sql`${t.finalizedAt} is null`),
    index("rounds_finalized_idx")
      .on(t.finalizedAt)
      .where(sql`${t.finalizedAt} is not null`),
  ],
);

export const PRODUCT_TYPES = ["tee", "poster"] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
export type RoundProductType = { type: ProductType; basePriceCents: number };

/** Storage keys of everything the image pipeline made from one upload. */
export type ArtworkImages = {
  /** Lossless, metadata-free print master (private: never served publicly). */
  master: string;
  preview: { webp: string; avif?: string; width: number; height: number };
  thumb: { webp: string; avif?: string; width: number; height: number };
  mockups: { tee: string; poster: string };
  share: string;
};

export const SUBMISSION_STATUSES = ["pending", "approved", "rejected", "withdrawn", "disqualified"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const submissions = pgTable(
  "submissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "restrict" }),
    designerId: uuid("designer_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: text("status", { enum: SUBMISSION_STATUSES }).notNull().default("pending"),
    /** Why a moderator rejected it; shown to the designer. */
    rejectionReason: text("rejection_reason"),
    moderatedById: uuid("moderated_by_id").references(() => users.id, { onDelete: "set null" }),
    moderatedAt: timestamp("moderated_at", { withTimezone: true }),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    images: jsonb("images").$type<ArtworkImages>().notNull(),
    artworkWidth: integer("artwork_width").notNull(),
    artworkHeight: integer("artwork_height").notNull(),
    /** 64-bit perceptual hash, 16 hex digits. */
    perceptualHash: text("perceptual_hash").notNull(),
    /** The designer asks the community for critique; listed on /critique. */
    critiqueWanted: boolean("critique_wanted").notNull().default(false),
    /**
     * How many members have scored this design: raised by the ballot statement
     * on a voter's first ballot only (see docs/decisions/009-vote-queue.md).
     */
    ballotCount: integer("ballot_count").notNull().default(0),
    /** A random place among designs with as many ballots, drawn once, so the vote queue breaks ties without sorting. */
    tieBreak: integer("tie_break")
      .notNull()
      .default(sql`floor(random() * 2147483647)::int`),
    /** Visible comments on the design (not deleted, not hidden), kept by a trigger on comments: the "most commented" gallery sort. */
    commentCount: integer("comment_count").notNull().default(0),
    /**
     * Title (A), tags (B), designer's name (C) and description (C), weighted
     * for ranking; kept by triggers on submissions and users (a designer's
     * rename reaches every design of theirs). See ADR 016.
     */
    searchDocument: tsvector("search_document")
      .notNull()
      .default(sql`''::tsvector`),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("submissions_round_status_idx").on(t.roundId, t.status),
    // Search: the weighted document, and tags (tag pages: `tags @> array[tag]`).
    index("submissions_search_idx").using("gin", t.searchDocument),
    index("submissions_tags_idx")
      .using("gin", t.tags)
      .where(sql`${t.status} = 'approved'`),
    // Browsing everything public, newest first (the search page with no words).
    index("submissions_public_newest_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'approved'`),
    // A round's gallery by most comments.
    index("submissions_most_commented_idx")
      .on(t.roundId, t.commentCount, t.createdAt, t.id)
      .where(sql`${t.status} = 'approved'`),
    // The vote queue: a round's designs in the vote, fewest ballots first, then in their random order.
    index("submissions_vote_queue_idx")
      .on(t.roundId, t.ballotCount, t.tieBreak)
      .where(sql`${t.status} = 'approved'`),
    // A round's gallery a page at a time: in each viewer's shuffle during voting, in arrival order otherwise (ADR 010).
    index("submissions_gallery_idx")
      .on(t.roundId, t.tieBreak, t.id)
      .where(sql`${t.status} = 'approved'`),
    index("submissions_arrival_idx")
      .on(t.roundId, t.createdAt, t.id)
      .where(sql`${t.status} = 'approved'`),
    // A designer's designs, newest first, a page at a time ("Your designs", their public page).
    index("submissions_designer_idx").on(t.designerId, t.createdAt, t.id),
    // The moderation queue, oldest first, and the critique page, newest first.
    index("submissions_pending_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("submissions_critique_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.critiqueWanted} and ${t.status} = 'approved'`),
    check(
      "submissions_status_check",
      sql`${t.status} in ('pending', 'approved', 'rejected', 'withdrawn', 'disqualified')`,
    ),
    check("submissions_ballot_count", sql`${t.ballotCount} >= 0`),
    check("submissions_comment_count", sql`${t.commentCount} >= 0`),
    check(
      "submissions_rejection_reason",
      sql`${t.status} not in ('rejected', 'disqualified') or length(${t.rejectionReason}) > 0`,
    ),
  ],
);

/**
 * The words of public designs' titles and tags, each once: the vocabulary a
 * misspelt search word is corrected against (pg_trgm similarity). Filled by a
 * trigger when a design is approved; never read for anything else.
 */
export const searchTerms = pgTable("search_terms", { term: text("term").primaryKey() }, (t) => [
  index("search_terms_trgm_idx").using("gin", sql`${t.term} gin_trgm_ops`),
]);

/** An upload whose perceptual hash is close to an earlier submission's, for moderators to compare. */
/**
 * Submissions whose AVIF renditions are still to be made: written with the
 * submission, deleted when its AVIF is stored (or given up on). A server
 * claims a row for LEASE minutes, so a crash mid-encode is retried by the
 * next sweep (ADR 017).
 */
export const avifJobs = pgTable(
  "avif_jobs",
  {
    submissionId: uuid("submission_id")
      .primaryKey()
      .references(() => submissions.id, { onDelete: "cascade" }),
    attempts: integer("attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("avif_jobs_created_idx").on(t.createdAt)],
);

export const nearDuplicates = pgTable(
  "near_duplicates",
  {
    submissionId: uuid("submission_id")
      .notNull()
      .references(() => submissions.id, { onDelete: "cascade" }),
    earlierSubmissionId: uuid("earlier_submission_id")
      .notNull()
      .references(() => submissions.id, { onDelete: "cascade" }),
    /** Hamming distance between the two 64-bit hashes (0 = identical). */
    distance: integer("distance").notNull(),
  },
  (t) => [uniqueIndex("near_duplicates_pair").on(t.submissionId, t.earlierSubmissionId)],
);

/** One member's score for one design; changeable until voting closes. */
export const ballots = pgTable(
  "ballots",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    submissionId: uuid("submission_id")
      .notNull()
      .references(() => submissions.id, { onDelete: "cascade" }),
    voterId: uuid("voter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    score: integer("score").notNull(),
    wouldBuy: boolean("would_buy").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ballots_one_per_voter").on(t.submissionId, t.voterId),
    index("ballots_round_voter_idx").on(t.roundId, t.voterId),
    check("ballots_score_range", sql`${t.score} between 0 and 5`),
  ],
);

/** The published outcome of a finalized round, one row per ranked design. */
export const roundResults = pgTable(
  "round_results",
  {
    roundId: uuid("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    submissionId: uuid("submission_id")
      .notNull()
      .references(() => submissions.id, { onDelete: "cascade" }),
    rank: integer("rank").notNull(),
    ballots: integer("ballots").notNull(),
    scoreSum: integer("score_sum").notNull(),
    mean: doublePrecision("mean"),
    bayesianScore: doublePrecision("bayesian_score").notNull(),
    wouldBuy: integer("would_buy").notNull(),
    wouldBuyLowerBound: doublePrecision("would_buy_lower_bound").notNull(),
    /** Σ of the counted ballots' voter weights, and Σ weight × score (rule 2; rule 1 weighs every counted ballot 1). */
    weight: doublePrecision("weight"),
    weightedScoreSum: doublePrecision("weighted_score_sum"),
    /** Counted ballots per score 0..5. */
    distribution: integer("distribution").array().notNull(),
    qualified: boolean("qualified").notNull(),
    winner: boolean("winner").notNull(),
  },
  (t) => [
    uniqueIndex("round_results_pk").on(t.roundId, t.submissionId),
    index("round_results_rank_idx").on(t.roundId, t.rank),
    // The podium on the results page's first page, whatever ranks the winners hold.
    index("round_results_winners_idx")
      .on(t.roundId, t.rank)
      .where(sql`${t.winner}`),
  ],
);

/**
 * Each voter's weight in a finalized round (rule 2), as finalize computed it:
 * published in the ballots CSV beside the voter's pseudonym, never with the id.
 */
export const roundVoterWeights = pgTable(
  "round_voter_weights",
  {
    roundId: uuid("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    voterId: uuid("voter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Ballots in the round, and those on designs in the ranking (k). */
    ballots: integer("ballots").notNull(),
    scored: integer("scored").notNull(),
    counted: boolean("counted").notNull(),
    /** Pearson's r against the leave-one-out means; null when undefined. */
    agreement: doublePrecision("agreement"),
    weight: doublePrecision("weight").notNull(),
  },
  (t) => [uniqueIndex("round_voter_weights_pk").on(t.roundId, t.voterId)],
);

/** A winning design on a product type; created by finalize, once. */
export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "restrict" }),
    submissionId: uuid("submission_id")
      .notNull()
      .references(() => submissions.id, { onDelete: "restrict" }),
    designerId: uuid("designer_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    type: text("type", { enum: PRODUCT_TYPES }).notNull(),
    title: text("title").notNull(),
    mockupKey: text("mockup_key").notNull(),
    basePriceCents: integer("base_price_cents").notNull(),
    currency: text("currency").notNull(),
    royaltyBps: integer("royalty_bps").notNull(),
    active: boolean("active").notNull().default(true),
    /**
     * Units sold in paid orders: raised when an order is paid, lowered when a
     * paid order is refunded, in the same transaction (orders.server.ts), so
     * "best-selling" is an index walk, not a sum per product.
     */
    unitsSold: integer("units_sold").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("products_one_per_type").on(t.submissionId, t.type),
    index("products_round_idx").on(t.roundId),
    // The shop a page at a time, newest or best-selling first, all products or one type; a designer's own.
    index("products_newest_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.active}`),
    index("products_type_newest_idx")
      .on(t.type, t.createdAt, t.id)
      .where(sql`${t.active}`),
    index("products_best_selling_idx")
      .on(t.unitsSold, t.createdAt, t.id)
      .where(sql`${t.active}`),
    index("products_type_best_selling_idx")
      .on(t.type, t.unitsSold, t.createdAt, t.id)
      .where(sql`${t.active}`),
    index("products_designer_idx")
      .on(t.designerId, t.createdAt, t.id)
      .where(sql`${t.active}`),
    check("products_units_sold", sql`${t.unitsSold} >= 0`),
  ],
);

export const productVariants = pgTable(
  "product_variants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    size: text("size").notNull(),
    priceCents: integer("price_cents").notNull(),
    sortOrder: integer("sort_order").notNull(),
  },
  (t) => [
    uniqueIndex("product_variants_size").on(t.productId, t.size),
    check("product_variants_price", sql`${t.priceCents} > 0`),
  ],
);

/**
 * The royalty ledger: append-only; a balance is the sum of a member's entries.
 * `causeKey` names what created an entry (a prize, an order item, a refund, a
 * payout) and is unique, so replaying an event cannot pay twice.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: LEDGER_KINDS }).notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    causeKey: text("cause_key").notNull(),
    /** Pending until this moment (refund window); null means cleared at once. */
    clearsAt: timestamp("clears_at", { withTimezone: true }),
    roundId: uuid("round_id").references(() => rounds.id, { onDelete: "restrict" }),
    submissionId: uuid("submission_id").references(() => submissions.id, { onDelete: "restrict" }),
    memo: text("memo").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ledger_entries_cause").on(t.causeKey),
    index("ledger_entries_user_idx").on(t.userId, t.createdAt),
  ],
);

/** A shopping cart: a member's (one each) or a guest's, found by a signed cookie. */
export const carts = pgTable(
  "carts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("carts_one_per_user").on(t.userId)],
);

export const cartItems = pgTable(
  "cart_items",
  {
    cartId: uuid("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    variantId: uuid("variant_id")
      .notNull()
      .references(() => productVariants.id, { onDelete: "cascade" }),
    quantity: integer("quantity").notNull(),
    addedAt: createdAt(),
  },
  (t) => [
    uniqueIndex("cart_items_pk").on(t.cartId, t.variantId),
    check("cart_items_quantity", sql`${t.quantity} between 1 and 20`),
  ],
);

export const ORDER_STATUSES = ["pending_payment", "paid", "cancelled", "refunded"] as const;
export const TAX_SOURCES = ["rates", "stripe"] as const;
export const FULFILMENT_STATUSES = ["unfulfilled", "in_production", "shipped", "delivered"] as const;

/** An order; prices are copied from the shop when it is placed and never change after. */
export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending_payment"),
    fulfilment: text("fulfilment", { enum: FULFILMENT_STATUSES }).notNull().default("unfulfilled"),
    trackingNumber: text("tracking_number"),
    /** Who carries the parcel ("USPS", "DHL"…) and where to follow it, when known. */
    carrier: text("carrier"),
    trackingUrl: text("tracking_url"),
    /** When the parcel left: a shipped event older than this never overwrites the tracking. */
    shippedAt: timestamp("shipped_at", { withTimezone: true }),
    currency: text("currency").notNull(),
    subtotalCents: integer("subtotal_cents").notNull(),
    creditCents: integer("credit_cents").notNull().default(0),
    amountDueCents: integer("amount_due_cents").notNull(),
    /** Refunded so far, by card and as returned store credit (running totals; see app/domain/refunds.ts). */
    refundedCardCents: integer("refunded_card_cents").notNull().default(0),
    refundedCreditCents: integer("refunded_credit_cents").notNull().default(0),
    shippingName: text("shipping_name").notNull(),
    shippingLine1: text("shipping_line1").notNull(),
    shippingLine2: text("shipping_line2").notNull().default(""),
    shippingCity: text("shipping_city").notNull(),
    shippingPostalCode: text("shipping_postal_code").notNull(),
    shippingCountry: text("shipping_country").notNull(),
    /** State, province or prefecture code (country-region-data's short code); empty where the country has none. */
    shippingRegion: text("shipping_region").notNull().default(""),
    /** The totals rule (app/domain/totals.ts): amount due = subtotal + shipping + tax − credit. */
    shippingCents: integer("shipping_cents").notNull().default(0),
    taxCents: integer("tax_cents").notNull().default(0),
    /** Who worked out the tax: the admins' rates, or Stripe Tax (then it is recorded when the payment completes). */
    taxSource: text("tax_source", { enum: TAX_SOURCES }).notNull().default("rates"),
    provider: text("provider", { enum: ["local", "stripe"] }).notNull(),
    providerReference: text("provider_reference"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    /** The designer whose share link brought the buyer (first touch, within the window), if any: counted as their sale once paid. */
    shareDesignerId: uuid("share_designer_id").references(() => users.id, { onDelete: "set null" }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // A buyer's orders, newest first, a page at a time (id breaks ties on time).
    index("orders_buyer_idx").on(t.buyerId, t.createdAt, t.id),
    // Admin order lists, newest first, all or by status, a page at a time.
    index("orders_created_idx").on(t.createdAt, t.id),
    index("orders_status_created_idx").on(t.status, t.createdAt, t.id),
    check(
      "orders_amounts",
      sql`${t.subtotalCents} >= 0 and ${t.shippingCents} >= 0 and ${t.taxCents} >= 0 and ${t.creditCents} >= 0 and ${t.amountDueCents} >= 0 and ${t.amountDueCents} = ${t.subtotalCents} + ${t.shippingCents} + ${t.taxCents} - ${t.creditCents}`,
    ),
  ],
);

export const orderItems = pgTable(
  "order_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "restrict" }),
    variantId: uuid("variant_id")
      .notNull()
      .references(() => productVariants.id, { onDelete: "restrict" }),
    designerId: uuid("designer_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    productType: text("product_type", { enum: PRODUCT_TYPES }).notNull(),
    size: text("size").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
    quantity: integer("quantity").notNull(),
    royaltyBps: integer("royalty_bps").notNull(),
  },
  (t) => [index("order_items_order_idx").on(t.orderId), index("order_items_designer_idx").on(t.designerId)],
);

/** An address a member saved at checkout, to ship to again; theirs alone, deleted with their account. */
export const savedAddresses = pgTable(
  "saved_addresses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    line1: text("line1").notNull(),
    line2: text("line2").notNull().default(""),
    city: text("city").notNull(),
    region: text("region").notNull().default(""),
    postalCode: text("postal_code").notNull(),
    country: text("country").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("saved_addresses_user_idx").on(t.userId, t.createdAt),
    // Saving the same address twice keeps one.
    uniqueIndex("saved_addresses_once").on(
      t.userId,
      t.country,
      t.postalCode,
      t.region,
      t.city,
      t.line1,
      t.line2,
      t.name,
    ),
  ],
);

/**
 * Where the shop ships: a zone is a name and its countries (each country in at
 * most one zone: the country is the key), with a rate per product type and an
 * optional free-shipping threshold on the items' subtotal. Set by admins.
 */
export const shippingZones = pgTable(
  "shipping_zones",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    freeShippingOverCents: integer("free_shipping_over_cents"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("shipping_zones_name").on(sql`lower(${t.name})`),
    check("shipping_zones_free_over", sql`${t.freeShippingOverCents} is null or ${t.freeShippingOverCents} >= 0`),
  ],
);

export const shippingZoneCountries = pgTable(
  "shipping_zone_countries",
  {
    country: text("country").primaryKey(),
    zoneId: uuid("zone_id")
      .notNull()
      .references(() => shippingZones.id, { onDelete: "cascade" }),
  },
  (t) => [index("shipping_zone_countries_zone_idx").on(t.zoneId)],
);

/** Per zone and product type: the first unit of the type, and each further unit (see app/domain/totals.ts). */
export const shippingRates = pgTable(
  "shipping_rates",
  {
    zoneId: uuid("zone_id")
      .notNull()
      .references(() => shippingZones.id, { onDelete: "cascade" }),
    productType: text("product_type", { enum: PRODUCT_TYPES }).notNull(),
    firstItemCents: integer("first_item_cents").notNull(),
    additionalItemCents: integer("additional_item_cents").notNull(),
  },
  (t) => [
    uniqueIndex("shipping_rates_pk").on(t.zoneId, t.productType),
    check("shipping_rates_amounts", sql`${t.firstItemCents} >= 0 and ${t.additionalItemCents} >= 0`),
  ],
);

/**
 * Tax rates for the `local` way of taxing (not Stripe Tax), in basis points,
 * per country ('' region: the whole country) or per region, which then
 * replaces the country's rate.
 */
export const taxRates = pgTable(
  "tax_rates",
  {
    country: text("country").notNull(),
    region: text("region").notNull().default(""),
    rateBps: integer("rate_bps").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tax_rates_pk").on(t.country, t.region),
    check("tax_rates_bps", sql`${t.rateBps} between 0 and 10000`),
  ],
);

export const FULFILMENT_JOB_STATUSES = ["queued", "sent", "failed", "cancelled"] as const;

/**
 * A paid order to hand to a print-on-demand provider (Printful), written in
 * the payment's transaction and sent later by the fulfilment tick
 * (app/domain/fulfilment.server.ts), outside it, with retries: the outbox
 * the mail queue uses, for orders.
 */
export const fulfilmentJobs = pgTable(
  "fulfilment_jobs",
  {
    orderId: uuid("order_id")
      .primaryKey()
      .references(() => orders.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: ["printful"] }).notNull(),
    status: text("status", { enum: FULFILMENT_JOB_STATUSES }).notNull().default("queued"),
    /** The provider's own id for the order, once it was created there. */
    externalId: text("external_id"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A sender holds the job until then; a crashed sender's jobs come back after it. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("fulfilment_jobs_due_idx").on(t.status, t.nextAttemptAt),
    check("fulfilment_jobs_status", sql`${t.status} in ('queued', 'sent', 'failed', 'cancelled')`),
  ],
);

/** Which Printful catalog variant prints each of our product types and sizes; admins edit it. */
export const printfulVariants = pgTable(
  "printful_variants",
  {
    productType: text("product_type", { enum: PRODUCT_TYPES }).notNull(),
    size: text("size").notNull(),
    variantId: integer("variant_id").notNull(),
    updatedById: uuid("updated_by_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("printful_variants_pk").on(t.productType, t.size),
    check("printful_variants_id", sql`${t.variantId} > 0`),
  ],
);

/** Printful webhook events already handled (keyed on what they report, e.g. the shipment), so a redelivery does nothing. */
export const printfulEvents = pgTable("printful_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  outcome: text("outcome").notNull(),
  receivedAt: createdAt(),
});

/** Stripe events already handled, so a redelivery does nothing. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  outcome: text("outcome").notNull(),
  receivedAt: createdAt(),
});

/** A designer asking for their cleared balance; the amount leaves the ledger when asked for. */
export const payoutRequests = pgTable(
  "payout_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    provider: text("provider", { enum: ["local", "stripe"] }).notNull(),
    status: text("status", { enum: ["requested", "paid", "failed", "rejected"] })
      .notNull()
      .default("requested"),
    transferId: text("transfer_id"),
    /** Local provider: where the member asked for the money to go; shown to the admin who pays it. */
    destination: jsonb("destination").$type<PayoutDestination>(),
    note: text("note"),
    decidedById: uuid("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    index("payout_requests_user_idx").on(t.userId, t.createdAt, t.id),
    index("payout_requests_created_idx").on(t.createdAt, t.id),
    index("payout_requests_status_created_idx").on(t.status, t.createdAt, t.id),
    check("payout_requests_amount", sql`${t.amountCents} > 0`),
  ],
);

/** Comments and critique on a design or a product, threaded one level (replies to a comment). */
export const comments = pgTable(
  "comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    submissionId: uuid("submission_id").references(() => submissions.id, { onDelete: "cascade" }),
    productId: uuid("product_id").references(() => products.id, { onDelete: "cascade" }),
    proposalId: uuid("proposal_id").references((): AnyPgColumn => proposals.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    parentId: uuid("parent_id"),
    body: text("body").notNull(),
    createdAt: createdAt(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenById: uuid("hidden_by_id").references(() => users.id, { onDelete: "set null" }),
    hiddenReason: text("hidden_reason"),
  },
  (t) => [
    index("comments_submission_idx").on(t.submissionId, t.createdAt),
    index("comments_product_idx").on(t.productId, t.createdAt),
    // A thread a page of top-level comments at a time, newest first; each page's replies by their parent.
    index("comments_submission_threads_idx")
      .on(t.submissionId, t.createdAt, t.id)
      .where(sql`${t.parentId} is null`),
    index("comments_product_threads_idx")
      .on(t.productId, t.createdAt, t.id)
      .where(sql`${t.parentId} is null`),
    index("comments_proposal_threads_idx")
      .on(t.proposalId, t.createdAt, t.id)
      .where(sql`${t.parentId} is null`),
    index("comments_parent_idx")
      .on(t.parentId, t.createdAt, t.id)
      .where(sql`${t.parentId} is not null`),
    check("comments_body_length", sql`length(${t.body}) between 1 and 5000`),
    check("comments_one_subject", sql`num_nonnulls(${t.submissionId}, ${t.productId}, ${t.proposalId}) = 1`),
  ],
);

/** In-app notifications: the bell's unread count and list. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    url: text("url").notNull(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt, t.id)],
);

export const REPORT_REASONS = ["plagiarism", "offensive", "spam"] as const;

/** A member's report of a design, comment, profile or round proposal, for moderators. */
export const reports = pgTable(
  "reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reporterId: uuid("reporter_id").references(() => users.id, { onDelete: "set null" }),
    subjectType: text("subject_type", { enum: ["submission", "comment", "user", "proposal"] }).notNull(),
    subjectId: uuid("subject_id").notNull(),
    reason: text("reason", { enum: REPORT_REASONS }).notNull(),
    note: text("note").notNull().default(""),
    status: text("status", { enum: ["open", "resolved", "dismissed"] })
      .notNull()
      .default("open"),
    resolvedById: uuid("resolved_by_id").references(() => users.id, { onDelete: "set null" }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  // Open reports, oldest first, a page at a time.
  (t) => [index("reports_status_idx").on(t.status, t.createdAt, t.id)],
);

/** A member following a designer. */
export const follows = pgTable(
  "follows",
  {
    followerId: uuid("follower_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    designerId: uuid("designer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("follows_pk").on(t.followerId, t.designerId),
    index("follows_designer_idx").on(t.designerId),
    check("follows_not_self", sql`${t.followerId} <> ${t.designerId}`),
  ],
);

/**
 * Outgoing email, written in the same transaction as what caused it and sent
 * later by the mailer (app/domain/mailer.server.ts) with retries, so a slow or
 * failing mail server never holds up a request.
 */
export const outgoingMail = pgTable(
  "outgoing_mail",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    /** "account" for mail a member always gets, else the notification kind. */
    category: text("category").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A sender holds the row until then; a crashed sender's rows come back after it. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("outgoing_mail_due_idx").on(t.status, t.nextAttemptAt),
    check("outgoing_mail_status", sql`${t.status} in ('pending', 'sent', 'failed')`),
  ],
);

/** Password reset links: only the SHA-256 of the token is kept; single use, short-lived. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

/** A member's request to move their account to a new address; done when the link sent there is opened. */
export const emailChanges = pgTable(
  "email_changes",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    newEmail: text("new_email").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("email_changes_user_idx").on(t.userId)],
);

/** Settings an admin changes from the admin area; one row (id 1), read with defaults when missing. */
export const siteSettings = pgTable(
  "site_settings",
  {
    id: integer("id").primaryKey().default(1),
    /** Supports a round proposal needs to go to the admins' review queue. */
    proposalSupportThreshold: integer("proposal_support_threshold").notNull().default(25),
    updatedById: uuid("updated_by_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("site_settings_one_row", sql`${t.id} = 1`),
    check("site_settings_threshold", sql`${t.proposalSupportThreshold} between 1 and 100000`),
  ],
);

export const PROPOSAL_STATUSES = ["open", "review", "accepted", "declined", "withdrawn", "removed"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
/** Storage keys of one mood image the pipeline made (public WebP, large and small). */
export type MoodImage = { large: string; small: string; width: number; height: number };

/**
 * A member's proposal for a round theme. Members support it; at the support
 * threshold it goes to the admins' review queue (once: `review_queued_at`),
 * and an admin turns it into a draft round or declines it with a reason.
 */
export const proposals = pgTable(
  "proposals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    proposerId: uuid("proposer_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    brief: text("brief").notNull(),
    moodImages: jsonb("mood_images").$type<MoodImage[]>().notNull().default([]),
    productTypes: jsonb("product_types").$type<ProductType[]>().notNull().default([]),
    status: text("status", { enum: PROPOSAL_STATUSES }).notNull().default("open"),
    supportCount: integer("support_count").notNull().default(0),
    /**
     * Supports given in the last 7 days: the trending order's stored key.
     * Raised and lowered with each support in the same transaction, and
     * brought down as supports age past 7 days by the rounds tick.
     */
    recentSupport: integer("recent_support").notNull().default(0),
    /** Set by the first support ever: the proposal can no longer be edited. */
    firstSupportedAt: timestamp("first_supported_at", { withTimezone: true }),
    /** The highest support milestone the proposer was told about. */
    milestoneNotified: integer("milestone_notified").notNull().default(0),
    /** When support reached the threshold and the proposal joined the review queue (set once). */
    reviewQueuedAt: timestamp("review_queued_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedById: uuid("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    declineReason: text("decline_reason"),
    /** Why a moderator took the proposal down (status `removed`); shown to its proposer only. */
    removalReason: text("removal_reason"),
    roundId: uuid("round_id").references((): AnyPgColumn => rounds.id, { onDelete: "set null" }),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // The three public orders, each over proposals still taking support.
    index("proposals_newest_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'review')`),
    index("proposals_most_supported_idx")
      .on(t.supportCount, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'review')`),
    index("proposals_trending_idx")
      .on(t.recentSupport, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'review')`),
    // The review queue, oldest first; and the tick's walk of proposals whose recent support may have aged.
    index("proposals_review_idx")
      .on(t.reviewQueuedAt, t.id)
      .where(sql`${t.status} = 'review'`),
    index("proposals_recent_support_idx")
      .on(t.id)
      .where(sql`${t.recentSupport} > 0`),
    index("proposals_proposer_idx").on(t.proposerId, t.createdAt, t.id),
    check("proposals_status", sql`${t.status} in ('open', 'review', 'accepted', 'declined', 'withdrawn', 'removed')`),
    check("proposals_counts", sql`${t.supportCount} >= 0 and ${t.recentSupport} >= 0`),
    check("proposals_title_length", sql`length(${t.title}) between 1 and 120`),
    check("proposals_brief_length", sql`length(${t.brief}) between 1 and 5000`),
  ],
);

/** One member's support of a proposal: at most one each (withdrawing deletes the row). */
export const proposalSupports = pgTable(
  "proposal_supports",
  {
    proposalId: uuid("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("proposal_supports_pk").on(t.proposalId, t.userId),
    index("proposal_supports_recent_idx").on(t.proposalId, t.createdAt),
    index("proposal_supports_user_idx").on(t.userId),
  ],
);

/**
 * A member's saved designs (the heart on design and product pages): one row
 * per member and design, so saving twice keeps one. A product is a design on
 * a product type, so saving either saves the design; the member hears when a
 * saved design becomes a product (kind "favourite_in_shop").
 */
export const favourites = pgTable(
  "favourites",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    submissionId: uuid("submission_id")
      .notNull()
      .references(() => submissions.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("favourites_pk").on(t.userId, t.submissionId),
    // A member's saved list, newest first, a page at a time.
    index("favourites_user_idx").on(t.userId, t.createdAt, t.submissionId),
    // Who saved a design, when finalize makes it a product.
    index("favourites_submission_idx").on(t.submissionId),
  ],
);

/**
 * An admin's decision that a member's ballots in a round do not count (a
 * co-voting ring, bought accounts). Every ballot of that voter in that round
 * is left out of finalize, the ballots CSV and the counts shown, including
 * any cast after the void; the ballots themselves stay, as evidence.
 */
export const ballotVoids = pgTable(
  "ballot_voids",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    voterId: uuid("voter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    voidedById: uuid("voided_by_id").references(() => users.id, { onDelete: "set null" }),
    /** The voter's ballots in the round when it was voided (for the audit; the live count is read from ballots). */
    ballotsAtVoid: integer("ballots_at_void").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("ballot_voids_round_voter").on(t.roundId, t.voterId)],
);

export const SHARE_EVENT_KINDS = ["visit", "signup", "ballot", "sale"] as const;
export type ShareEventKind = (typeof SHARE_EVENT_KINDS)[number];

/**
 * What a designer's share link brought: one row per visit (a visitor once a
 * day), sign-up, ballot and paid order that arrived through it. Counted on
 * the designer's dashboard by day; `key` makes each one count once (a
 * visitor's random id for visits; the account, ballot or order otherwise).
 */
export const shareEvents = pgTable(
  "share_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    designerId: uuid("designer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: SHARE_EVENT_KINDS }).notNull(),
    day: text("day").notNull(),
    key: text("key").notNull(),
    /** Ballots only: which ballot, so the integrity view can find it. */
    roundId: uuid("round_id").references(() => rounds.id, { onDelete: "cascade" }),
    submissionId: uuid("submission_id").references(() => submissions.id, { onDelete: "cascade" }),
    voterId: uuid("voter_id").references(() => users.id, { onDelete: "cascade" }),
    /** Ballots only: the voter first arrived through a share link less than 48 hours before. */
    recentArrival: boolean("recent_arrival").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("share_events_visit_daily")
      .on(t.designerId, t.key, t.day)
      .where(sql`${t.kind} = 'visit'`),
    uniqueIndex("share_events_once")
      .on(t.kind, t.key)
      .where(sql`${t.kind} <> 'visit'`),
    index("share_events_designer_day_idx").on(t.designerId, t.day),
    index("share_events_round_ballots_idx")
      .on(t.roundId)
      .where(sql`${t.kind} = 'ballot' and ${t.recentArrival}`),
    check("share_events_kind_check", sql`${t.kind} in ('visit', 'signup', 'ballot', 'sale')`),
  ],
);

/**
 * The network a sign-up came from, as a keyed hash only (HMAC of the /24 or
 * /48 prefix under a server secret): enough to count sign-ups per network per
 * hour for the integrity view, never the address.
 */
export const signupNetworks = pgTable(
  "signup_networks",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    networkHash: text("network_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("signup_networks_created_idx").on(t.createdAt),
    index("signup_networks_hash_idx").on(t.networkHash, t.createdAt),
  ],
);
