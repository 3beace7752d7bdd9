import { and, asc, eq, sql } from "drizzle-orm";
import { cartItems, carts, products, productVariants, users } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { publicUrl } from "~/lib/storage.server";
import { fail, ok, type Outcome } from "./outcome";

export const MAX_QUANTITY = 20;

/** A member's cart if they have one; reading never creates it. */
export async function findCartOfUser(userId: string): Promise<string | null> {
  const [existing] = await db.select({ id: carts.id }).from(carts).where(eq(carts.userId, userId)).limit(1);
  return existing?.id ?? null;
}

export async function cartOfUser(userId: string): Promise<string> {
  const existing = await findCartOfUser(userId);
  if (existing) return existing;
  const [created] = await db.insert(carts).values({ userId }).onConflictDoNothing().returning({ id: carts.id });
  if (created) return created.id;
  const [raced] = await db.select({ id: carts.id }).from(carts).where(eq(carts.userId, userId)).limit(1);
  return raced!.id;
}

export async function guestCartExists(cartId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: carts.id })
    .from(carts)
    .where(and(eq(carts.id, cartId), sql`${carts.userId} is null`))
    .limit(1);
  return Boolean(row);
}

export async function createGuestCart(): Promise<string> {
  const [row] = await db.insert(carts).values({}).returning({ id: carts.id });
  return row!.id;
}

/** Adds to what is already in the cart, up to the per-line maximum. */
export async function addToCart(
  cartId: string,
  variantId: string,
  quantity: number,
  options: { productId?: string } = {},
): Promise<Outcome> {
  const [variant] = await db
    .select({ id: productVariants.id, productId: productVariants.productId })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(and(eq(productVariants.id, variantId), eq(products.active, true)))
    .limit(1);
  if (!variant) return fail("conflict", "That product is no longer in the shop.");
  // From a product's page, the size must be one of that product's (a forged form could name another's).
  if (options.productId && variant.productId !== options.productId)
    return fail("invalid", "Choose one of this product's sizes", { field: "variantId" });
  await db
    .insert(cartItems)
    .values({ cartId, variantId, quantity: Math.min(quantity, MAX_QUANTITY) })
    .onConflictDoUpdate({
      target: [cartItems.cartId, cartItems.variantId],
      set: { quantity: sql`least(${cartItems.quantity} + ${quantity}, ${MAX_QUANTITY})` },
    });
  await db.update(carts).set({ updatedAt: new Date() }).where(eq(carts.id, cartId));
  return ok();
}

/** Sets a line's quantity; zero removes it. */
export async function setQuantity(cartId: string, variantId: string, quantity: number) {
  if (quantity <= 0) {
    await db.delete(cartItems).where(and(eq(cartItems.cartId, cartId), eq(cartItems.variantId, variantId)));
    return;
  }
  await db
    .update(cartItems)
    .set({ quantity: Math.min(quantity, MAX_QUANTITY) })
    .where(and(eq(cartItems.cartId, cartId), eq(cartItems.variantId, variantId)));
}

/** What is in a cart, at today's prices (orders copy them when placed). */
export async function cartContents(cartId: string, runner: DbOrTx = db) {
  const rows = await runner
    .select({
      variantId: cartItems.variantId,
      quantity: cartItems.quantity,
      size: productVariants.size,
      unitPriceCents: productVariants.priceCents,
      productId: products.id,
      title: products.title,
      type: products.type,
      mockupKey: products.mockupKey,
      currency: products.currency,
      royaltyBps: products.royaltyBps,
      designerId: products.designerId,
      designerUsername: users.username,
      active: products.active,
    })
    .from(cartItems)
    .innerJoin(productVariants, eq(productVariants.id, cartItems.variantId))
    .innerJoin(products, eq(products.id, productVariants.productId))
    .innerJoin(users, eq(users.id, products.designerId))
    .where(eq(cartItems.cartId, cartId))
    .orderBy(asc(cartItems.addedAt), asc(products.title));
  const lines = rows.map(({ mockupKey, ...line }) => ({ ...line, mockupUrl: publicUrl(mockupKey) }));
  const subtotalCents = lines.reduce((n, l) => n + l.unitPriceCents * l.quantity, 0);
  return { lines, subtotalCents, itemCount: lines.reduce((n, l) => n + l.quantity, 0) };
}

/** At log-in, a guest's cart joins the member's: quantities add up, the guest cart goes. */
export async function mergeGuestCart(guestCartId: string, userId: string) {
  if (!(await guestCartExists(guestCartId))) return;
  const target = await cartOfUser(userId);
  await db.transaction(async (tx) => {
    const items = await tx.select().from(cartItems).where(eq(cartItems.cartId, guestCartId));
    for (const item of items) {
      await tx
        .insert(cartItems)
        .values({ cartId: target, variantId: item.variantId, quantity: item.quantity })
        .onConflictDoUpdate({
          target: [cartItems.cartId, cartItems.variantId],
          set: { quantity: sql`least(${cartItems.quantity} + ${item.quantity}, ${MAX_QUANTITY})` },
        });
    }
    await tx.delete(carts).where(eq(carts.id, guestCartId));
  });
}

export async function cartItemCount(cartId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${cartItems.quantity}), 0)::int` })
    .from(cartItems)
    .where(eq(cartItems.cartId, cartId));
  return row?.n ?? 0;
}
