import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { ArtworkImages, AvatarImages, ProductType } from "#db/schema";
import { getDatabaseHandle } from "~/lib/db.server";
import { afterKey, intKeyShape, pageOf, PAGE_SIZE, timestampKeyShape } from "~/lib/pagination.server";
import { publicAvatar, publicUrl, withPublicArtwork } from "~/lib/storage.server";
import { USERNAME_RULE } from "./account-forms";
import { mapPage, type Page } from "./page";
import { searchWords, type DesignStatusFilter, type SearchSort } from "./search";

/**
 * Search over what the public may see (ADR 016): approved designs in rounds
 * that have opened, active products, and members who have not deleted their
 * account. Words are matched against each design's weighted document (title,
 * tags, designer, description) as prefixes; a word that is not in the
 * vocabulary of public titles and tags also matches its nearest spelling
 * there (pg_trgm), so "robto" finds robots. Nothing here reads a score: a
 * round still voting shows no numbers anywhere, and search shows none at all.
 */

const dialect = new PgDialect();

/**
 * Rows of one of search's statements. With `prepare`, as a prepared statement:
 * postgres.js keeps it on each connection by its text (a few dozen shapes:
 * filters, orders, a cursor or none), so a repeat is one round trip instead of
 * two (no Describe first), and once PostgreSQL settles on a generic plan it is
 * not planned again. That suits the design and product searches, whose plans
 * do not depend on the values (the words become a tsquery inside the
 * statement). Designers stay unprepared: a generic plan cannot see the LIKE
 * pattern, and ran 3 to 10 times slower than a custom one (ADR 016). PGlite
 * runs either as any other statement.
 */
async function searchRows<T>(query: SQL, options: { prepare: boolean }): Promise<T[]> {
  const database = getDatabaseHandle().db;
  const result = (
    options.prepare
      ? await database._.session.prepareQuery(dialect.sqlToQuery(query), undefined, "search", false).execute()
      : await database.execute(query)
  ) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A relevance page ends at its last row's rank (scaled to an integer, so it compares exactly) and id. */
export const relevanceCursor = z.tuple([intKeyShape, z.uuid()]);
export const newestCursor = z.tuple([timestampKeyShape, z.uuid()]);
export const bestSellingCursor = z.tuple([intKeyShape, timestampKeyShape, z.uuid()]);
/** Designers with no words: by username. */
// A username as sign-up allows it: nothing else (a NUL byte, say) reaches the keyset comparison in SQL.
export const usernameCursor = z.tuple([z.string().max(USERNAME_RULE.max).regex(USERNAME_RULE.pattern), z.uuid()]);

export type RelevanceCursor = z.output<typeof relevanceCursor>;
export type NewestCursor = z.output<typeof newestCursor>;
export type BestSellingCursor = z.output<typeof bestSellingCursor>;
export type UsernameCursor = z.output<typeof usernameCursor>;

/** Scales ts_rank (a float4) to an integer key: equal ranks tie exactly, then the id decides. */
const RANK_SCALE = 1_000_000;

/**
 * The query's words as one tsquery: each word as a prefix, or, when it is not
 * a word of the vocabulary, the most similar word that is. Evaluated once per
 * statement (an uncorrelated scalar subquery); its lookups are walks of the
 * vocabulary's trigram index.
 */
function wordsQuery(words: string[]): SQL {
  return sql`(
    select to_tsquery('english', string_agg(
      format('(%s:* | %s)', quote_literal(w.word), quote_literal(coalesce(
        case when exists (select 1 from search_terms e where e.term = w.word) then w.word else (
          select t.term from search_terms t
           where t.term % w.word
           order by similarity(t.term, w.word) desc, t.term
           limit 1
        ) end,
        w.word))),
      ' & ' order by w.ord))
    from unnest(string_to_array(${words.join(" ")}, ' ')) with ordinality as w(word, ord)
  )`;
}

/**
 * Rounds the public may see: published (`roundVisibleTo` in rounds.server: a
 * draft is an admin's secret, whatever its dates) and opened for submissions.
 */
const roundIsPublic = (now: Date) =>
  sql`r.published_at is not null and r.submissions_open_at <= ${now.toISOString()}::timestamptz`;

type DesignRow = {
  id: string;
  title: string;
  tags: string[];
  images: ArtworkImages;
  designer_username: string;
  round_slug: string;
  round_title: string;
  created_key: string;
  rank_key: number;
};

export type DesignSearch = {
  q?: string;
  roundSlug?: string;
  status?: DesignStatusFilter;
  sort?: SearchSort;
};

/**
 * Designs matching `q` (all public designs with no words), filtered, a page at
 * a time: by relevance (rank, then id) or newest first (creation time, then
 * id). Relevance without words is newest.
 */
export async function searchDesigns(
  search: DesignSearch,
  options: { after?: RelevanceCursor | NewestCursor; size?: number; now?: Date } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const now = options.now ?? new Date();
  const words = searchWords(search.q ?? "");
  const byRank = words.length > 0 && (search.sort ?? "relevance") === "relevance";
  const conditions: SQL[] = [sql`s.status = 'approved'`, roundIsPublic(now)];
  if (words.length) conditions.push(sql`s.search_document @@ q.query`);
  if (search.roundSlug) conditions.push(sql`r.slug = ${search.roundSlug}`);
  if (search.status === "voting") {
    conditions.push(
      sql`r.finalized_at is null and r.voting_opens_at <= ${now.toISOString()}::timestamptz and ${now.toISOString()}::timestamptz < r.voting_closes_at`,
    );
  }
  if (search.status === "winner") {
    conditions.push(
      sql`exists (select 1 from round_results rr where rr.round_id = s.round_id and rr.submission_id = s.id and rr.winner)`,
    );
  }
  if (search.status === "in-shop") {
    conditions.push(sql`exists (select 1 from products p where p.submission_id = s.id and p.active)`);
  }
  const rank = words.length ? sql`(ts_rank(s.search_document, q.query) * ${RANK_SCALE})::int` : sql`0`;
  // The page is chosen from submissions and rounds alone; only its rows are joined to their designers.
  const matches = sql`
    select s.id, s.title, s.tags, s.images, s.designer_id, r.slug as round_slug, r.title as round_title,
           s.created_at, ${rank} as rank_key
      from submissions s
      join rounds r on r.id = s.round_id
      ${words.length ? sql`cross join (select ${wordsQuery(words)} as query) q` : sql``}
     where ${sql.join(conditions, sql` and `)}`;
  const after = options.after;
  const page = byRank
    ? sql`select * from (${matches}) m
           ${after ? sql`where ${afterKey([sql`m.rank_key`, sql`m.id`], after, "desc", ["int", "uuid"])}` : sql``}
           order by m.rank_key desc, m.id desc limit ${size + 1}`
    : sql`${matches}
           ${after ? sql`and ${afterKey([sql`s.created_at`, sql`s.id`], after, "desc", ["timestamptz", "uuid"])}` : sql``}
           order by s.created_at desc, s.id desc limit ${size + 1}`;
  const statement = sql`
    select p.id, p.title, p.tags, p.images, u.username as designer_username, p.round_slug, p.round_title,
           p.created_at::text as created_key, p.rank_key
      from (${page}) p
      join users u on u.id = p.designer_id
     order by ${byRank ? sql`p.rank_key desc, p.id desc` : sql`p.created_at desc, p.id desc`}`;
  const rows = await searchRows<DesignRow>(statement, { prepare: true });
  return mapPage(
    pageOf(rows, size, (r): RelevanceCursor | NewestCursor => (byRank ? [r.rank_key, r.id] : [r.created_key, r.id])),
    (r) =>
      withPublicArtwork({
        id: r.id,
        title: r.title,
        tags: r.tags,
        images: r.images,
        designerUsername: r.designer_username,
        roundSlug: r.round_slug,
        roundTitle: r.round_title,
      }),
  );
}

type ProductRow = {
  id: string;
  title: string;
  type: ProductType;
  mockup_key: string;
  base_price_cents: number;
  currency: string;
  units_sold: number;
  designer_username: string;
  created_key: string;
  rank_key: number;
};

export type ProductSearch = { q?: string; type?: ProductType; sort?: SearchSort };

/** Active products whose design matches `q` (all of them with no words), by relevance, newest or best-selling. */
export async function searchProducts(
  search: ProductSearch,
  options: { after?: RelevanceCursor | NewestCursor | BestSellingCursor; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const words = searchWords(search.q ?? "");
  const sort = search.sort === "relevance" && !words.length ? "newest" : (search.sort ?? "relevance");
  const conditions: SQL[] = [sql`p.active`];
  if (words.length) conditions.push(sql`s.search_document @@ q.query`);
  if (search.type) conditions.push(sql`p.type = ${search.type}`);
  const rank = words.length ? sql`(ts_rank(s.search_document, q.query) * ${RANK_SCALE})::int` : sql`0`;
  const inner = sql`
    select p.id, p.title, p.type, p.mockup_key, p.base_price_cents, p.currency, p.units_sold, p.created_at,
           u.username as designer_username, p.created_at::text as created_key, ${rank} as rank_key
      from products p
      join submissions s on s.id = p.submission_id
      join users u on u.id = p.designer_id
      ${words.length ? sql`cross join (select ${wordsQuery(words)} as query) q` : sql``}
     where ${sql.join(conditions, sql` and `)}`;
  const after = options.after;
  let statement: SQL;
  if (sort === "relevance") {
    statement = sql`select * from (${inner}) m
      ${after ? sql`where ${afterKey([sql`m.rank_key`, sql`m.id`], after, "desc", ["int", "uuid"])}` : sql``}
      order by m.rank_key desc, m.id desc limit ${size + 1}`;
  } else if (sort === "best-selling") {
    statement = sql`${inner}
      ${after ? sql`and ${afterKey([sql`p.units_sold`, sql`p.created_at`, sql`p.id`], after, "desc", ["int", "timestamptz", "uuid"])}` : sql``}
      order by p.units_sold desc, p.created_at desc, p.id desc limit ${size + 1}`;
  } else {
    statement = sql`${inner}
      ${after ? sql`and ${afterKey([sql`p.created_at`, sql`p.id`], after, "desc", ["timestamptz", "uuid"])}` : sql``}
      order by p.created_at desc, p.id desc limit ${size + 1}`;
  }
  const rows = await searchRows<ProductRow>(statement, { prepare: true });
  return mapPage(
    pageOf(rows, size, (r): RelevanceCursor | NewestCursor | BestSellingCursor =>
      sort === "relevance"
        ? [r.rank_key, r.id]
        : sort === "best-selling"
          ? [r.units_sold, r.created_key, r.id]
          : [r.created_key, r.id],
    ),
    (r) => ({
      id: r.id,
      title: r.title,
      type: r.type,
      mockupUrl: publicUrl(r.mockup_key),
      basePriceCents: r.base_price_cents,
      currency: r.currency,
      designerUsername: r.designer_username,
    }),
  );
}

type DesignerRow = {
  id: string;
  username: string;
  display_name: string | null;
  avatar: AvatarImages | null;
  rank_key: number;
};

/** LIKE's own characters in a member's text match themselves. */
function likePattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * How many members each tier of a designer search may bring (see searchDesigners):
 * the most a search lists, whatever the data, and what bounds its cost.
 */
const DESIGNER_TIER_LIMIT = 500;
const DESIGNER_TYPO_LIMIT = 200;
/** Above every code point: `prefix` ≤ a string < `prefix + this` is "starts with prefix", byte-wise. */
const AFTER_EVERY_CHARACTER = "\u{10FFFF}";

/**
 * Members found by username or display name, deleted accounts never. Three
 * tiers, each bounded, then ranked together (ADR 016):
 * 1. the username typed whole (first) or begun: a range of the
 *    `users_username_prefix_idx` btree, so "member4242" costs the same
 *    however many "memberN" there are;
 * 2. a part of the username or display name (`LIKE`, every trigram of the
 *    text must be there, through `users_name_trgm_idx`);
 * 3. a close spelling of one of their words (pg_trgm word similarity, `<%`,
 *    its default threshold 0.6), at most DESIGNER_TYPO_LIMIT of them: where
 *    thousands of names are about as close (all "memberN"), the first the
 *    index gives are ranked, not all. (A lower threshold would forgive more
 *    typos, but then the index hands over thousands of such names that the
 *    exact check rejects one by one: 190 ms for "membr4242".)
 * The rank is the tier, then how close the closest word is plus how close the
 * whole username is (so of two names with "lamplight", the one whose username
 * is the typo's leads), then the id; with no words, everyone by username.
 */
export async function searchDesigners(
  search: { q?: string },
  options: { after?: RelevanceCursor | UsernameCursor; size?: number } = {},
): Promise<Page<{ id: string; username: string; displayName: string | null; avatarUrl: string | null }>> {
  const size = options.size ?? PAGE_SIZE;
  const text = searchWords(search.q ?? "").join(" ");
  const name = sql`(u.username || ' ' || lower(coalesce(u.display_name, '')))`;
  const after = options.after;
  const statement = text
    ? sql`select * from (
        select u.id, u.username, u.display_name, u.avatar,
               (c.tier * ${3 * RANK_SCALE}
                 + (word_similarity(${text}, ${name}) + similarity(${text}, u.username)) * ${RANK_SCALE})::int as rank_key
          from (
            select t.id, max(t.tier) as tier from (
              (select u.id, case when lower(u.username) = ${text} then 3 else 2 end as tier
                 from users u
                where u.deleted_at is null
                  and lower(u.username) ~>=~ ${text} and lower(u.username) ~<~ ${text + AFTER_EVERY_CHARACTER}
                order by lower(u.username) using ~<~ limit ${DESIGNER_TIER_LIMIT})
              union all
              (select u.id, 1 from users u
                where u.deleted_at is null and ${name} like ${likePattern(text)} limit ${DESIGNER_TIER_LIMIT})
              union all
              (select u.id, 0 from users u
                where u.deleted_at is null and ${text} <% ${name} limit ${DESIGNER_TYPO_LIMIT})
            ) t
            group by t.id
          ) c
          join users u on u.id = c.id
      ) m
      ${after ? sql`where ${afterKey([sql`m.rank_key`, sql`m.id`], after, "desc", ["int", "uuid"])}` : sql``}
      order by m.rank_key desc, m.id desc limit ${size + 1}`
    : sql`select u.id, u.username, u.display_name, u.avatar, 0 as rank_key
          from users u
         where u.deleted_at is null
           ${after ? sql`and ${afterKey([sql`lower(u.username)`, sql`u.id`], after, "asc", ["text", "uuid"])}` : sql``}
         order by lower(u.username), u.id limit ${size + 1}`;
  const rows = await searchRows<DesignerRow>(statement, { prepare: false });
  return mapPage(
    pageOf(rows, size, (r): RelevanceCursor | UsernameCursor => (text ? [r.rank_key, r.id] : [r.username, r.id])),
    (r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      avatarUrl: r.avatar ? publicAvatar(r.avatar).small : null,
    }),
  );
}

type TaggedDesignRow = Omit<DesignRow, "rank_key" | "round_title" | "round_slug">;

/** A tag's public designs, newest first (through `submissions_tags_idx`). `tag` is normalised already. */
export async function designsWithTag(tag: string, options: { after?: NewestCursor; size?: number; now?: Date } = {}) {
  const size = options.size ?? PAGE_SIZE;
  const now = options.now ?? new Date();
  const rows = await searchRows<TaggedDesignRow>(
    sql`select s.id, s.title, s.tags, s.images, u.username as designer_username, s.created_at::text as created_key
          from submissions s
          join rounds r on r.id = s.round_id
          join users u on u.id = s.designer_id
         where s.status = 'approved' and s.tags @> array[${tag}]::text[] and ${roundIsPublic(now)}
           ${options.after ? sql`and ${afterKey([sql`s.created_at`, sql`s.id`], options.after, "desc", ["timestamptz", "uuid"])}` : sql``}
         order by s.created_at desc, s.id desc limit ${size + 1}`,
    { prepare: true },
  );
  return mapPage(
    pageOf(rows, size, (r): NewestCursor => [r.created_key, r.id]),
    (r) =>
      withPublicArtwork({
        id: r.id,
        title: r.title,
        tags: r.tags,
        images: r.images,
        designerUsername: r.designer_username,
      }),
  );
}

/** Active products whose design carries `tag`, newest first. */
export async function productsWithTag(tag: string, options: { after?: NewestCursor; size?: number } = {}) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await searchRows<ProductRow>(
    sql`select p.id, p.title, p.type, p.mockup_key, p.base_price_cents, p.currency, p.units_sold,
               u.username as designer_username, p.created_at::text as created_key, 0 as rank_key
          from products p
          join submissions s on s.id = p.submission_id
          join users u on u.id = p.designer_id
         where p.active and s.status = 'approved' and s.tags @> array[${tag}]::text[]
           ${options.after ? sql`and ${afterKey([sql`p.created_at`, sql`p.id`], options.after, "desc", ["timestamptz", "uuid"])}` : sql``}
         order by p.created_at desc, p.id desc limit ${size + 1}`,
    { prepare: true },
  );
  return mapPage(
    pageOf(rows, size, (r): NewestCursor => [r.created_key, r.id]),
    (r) => ({
      id: r.id,
      title: r.title,
      type: r.type,
      mockupUrl: publicUrl(r.mockup_key),
      basePriceCents: r.base_price_cents,
      currency: r.currency,
      designerUsername: r.designer_username,
    }),
  );
}

/** Rounds a visitor can filter designs by: every round that has opened, newest first. */
export async function searchableRounds(now = new Date()) {
  return searchRows<{ slug: string; title: string }>(
    sql`select r.slug, r.title from rounds r where ${roundIsPublic(now)} order by r.submissions_open_at desc limit 100`,
    { prepare: true },
  );
}
