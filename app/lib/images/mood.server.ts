import { ArtworkRejected, inspectArtwork, type EncodedFile } from "./artwork.server";
import { loadSharp, sharp } from "./sharp.server";

/** Mood images are for looking at, not printing: small enough to be any photo, big enough to read. */
export const MOOD_MIN_SIDE = 200;

export type ProcessedMoodImage = { large: EncodedFile; small: EncodedFile; width: number; height: number };

/**
 * A round proposal's mood image through the artwork checks (format sniffed
 * from the bytes, no SVG or animation, pixel limit, corrupt files refused),
 * then auto-oriented, converted to sRGB and written as metadata-free WebP:
 * at most 1200 px on its long side, and a 400 px thumbnail.
 */
export async function processMoodImage(bytes: Buffer, maxPixels: number): Promise<ProcessedMoodImage> {
  await loadSharp();
  await inspectArtwork(bytes, { maxPixels, minWidth: MOOD_MIN_SIDE, minHeight: MOOD_MIN_SIDE });
  try {
    const oriented = () =>
      sharp(bytes, { limitInputPixels: maxPixels, failOn: "warning" }).rotate().toColourspace("srgb");
    const large = await oriented()
      .resize(1200, 1200, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const small = await oriented()
      .resize(400, 400, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
    return {
      large: { body: large.data, contentType: "image/webp" },
      small: { body: small, contentType: "image/webp" },
      width: large.info.width,
      height: large.info.height,
    };
  } catch {
    throw new ArtworkRejected("corrupt", "The image is damaged or incomplete. Export it again and re-upload.");
  }
}
