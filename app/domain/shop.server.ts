import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { products, productVariants, rounds, submissions, users } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { afterKey, intKeyShape, pageOf, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { publicUrl } from "~/lib/storage.server";
import { mapPage } from "./page";
import { usernameIs } from "./submissions.server";

const productCard = {
  id: products.id,
  title: products.title,
  type: products.type,
  mockupKey: products.mockupKey,
  basePriceCents: products.basePriceCents,
  currency: products.currency,
  createdAt: products.createdAt,
  designerUsername: users.username,
  roundTitle: rounds.title,
  roundSlug: rounds.slug,
  submissionId: products.submissionId,
};

export const SHOP_SORTS = ["newest", "best-selling"] as const;
export type ShopSort = (typeof SHOP_SORTS)[number];

/** A product as the shop shows it: its mockup as a URL, never a storage key. */
function withMockupUrl<T extends { mockupKey: string }>({ mockupKey, ...product }: T) {
  return { ...product, mockupUrl: publicUrl(mockupKey) };
}

/** Where a page of the shop ends, newest first: the last product's creation time and id. */
export const newestProductCursor = z.tuple([timestampKeyShape, z.uuid()]);
/** …and best-selling first: its units sold before those. */
export const bestSellingCursor = z.tuple([intKeyShape, timestampKeyShape, z.uuid()]);

export type ShopFilters = { type?: "tee" | "poster"; roundSlug?: string; designer?: string };
export type ShopCursor = z.output<typeof newestProductCursor> | z.output<typeof bestSellingCursor>;

/** The cursor shape of a sort, for the edge to parse `after` with. */
export function shopCursorFor(sort: ShopSort) {
  return sort === "best-selling" ? bestSellingCursor : newestProductCursor;
}

/**
 * Products in the shop, filtered, a page at a time: newest first (creation
 * time, then id), or best-selling first (stored units sold, then newest).
 * Each order is one walk of a partial index on active products
 * (`products_newest_idx`, `products_best_selling_idx`, and their per-type
 * twins); a round's or a designer's products are few and found by their own
 * index. Units sold change as orders are paid, so a best-selling list read
 * over a long time can pass over a product that moved; newest is exact.
 */
export async function listProducts(
  filters: ShopFilters & { sort?: ShopSort } = {},
  options: { after?: ShopCursor; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const bestSelling = filters.sort === "best-selling";
  const conditions = [eq(products.active, true)];
  if (filters.type) conditions.push(eq(products.type, filters.type));
  if (filters.roundSlug) conditions.push(eq(rounds.slug, filters.roundSlug));
  if (filters.designer) conditions.push(usernameIs(filters.designer));
  const order = bestSelling ? [products.unitsSold, products.createdAt, products.id] : [products.createdAt, products.id];
  const casts = bestSelling ? ["int", "timestamptz", "uuid"] : ["timestamptz", "uuid"];
  const after = afterKey(order, options.after, "desc", casts);
  if (after) conditions.push(after);
  const rows = await db
    .select({ ...productCard, unitsSold: products.unitsSold, key: timestampKey(products.createdAt) })
    .from(products)
    .innerJoin(users, eq(users.id, products.designerId))
    .innerJoin(rounds, eq(rounds.id, products.roundId))
    .where(and(...conditions))
    .orderBy(...order.map((column) => desc(column)))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r): ShopCursor => (bestSelling ? [r.unitsSold, r.key, r.id] : [r.key, r.id])),
    ({ key: _key, ...product }) => withMockupUrl(product),
  );
}
/**
 * What the shop's filters can offer: the rounds that have products on sale. A
 * shop holds tens of thousands of products but only as many rounds as the
 * community has run, so this reads the rounds and asks the products index
 * one question each, never the whole shop. Designers are typed, not listed.
 */
export async function shopFacets() {
  const rows = await db
    .select({ slug: rounds.slug, title: rounds.title })
    .from(rounds)
    .where(sql`exists (select 1 from ${products} where ${products.roundId} = ${rounds.id} and ${products.active})`)
    .orderBy(asc(rounds.title));
  return { rounds: rows };
}

/** An active product with its sizes and sister products; `id` is a uuid (the route checks it). */
export async function findProduct(id: string) {
  const [row] = await db
    .select({
      ...productCard,
      tags: submissions.tags,
      shareKey: sql<string>`${submissions.images}->>'share'`,
      designerId: products.designerId,
      designerShareCode: users.shareCode,
    })
    .from(products)
    .innerJoin(users, eq(users.id, products.designerId))
    .innerJoin(rounds, eq(rounds.id, products.roundId))
    .innerJoin(submissions, eq(submissions.id, products.submissionId))
    .where(and(eq(products.id, id), eq(products.active, true)))
    .limit(1);
  if (!row) return null;
  const { shareKey, ...product } = withMockupUrl(row);
  const variants = await db
    .select({ id: productVariants.id, size: productVariants.size, priceCents: productVariants.priceCents })
    .from(productVariants)
    .where(eq(productVariants.productId, id))
    .orderBy(asc(productVariants.sortOrder));
  // The same design on the other product types, for the type picker.
  const siblings = await db
    .select({ id: products.id, type: products.type })
    .from(products)
    .where(and(eq(products.submissionId, product.submissionId), eq(products.active, true)))
    .orderBy(asc(products.type));
  return { ...product, shareUrl: publicUrl(shareKey), variants, siblings };
}

/** The active products some designs became, by design (through `products_one_per_type`). */
export async function productsOfDesigns(submissionIds: string[], runner: DbOrTx = db) {
  const byDesign = new Map<string, { id: string; type: "tee" | "poster" }[]>();
  if (submissionIds.length === 0) return byDesign;
  const rows = await runner
    .select({ id: products.id, type: products.type, submissionId: products.submissionId })
    .from(products)
    .where(and(inArray(products.submissionId, submissionIds), eq(products.active, true)))
    .orderBy(asc(products.type));
  for (const row of rows) {
    const list = byDesign.get(row.submissionId) ?? [];
    list.push({ id: row.id, type: row.type });
    byDesign.set(row.submissionId, list);
  }
  return byDesign;
}
