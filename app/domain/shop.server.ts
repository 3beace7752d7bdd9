import { and, asc, desc, eq, sql } from "drizzle-orm";
import { unitsSoldSql } from "./orders.server";
import { products, productVariants, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { publicUrl } from "~/lib/storage.server";

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

/** Products in the shop, filtered, newest or best-selling first. */
export async function listProducts(
  filters: { type?: "tee" | "poster"; roundSlug?: string; designer?: string; sort?: ShopSort } = {},
) {
  const conditions = [eq(products.active, true)];
  if (filters.type) conditions.push(eq(products.type, filters.type));
  if (filters.roundSlug) conditions.push(eq(rounds.slug, filters.roundSlug));
  if (filters.designer) conditions.push(eq(users.username, filters.designer.toLowerCase()));
  const sold = unitsSoldSql();
  return db
    .select({ ...productCard, unitsSold: sold })
    .from(products)
    .innerJoin(users, eq(users.id, products.designerId))
    .innerJoin(rounds, eq(rounds.id, products.roundId))
    .where(and(...conditions))
    .orderBy(
      ...(filters.sort === "best-selling" ? [desc(sold)] : []),
      desc(products.createdAt),
      asc(products.title),
      asc(products.type),
    )
    .then((rows) => rows.map(withMockupUrl));
}

/** What the shop's filters can offer: rounds and designers that have products. */
export async function shopFacets() {
  const rows = await db
    .selectDistinct({ roundSlug: rounds.slug, roundTitle: rounds.title, designer: users.username })
    .from(products)
    .innerJoin(users, eq(users.id, products.designerId))
    .innerJoin(rounds, eq(rounds.id, products.roundId))
    .where(eq(products.active, true));
  const roundsBySlug = new Map(rows.map((r) => [r.roundSlug, r.roundTitle]));
  return {
    rounds: [...roundsBySlug].map(([slug, title]) => ({ slug, title })).sort((a, b) => a.title.localeCompare(b.title)),
    designers: [...new Set(rows.map((r) => r.designer))].sort(),
  };
}

/** An active product with its sizes and sister products; `id` is a uuid (the route checks it). */
export async function findProduct(id: string) {
  const [row] = await db
    .select({ ...productCard, shareKey: sql<string>`${submissions.images}->>'share'` })
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
