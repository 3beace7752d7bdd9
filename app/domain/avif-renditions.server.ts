import { eq, sql } from "drizzle-orm";
import { avifJobs, submissions, type ArtworkImages } from "#db/schema";
import { db, queryRows, type DbOrTx } from "~/lib/db.server";
import { encodeAvifRenditions, type EncodedFile, type RawImage } from "~/lib/images/artwork.server";
import { inImageTurn } from "~/lib/images/image-turn.server";
import { contentKey, getStorage, removeFiles, type Storage } from "~/lib/storage.server";

/**
 * AVIF after the answer (ADR 017). An upload stores its WebP renditions and
 * answers; the AVIF beside them (58% of an upload's CPU, and only ever a
 * smaller file) is made afterwards by whichever server claims the job: from
 * the preview's pixels that the upload handed over, when this process took
 * the upload, or else from the stored print master (decoding a print-size
 * master costs about as much again as the AVIF). Until then pages serve the
 * WebP, which is complete.
 */

/** A claimed job is left alone this long; a server that died mid-encode hands it on when it runs out. */
const LEASE_SECONDS = 300;
/** After this many failed tries the WebP stays on its own. */
const MAX_ATTEMPTS = 3;

/** Queues a new submission's AVIF, in the transaction that writes the submission. */
export async function queueAvif(tx: DbOrTx, submissionId: string) {
  await tx.insert(avifJobs).values({ submissionId });
}

type Claimed = { submission_id: string; attempts: number; images: ArtworkImages };

export type AvifOutcome = { encoded: number; failed: number };

/**
 * Makes the AVIF of up to `limit` queued submissions, oldest first. A job is
 * claimed with SKIP LOCKED and a lease, so several servers can run this at
 * once and none encodes a design another is encoding. The files go in first
 * and the keys after, in the same statement that deletes the job: a crash
 * between the two leaves files that the retry writes again under the same
 * content keys, never a key without its file.
 */
export async function encodeDueAvif(
  options: { limit?: number; storage?: Storage; now?: Date } = {},
): Promise<AvifOutcome> {
  const at = (options.now ?? new Date()).toISOString();
  const storage = options.storage ?? getStorage();
  const claimed = await queryRows<Claimed>(
    db,
    sql`update ${avifJobs} j set locked_until = ${at}::timestamptz + make_interval(secs => ${LEASE_SECONDS}), attempts = j.attempts + 1
        from ${submissions} s
        where s.id = j.submission_id and j.submission_id in (
          select submission_id from ${avifJobs}
          where locked_until is null or locked_until <= ${at}::timestamptz
          order by created_at
          limit ${options.limit ?? 1}
          for update skip locked)
        returning j.submission_id, j.attempts, s.images`,
  );
  const outcome: AvifOutcome = { encoded: 0, failed: 0 };
  for (const job of claimed) {
    try {
      await encodeOne(storage, job.submission_id, job.images);
      outcome.encoded++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = job.attempts >= MAX_ATTEMPTS;
      // Otherwise the lease stands: the next try comes when it runs out, not at once.
      if (giveUp) await db.delete(avifJobs).where(eq(avifJobs.submissionId, job.submission_id));
      outcome.failed++;
      console.warn(
        `[images] AVIF for submission ${job.submission_id} failed (attempt ${job.attempts}${giveUp ? ", gave up: the WebP stays on its own" : ""}): ${message}`,
      );
    }
  }
  return outcome;
}

/** Reads back what an upload made, for a job whose upload handed nothing over. */
async function fromStorage(storage: Storage, images: ArtworkImages): Promise<HandedOver> {
  const [master, previewWebp, thumbWebp] = await Promise.all(
    [images.master, images.preview.webp, images.thumb.webp].map((key) => storage.get(key)),
  );
  if (!master || !previewWebp || !thumbWebp) throw new Error("a stored rendition is missing");
  return {
    source: { master: master.body },
    webpBytes: { preview: previewWebp.body.length, thumb: thumbWebp.body.length },
  };
}

async function encodeOne(storage: Storage, submissionId: string, images: ArtworkImages) {
  const handed = handedOver.get(submissionId);
  handedOver.delete(submissionId);
  const { source, webpBytes } = handed ?? (await fromStorage(storage, images));
  const avif = await inImageTurn(() => encodeAvifRenditions(source, webpBytes));
  const created: string[] = [];
  const put = async (file: EncodedFile | undefined) => {
    if (!file) return null;
    const key = contentKey("public", file.body, file.contentType);
    if ((await storage.put(key, file.body, file.contentType)).created) created.push(key);
    return key;
  };
  try {
    const previewKey = await put(avif.preview);
    const thumbKey = await put(avif.thumb);
    // Only the AVIF keys change, and only if the job is still there to finish: another server that
    // outlived a lease may have finished it first.
    const finished = await queryRows<{ submission_id: string }>(
      db,
      sql`with job as (delete from ${avifJobs} where submission_id = ${submissionId} returning submission_id)
          update ${submissions} s set images = s.images
            || jsonb_build_object('preview', (s.images -> 'preview') || jsonb_strip_nulls(jsonb_build_object('avif', ${previewKey}::text)))
            || jsonb_build_object('thumb', (s.images -> 'thumb') || jsonb_strip_nulls(jsonb_build_object('avif', ${thumbKey}::text)))
          from job where s.id = job.submission_id
          returning s.id as submission_id`,
    );
    if (!finished.length) await removeUnreferenced(storage, submissionId, created);
  } catch (error) {
    await removeFiles(storage, created);
    throw error;
  }
}

/** Files this run wrote that the submission does not use (the other server's AVIF came out different). */
async function removeUnreferenced(storage: Storage, submissionId: string, created: string[]) {
  const [row] = await db
    .select({ images: submissions.images })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  const used = new Set([row?.images.preview.avif, row?.images.thumb.avif]);
  await removeFiles(
    storage,
    created.filter((key) => !used.has(key)),
  );
}

/**
 * Works through every queued job that is not claimed elsewhere, one at a
 * time, until the queue is empty or `stop()` says so. Pixels handed over for
 * jobs that this process did not get to claim are let go at the end: another
 * server has them, and a retry reads the master.
 */
export async function encodeAllDueAvif(stop: () => boolean = () => false): Promise<AvifOutcome> {
  const total: AvifOutcome = { encoded: 0, failed: 0 };
  while (!stop()) {
    const outcome = await encodeDueAvif();
    total.encoded += outcome.encoded;
    total.failed += outcome.failed;
    if (outcome.encoded + outcome.failed === 0) {
      handedOver.clear();
      break;
    }
  }
  return total;
}

type HandedOver = {
  source: { previewPixels: RawImage } | { master: Buffer };
  webpBytes: { preview: number; thumb: number };
};

/** A 1200 px preview's pixels are 5.8 MB; a burst of uploads beyond this many leaves the rest to the master. */
const MAX_HANDED_OVER = 4;
const handedOver = new Map<string, HandedOver>();
let onQueued: (() => void) | undefined;

/** The server's worker (app/entry.server.tsx) asks to hear of new jobs; scripts and tests leave them to a sweep. */
export function listenForAvifJobs(listener: (() => void) | undefined) {
  onQueued = listener;
  if (!listener) handedOver.clear();
}

/**
 * Tells this process's worker, if it has one, that a job was committed, and
 * hands it the preview's pixels, so that it need not decode the master again.
 */
export function avifJobQueued(
  submissionId: string,
  upload: { previewPixels: RawImage; webpBytes: HandedOver["webpBytes"] },
) {
  if (!onQueued) return;
  if (handedOver.size < MAX_HANDED_OVER) {
    handedOver.set(submissionId, { source: { previewPixels: upload.previewPixels }, webpBytes: upload.webpBytes });
  }
  onQueued();
}
