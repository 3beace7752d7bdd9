import { and, asc, desc, eq, sql } from "drizzle-orm";
import { unitsSoldSql } from "./orders.server";
import { products, productVariants, rounds, submissions, users } from "#db/schema";
import { db } from "~/lib/db.server";

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

export type ShopSort = "newest" | "best-selling";

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
    );
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

export async function findProduct(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [product] = await db
    .select({ ...productCard, shareKey: sql<string>`${submissions.images}->>'share'` })
    .from(products)
    .innerJoin(users, eq(users.id, products.designerId))
    .innerJoin(rounds, eq(rounds.id, products.roundId))
    .innerJoin(submissions, eq(submissions.id, products.submissionId))
    .where(and(eq(products.id, id), eq(products.active, true)))
    .limit(1);
  if (!product) return null;
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
  return { ...product, variants, siblings };
}
