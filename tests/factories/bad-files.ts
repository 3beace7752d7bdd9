/** Files a designer might (by mistake or not) upload instead of artwork. */
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { artworkJpeg, artworkPng } from "./artwork";

function pngChunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG header announcing `side` × `side` pixels
 * with a few hundred bytes of data behind it.
 */
export function pngBomb(side = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const idat = deflateSync(Buffer.alloc(side * 3 + 1), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

export async function truncatedPng(): Promise<Buffer> {
  const full = await artworkPng({ seed: 3, width: 1400, height: 1400 });
  return full.subarray(0, Math.floor(full.length / 2));
}

export async function corruptJpeg(): Promise<Buffer> {
  const full = await artworkJpeg({ seed: 4, width: 1400, height: 1400 });
  const broken = Buffer.from(full);
  // Keep the header, scramble the entropy-coded data.
  for (let i = 2000; i < broken.length - 2; i += 7) broken[i] = (broken[i]! * 31 + 17) & 0xff;
  return broken;
}

export async function animatedWebp(): Promise<Buffer> {
  const frames = await Promise.all(
    ["#ff0066", "#0066ff", "#00cc66"].map((c) =>
      sharp({ create: { width: 1400, height: 1400, channels: 3, background: c } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .webp({ quality: 50 })
    .toBuffer();
}

export async function gif(): Promise<Buffer> {
  return sharp({ create: { width: 1400, height: 1400, channels: 3, background: "#123456" } })
    .gif()
    .toBuffer();
}

export const SVG = Buffer.from(`<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="2000"><script>alert(1)</script><rect width="2000" height="2000" fill="red"/></svg>`);

export const TEXT = Buffer.from("This is a plain text file, renamed to artwork.png.\n".repeat(50));

/** A JPEG carrying EXIF with GPS coordinates, camera make and a comment. */
export async function jpegWithGps(): Promise<Buffer> {
  return sharp(await artworkPng({ seed: 5, width: 1500, height: 1300 }))
    .withExif({
      IFD0: { Make: "Snoopcam", Model: "Tracker 3000", ImageDescription: "secret studio" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "51/1 30/1 2658/100",
        GPSLongitudeRef: "W",
        GPSLongitude: "0/1 7/1 3944/100",
      },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A CMYK JPEG, as print shops and some design tools export. */
export async function cmykJpeg(): Promise<Buffer> {
  return sharp(await artworkPng({ seed: 6, width: 1400, height: 1400 }))
    .toColourspace("cmyk")
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** A landscape photo stored sideways with EXIF orientation 6 (rotate 90° to view). */
export async function sidewaysJpeg(): Promise<Buffer> {
  return sharp(await artworkPng({ seed: 7, width: 1600, height: 1300 }))
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}
