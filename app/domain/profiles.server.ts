import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { roundResults, rounds, submissions, users, type AvatarImages } from "#db/schema";
import type { z } from "zod";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { ArtworkRejected, type EncodedFile } from "~/lib/images/artwork.server";
import { afterKey, pageOf, PAGE_SIZE, timestampKey } from "~/lib/pagination.server";
import { processAvatar } from "~/lib/images/avatar.server";
import { renderCommentMarkdown } from "~/lib/markdown.server";
import { inImageTurn } from "~/lib/images/image-turn.server";
import {
  contentKey,
  getStorage,
  publicAvatar,
  removeFiles,
  withPublicArtwork,
  type Storage,
} from "~/lib/storage.server";
import type { ProfileInput } from "./profile-forms";
import { type designerCursor, usernameIs } from "./submissions.server";
import { fail, ok, type Outcome } from "./outcome";
import { mapPage } from "./page";

/** A member's public profile; deleted accounts have none. The bio is rendered as inert markdown. */
export async function findProfile(username: string) {
  const [row] = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      bio: users.bio,
      links: users.links,
      avatar: users.avatar,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(and(usernameIs(username), isNull(users.deletedAt)));
  if (!row) return null;
  return {
    ...row,
    avatar: row.avatar ? publicAvatar(row.avatar) : null,
    bioHtml: row.bio ? renderCommentMarkdown(row.bio) : "",
  };
}

/**
 * Designs of this member that won a round, newest design first, a page at a
 * time: a walk of their designs (`submissions_designer_idx`) keeping those
 * with a winning result. The cursor has the shape of `designerCursor`.
 */
export async function winsOf(
  designerId: string,
  options: { after?: z.output<typeof designerCursor>; size?: number } = {},
) {
  const size = options.size ?? PAGE_SIZE;
  const rows = await db
    .select({
      id: submissions.id,
      title: submissions.title,
      images: submissions.images,
      rank: roundResults.rank,
      roundTitle: rounds.title,
      roundSlug: rounds.slug,
      key: timestampKey(submissions.createdAt),
    })
    .from(submissions)
    .innerJoin(
      roundResults,
      and(eq(roundResults.roundId, submissions.roundId), eq(roundResults.submissionId, submissions.id)),
    )
    .innerJoin(rounds, eq(rounds.id, submissions.roundId))
    .where(
      and(
        eq(submissions.designerId, designerId),
        eq(roundResults.winner, true),
        afterKey([submissions.createdAt, submissions.id], options.after, "desc", ["timestamptz", "uuid"]),
      ),
    )
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(size + 1);
  return mapPage(
    pageOf(rows, size, (r) => [r.key, r.id]),
    ({ key: _key, ...win }) => withPublicArtwork(win),
  );
}

export async function updateProfile(userId: string, input: ProfileInput) {
  await db
    .update(users)
    .set({ displayName: input.displayName || null, bio: input.bio ?? "", links: input.links })
    .where(eq(users.id, userId));
}

async function otherUsersOf(key: string, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(
      and(
        sql`${users.id} <> ${userId}`,
        or(sql`${users.avatar}->>'large' = ${key}`, sql`${users.avatar}->>'small' = ${key}`),
      ),
    );
  return row?.n ?? 0;
}

/** Deletes an avatar's files unless another member's avatar has the same bytes (keys are content hashes). */
export async function discardAvatarFiles(avatar: AvatarImages | null, userId: string, storage: Storage = getStorage()) {
  if (!avatar) return;
  for (const key of [avatar.large, avatar.small]) {
    if ((await otherUsersOf(key, userId)) === 0) await storage.delete(key).catch(() => undefined);
  }
}

/**
 * Replaces the member's avatar. A refused file stores nothing; if saving the
 * row fails, the files this call wrote are removed; the old avatar's files
 * go once the new one is saved.
 */
export async function setAvatar(userId: string, bytes: Buffer, storage: Storage = getStorage()): Promise<Outcome> {
  let files: { large: EncodedFile; small: EncodedFile };
  try {
    files = await inImageTurn(() => processAvatar(bytes, getEnv().IMAGE_MAX_PIXELS));
  } catch (error) {
    if (error instanceof ArtworkRejected)
      return fail("invalid", error.message.replace("this round needs", "avatars need"));
    throw error;
  }
  const created: string[] = [];
  try {
    const put = async (file: EncodedFile) => {
      const key = contentKey("public", file.body, file.contentType);
      if ((await storage.put(key, file.body, file.contentType)).created) created.push(key);
      return key;
    };
    const avatar = { large: await put(files.large), small: await put(files.small) };
    const [before] = await db.select({ avatar: users.avatar }).from(users).where(eq(users.id, userId));
    await db.update(users).set({ avatar }).where(eq(users.id, userId));
    if (before?.avatar && before.avatar.large !== avatar.large)
      await discardAvatarFiles(before.avatar, userId, storage);
    return ok();
  } catch (error) {
    await removeFiles(storage, created);
    throw error;
  }
}

export async function removeAvatar(userId: string, storage: Storage = getStorage()) {
  const [before] = await db.select({ avatar: users.avatar }).from(users).where(eq(users.id, userId));
  await db.update(users).set({ avatar: null }).where(eq(users.id, userId));
  await discardAvatarFiles(before?.avatar ?? null, userId, storage);
}

export async function settingsOf(userId: string) {
  const [row] = await db
    .select({
      username: users.username,
      email: users.email,
      displayName: users.displayName,
      bio: users.bio,
      links: users.links,
      avatar: users.avatar,
      notificationPrefs: users.notificationPrefs,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ? { ...row, avatar: row.avatar ? publicAvatar(row.avatar) : null } : null;
}
