import type { Metadata, OutputInfo, Sharp } from "sharp";
import { HASH_INPUT_SIZE, perceptualHash } from "~/domain/perceptual-hash";
import { getGarments, MOCKUP_SIZE, type Garment } from "./garments.server";
import { loadSharp, sharp } from "./sharp.server";

export type ArtworkLimits = { maxPixels: number; minWidth: number; minHeight: number };

export type RejectionCode =
  "not-an-image" | "svg" | "unsupported-format" | "animated" | "corrupt" | "too-small" | "too-many-pixels";

/** A file we refuse, with a message a designer can act on. */
export class ArtworkRejected extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
    this.name = "ArtworkRejected";
  }
}

type Format = "png" | "jpeg" | "webp";

/** Decides what a file is from its first bytes, never from its name or declared type. */
export function sniffFormat(bytes: Buffer): Format {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP")
    return "webp";
  const head = bytes
    .toString("utf8", 0, Math.min(bytes.length, 2048))
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg")) || head.includes("<svg")) {
    throw new ArtworkRejected("svg", "SVG files are not accepted. Export your artwork as a PNG, JPEG or WebP image.");
  }
  if (bytes.toString("latin1", 0, 4) === "GIF8") {
    throw new ArtworkRejected("unsupported-format", "GIF files are not accepted. Upload a PNG, JPEG or WebP image.");
  }
  if (
    /^(ii\*\0|mm\0\*)/.test(bytes.toString("latin1", 0, 4).toLowerCase()) ||
    bytes.toString("latin1", 4, 12).startsWith("ftyp")
  ) {
    throw new ArtworkRejected(
      "unsupported-format",
      "That image format is not accepted. Upload a PNG, JPEG or WebP image.",
    );
  }
  throw new ArtworkRejected("not-an-image", "This file is not an image. Upload a PNG, JPEG or WebP image.");
}

/** APNG announces its animation in an acTL chunk before the first IDAT. */
function isAnimatedPng(bytes: Buffer): boolean {
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    if (type === "acTL") return true;
    if (type === "IDAT" || type === "IEND") return false;
    offset += 12 + length;
  }
  return false;
}

/** An animated WebP sets the animation bit in its VP8X header. */
function isAnimatedWebp(bytes: Buffer): boolean {
  return bytes.length >= 21 && bytes.toString("latin1", 12, 16) === "VP8X" && (bytes[20]! & 0x02) !== 0;
}

const CORRUPT =
  "The image is damaged or incomplete (it may have been cut off while copying). Export it again and re-upload.";

export type InspectedArtwork = { format: Format; width: number; height: number };

/**
 * Everything that can be checked from the header, before a pixel is decoded:
 * format, animation, and the size (after auto-orientation).
 */
export async function inspectArtwork(bytes: Buffer, limits: ArtworkLimits): Promise<InspectedArtwork> {
  const format = sniffFormat(bytes);
  if ((format === "png" && isAnimatedPng(bytes)) || (format === "webp" && isAnimatedWebp(bytes))) {
    throw new ArtworkRejected("animated", "Animated images are not accepted. Upload a single still frame.");
  }
  await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ArtworkRejected("corrupt", CORRUPT);
  }
  if (meta.format !== format || !meta.width || !meta.height) throw new ArtworkRejected("corrupt", CORRUPT);
  if ((meta.pages ?? 1) > 1)
    throw new ArtworkRejected("animated", "Animated images are not accepted. Upload a single still frame.");
  if (meta.width * meta.height > limits.maxPixels) {
    const megapixels = Math.round(limits.maxPixels / 1e6);
    throw new ArtworkRejected(
      "too-many-pixels",
      `The image is ${meta.width} × ${meta.height} pixels, more than the ${megapixels}-megapixel limit. Scale it down and re-upload.`,
    );
  }
  // EXIF orientations 5–8 turn the picture a quarter: width and height swap.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  if (width < limits.minWidth || height < limits.minHeight) {
    throw new ArtworkRejected(
      "too-small",
      `The image is ${width} × ${height} pixels; this round needs at least ${limits.minWidth} × ${limits.minHeight}.`,
    );
  }
  return { format, width, height };
}

export type EncodedFile = { body: Buffer; contentType: "image/png" | "image/webp" | "image/avif" | "image/jpeg" };

export type ProcessedArtwork = {
  width: number;
  height: number;
  perceptualHash: string;
  master: EncodedFile;
  preview: { webp: EncodedFile; width: number; height: number };
  thumb: { webp: EncodedFile; width: number; height: number };
  mockups: { tee: EncodedFile; poster: EncodedFile };
  share: EncodedFile;
  /** The preview's pixels, for the AVIF made after the answer. */
  previewPixels: RawImage;
};

/** Decoded pixels, as libvips hands them over. */
export type RawImage = { data: Buffer; info: OutputInfo };

function fromRaw(raw: RawImage) {
  return sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: raw.info.channels } });
}

function webp(raw: RawImage): Promise<EncodedFile> {
  return fromRaw(raw)
    .webp({ quality: 82, effort: 4 })
    .toBuffer()
    .then((body) => ({ body, contentType: "image/webp" }));
}

/** AVIF is kept only where it is clearly smaller than the WebP beside it. */
const AVIF_MUST_SAVE = 0.85;

async function avifIfSmaller(raw: RawImage, webpBytes: number): Promise<EncodedFile | undefined> {
  const body = await fromRaw(raw).avif({ quality: 55, effort: 2 }).toBuffer();
  return body.length < webpBytes * AVIF_MUST_SAVE ? { body, contentType: "image/avif" } : undefined;
}

const PREVIEW_SIZE = 1200;
const THUMB_SIZE = 400;

/** The 1200 px preview's pixels, from the upload or from the print master made of it. */
function shrinkToPreview(image: Sharp): Promise<RawImage> {
  return image
    .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: "inside", withoutEnlargement: true })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
}

function thumbPixels(preview: RawImage): Promise<RawImage> {
  return fromRaw(preview)
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: "inside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
}

export type AvifRenditions = { preview?: EncodedFile; thumb?: EncodedFile };

/**
 * The AVIF beside the preview and the thumbnail, made after the upload has
 * been answered (ADR 017). From the preview's pixels when the process that
 * took the upload still holds them; otherwise (a restart, another process)
 * from the print master, which holds the upload's pixels already turned
 * upright and in sRGB, so the result is the same picture. `webpBytes` are the
 * sizes of the WebP files beside them; an AVIF that does not clearly beat
 * its WebP is not kept.
 */
export async function encodeAvifRenditions(
  source: { previewPixels: RawImage } | { master: Buffer },
  webpBytes: { preview: number; thumb: number },
): Promise<AvifRenditions> {
  await loadSharp();
  const preview =
    "previewPixels" in source
      ? source.previewPixels
      : await shrinkToPreview(sharp(source.master, { limitInputPixels: false, sequentialRead: true }));
  const thumb = await thumbPixels(preview);
  const [previewAvif, thumbAvif] = await Promise.all([
    avifIfSmaller(preview, webpBytes.preview),
    avifIfSmaller(thumb, webpBytes.thumb),
  ]);
  return { preview: previewAvif, thumb: thumbAvif };
}

async function mockup(art: RawImage, garment: Garment): Promise<EncodedFile> {
  const { printArea } = garment;
  const fitted = await fromRaw(art)
    .resize(printArea.width, printArea.height, { fit: "inside" })
    .png({ compressionLevel: 0 })
    .toBuffer({ resolveWithObject: true });
  const left = printArea.left + Math.round((printArea.width - fitted.info.width) / 2);
  const body = await sharp(garment.base)
    .composite([{ input: fitted.data, left, top: printArea.top }])
    .webp({ quality: 80 })
    .toBuffer();
  return { body, contentType: "image/webp" };
}

const SHARE_WIDTH = 1200;
const SHARE_HEIGHT = 630;

async function shareImage(art: RawImage): Promise<EncodedFile> {
  const fitted = await fromRaw(art)
    .resize(520, 520, { fit: "inside" })
    .png({ compressionLevel: 0 })
    .toBuffer({ resolveWithObject: true });
  const background = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}">
      <rect width="100%" height="100%" fill="#2a1a6b"/>
      <rect x="640" y="0" width="560" height="630" fill="#5b3fd6"/>
      <text x="700" y="270" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="64" font-weight="bold" fill="#ffffff">Crowdthread</text>
      <text x="700" y="340" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="28" fill="#e9e5ff">Designs chosen by the crowd</text>
      <text x="700" y="385" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="28" fill="#e9e5ff">Royalties to the designer</text>
      <rect x="${55 + (520 - fitted.info.width) / 2 - 12}" y="${55 + (520 - fitted.info.height) / 2 - 12}" width="${fitted.info.width + 24}" height="${fitted.info.height + 24}" rx="18" fill="#f3f1ff"/>
    </svg>`,
  );
  const body = await sharp(background)
    .composite([
      {
        input: fitted.data,
        left: 55 + Math.round((520 - fitted.info.width) / 2),
        top: 55 + Math.round((520 - fitted.info.height) / 2),
      },
    ])
    .flatten({ background: "#2a1a6b" })
    .jpeg({ quality: 86, mozjpeg: true })
    .toBuffer();
  return { body, contentType: "image/jpeg" };
}

async function hashOf(preview: RawImage): Promise<string> {
  const grey = await fromRaw(preview)
    .flatten({ background: "#ffffff" })
    .resize(HASH_INPUT_SIZE, HASH_INPUT_SIZE, { fit: "fill" })
    .greyscale()
    .raw()
    .toBuffer();
  return perceptualHash(grey);
}

/**
 * The whole pipeline for one upload. libvips streams the upload twice: once
 * into the lossless print master, once shrunk to the 1200 px preview; every
 * other derivative is made from the preview's pixels. Streaming keeps memory
 * flat (a decoded 4500×5400 RGBA image would be 97 MB per upload). Both
 * passes auto-orient, convert to sRGB and drop all metadata. AVIF, which
 * only saves bytes and costs more than everything else together, is not made
 * here but after the upload is answered (encodeAvifRenditions).
 */
export async function processArtwork(bytes: Buffer, limits: ArtworkLimits): Promise<ProcessedArtwork> {
  await loadSharp();
  const inspected = await inspectArtwork(bytes, limits);
  const upload = () =>
    sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "warning", sequentialRead: true })
      .rotate()
      .toColourspace("srgb");

  let master: Buffer;
  let preview: RawImage;
  try {
    [master, preview] = await Promise.all([
      upload().png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer(),
      shrinkToPreview(upload()),
    ]);
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new ArtworkRejected(
        "too-many-pixels",
        "The image has more pixels than the limit. Scale it down and re-upload.",
      );
    }
    throw new ArtworkRejected("corrupt", CORRUPT);
  }

  const thumb = await thumbPixels(preview);
  const garments = await getGarments();
  const [previewWebp, thumbWebp, tee, poster, share, hash] = await Promise.all([
    webp(preview),
    webp(thumb),
    mockup(preview, garments.tee),
    mockup(preview, garments.poster),
    shareImage(preview),
    hashOf(preview),
  ]);

  return {
    width: inspected.width,
    height: inspected.height,
    perceptualHash: hash,
    master: { body: master, contentType: "image/png" },
    preview: { webp: previewWebp, width: preview.info.width, height: preview.info.height },
    thumb: { webp: thumbWebp, width: thumb.info.width, height: thumb.info.height },
    mockups: { tee, poster },
    share,
    previewPixels: preview,
  };
}

export { MOCKUP_SIZE };
