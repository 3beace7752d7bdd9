import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { favourites, submissions, users } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { productsOfDesigns } from "./shop.server";
import { afterKey, pageOf, PAGE_SIZE, timestampKey, timestampKeyShape } from "~/lib/pagination.server";
import { withPublicArtwork } from "~/lib/storage.server";
import { notifyAll } from "./notifications.server";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage } from "./page";

/**
 * Favourites: a member keeps designs they like (the heart on design and
 * product pages) in a list under their account. A product is a design on a
 * product type, so the heart on a product saves its design, and the saved
 * list links a design to its products once it has some.
 */

const NOT_SAVEABLE = "There is no design to save at this address.";

/**
 * Saves a design for the member; saving it again changes nothing. Only
 * designs the public can see (approved) can be saved: a forged or private
 * id is refused and nothing is written.
 */
export async function saveFavourite(userId: string, submissionId: string): Promise<Outcome> {
  const [design] = await db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(eq(submissions.id, submissionId), eq(submissions.status, "approved")))
    .limit(1);
  if (!design) return fail("not_found", NOT_SAVEABLE);
  await db.insert(favourites).values({ userId, submissionId }).onConflictDoNothing();
  return ok();
}

/** Takes a design off the member's list; one that was not on it is fine. */
export async function removeFavourite(userId: string, submissionId: string): Promise<Outcome> {
  await db.delete(favourites).where(and(eq(favourites.userId, userId), eq(favourites.submissionId, submissionId)));
  return ok();
}

export async function isFavourite(userId: string, submissionId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: favourites.submissionId })
    .from(favourites)
    .where(and(eq(favourites.userId, userId), eq(favourites.submissionId, submissionId)))
    .limit(1);
  return Boolean(row);
}

/** Where a page of the saved list ends: the last favourite's time and design id. */
export const favouriteCursor = z.tuple([timestampKeyShape, z.uuid()]);

/**
 * A member's saved designs, newest first, a page at a time (one walk of
 * `favourites_user_idx`), each with the products it became (a design has
 * one per product type, so at most a few). A design taken down since it was
 * saved (withdrawn, disqualified) drops out of the list.
 */
export async function favouritesOf(
  userId: string,
  options: { after?: z.output<typeof favouriteCursor>; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: submissions.id,
      title: submissions.title,
      images: submissions.images,
      designerUsername: users.username,
      savedAt: favourites.createdAt,
      key: timestampKey(favourites.createdAt),
    })
    .from(favourites)
    .innerJoin(submissions, eq(submissions.id, favourites.submissionId))
    .innerJoin(users, eq(users.id, submissions.designerId))
    .where(
      and(
        eq(favourites.userId, userId),
        eq(submissions.status, "approved"),
        afterKey([favourites.createdAt, favourites.submissionId], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(favourites.createdAt), desc(favourites.submissionId))
    .limit(size + 1);
  const page = pageOf(rows, size, (r): z.output<typeof favouriteCursor> => [r.key, r.id]);
  const goods = await productsOfDesigns(page.items.map((r) => r.id));
  return mapPage(page, ({ key: _key, ...row }) => ({ ...withPublicArtwork(row), products: goods.get(row.id) ?? [] }));
}

/**
 * Called by finalize, in its transaction, for each winning design that just
 * became products: everyone who saved it hears so (in the bell, and by email
 * if they asked for it), except its designer, who hears that they won.
 * Finalize runs once per round, so each member hears once.
 */
export async function notifyFavouritersOfProduct(
  runner: DbOrTx,
  design: { submissionId: string; designerId: string; title: string; productId: string },
) {
  const fans = await runner
    .select({ id: favourites.userId })
    .from(favourites)
    .where(eq(favourites.submissionId, design.submissionId));
  await notifyAll(runner, {
    userIds: fans.map((f) => f.id),
    actorId: design.designerId,
    kind: "favourite_in_shop",
    title: `"${design.title}", a design you saved, is now in the shop`,
    url: `/shop/${design.productId}`,
  });
}
