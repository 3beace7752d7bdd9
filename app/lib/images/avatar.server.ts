import type { OutputInfo } from "sharp";
import { ArtworkRejected, inspectArtwork, type EncodedFile } from "./artwork.server";
import { loadSharp, sharp } from "./sharp.server";

export const AVATAR_MIN_SIDE = 128;

/**
 * A profile picture through the same checks as artwork (format sniffed from
 * bytes, no SVG, no animation, pixel limit, corrupt files refused), then
 * auto-oriented, converted to sRGB, cropped square around the most
 * interesting part and written as metadata-free WebP at 256 and 64 px.
 */
export async function processAvatar(
  bytes: Buffer,
  maxPixels: number,
): Promise<{ large: EncodedFile; small: EncodedFile }> {
  const { strategy } = await loadSharp();
  await inspectArtwork(bytes, { maxPixels, minWidth: AVATAR_MIN_SIDE, minHeight: AVATAR_MIN_SIDE });
  let square: { data: Buffer; info: OutputInfo };
  try {
    square = await sharp(bytes, { limitInputPixels: maxPixels, failOn: "warning" })
      .rotate()
      .toColourspace("srgb")
      .resize(256, 256, { fit: "cover", position: strategy.attention })
      .flatten({ background: "#ffffff" })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new ArtworkRejected("corrupt", "The image is damaged or incomplete. Export it again and re-upload.");
  }
  const raw = () =>
    sharp(square.data, {
      raw: { width: square.info.width, height: square.info.height, channels: square.info.channels },
    });
  const [large, small] = await Promise.all([
    raw().webp({ quality: 82 }).toBuffer(),
    raw().resize(64, 64).webp({ quality: 80 }).toBuffer(),
  ]);
  return { large: { body: large, contentType: "image/webp" }, small: { body: small, contentType: "image/webp" } };
}
