/**
 * `npm run bench:images`: the image pipeline on print-size art (4500×5400
 * RGBA PNG) against bare sharp calls making the same derivatives, in one run.
 * Prints median time per upload, the ratio to the baseline, and peak RSS
 * with 4 uploads arriving at once (bounded concurrency).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { artworkSvg } from "#tests/factories/artwork";
import { HASH_INPUT_SIZE } from "~/domain/perceptual-hash";
import { processInTurn } from "~/domain/submissions.server";
import { encodeAvifRenditions, type EncodedFile } from "~/lib/images/artwork.server";
import { inImageTurn } from "~/lib/images/image-turn.server";
import { getGarments } from "~/lib/images/garments.server";
import { contentKey, LocalStorage } from "~/lib/storage.server";

const WIDTH = 4500;
const HEIGHT = 5400;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LIMITS = { maxPixels: 60_000_000, minWidth: 1200, minHeight: 1200 };

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function printSizeArt(seed: number): Promise<Buffer> {
  // Shapes, gradients and a fine hatch on a transparent ground: detail for the encoders, at a file size a designer sends.
  const hatch = Array.from(
    { length: 300 },
    (_, i) =>
      `<line x1="${i * 15}" y1="0" x2="${i * 15 - 1800}" y2="${HEIGHT}" stroke="#fff" stroke-opacity="0.07" stroke-width="3"/>`,
  ).join("");
  const svg = artworkSvg({ seed, width: WIDTH, height: HEIGHT, transparent: true }).replace("</svg>", `${hatch}</svg>`);
  // Paper grain in 3 px specks, as scanned or brushed artwork has.
  const grain = await sharp({
    create: {
      width: WIDTH / 3,
      height: HEIGHT / 3,
      channels: 3,
      background: "#808080",
      noise: { type: "gaussian", mean: 128, sigma: 12 },
    },
  })
    .resize(WIDTH, HEIGHT, { kernel: "nearest" })
    .png()
    .toBuffer();
  return sharp(Buffer.from(svg), { limitInputPixels: false })
    .composite([{ input: grain, blend: "soft-light" }])
    .png({ compressionLevel: 6 })
    .toBuffer();
}

const storageRoot = mkdtempSync(path.join(tmpdir(), "crowdthread-bench-"));
const storage = new LocalStorage(storageRoot);

/**
 * The full pipeline for one upload: validate, process (in turn), store every
 * file; then the AVIF made after the answer, from the preview's pixels the
 * upload hands to the server's worker. Returns when the upload could have
 * been answered.
 */
async function fullUpload(bytes: Buffer): Promise<{ answeredMs: number }> {
  const start = performance.now();
  const art = await processInTurn(bytes, LIMITS);
  const files: [EncodedFile, "public" | "private"][] = [
    [art.master, "private"],
    [art.preview.webp, "public"],
    [art.thumb.webp, "public"],
    [art.mockups.tee, "public"],
    [art.mockups.poster, "public"],
    [art.share, "public"],
  ];
  await storeAll(files);
  const answeredMs = performance.now() - start;
  const avif = await inImageTurn(() =>
    encodeAvifRenditions(
      { previewPixels: art.previewPixels },
      { preview: art.preview.webp.body.length, thumb: art.thumb.webp.body.length },
    ),
  );
  await storeAll([avif.preview, avif.thumb].flatMap((file) => (file ? [[file, "public"] as const] : [])));
  return { answeredMs };
}

async function storeAll(files: (readonly [EncodedFile, "public" | "private"])[]) {
  await Promise.all(
    files.map(([file, visibility]) =>
      storage.put(contentKey(visibility, file.body, file.contentType), file.body, file.contentType),
    ),
  );
}

/** The same derivatives by plain sharp calls, each straight from the upload: no checks, no hashing, no storage. */
async function bareSharp(bytes: Buffer) {
  const input = () => sharp(bytes, { limitInputPixels: false });
  const garments = await getGarments();
  const fitted = (w: number, h: number) =>
    input().rotate().resize(w, h, { fit: "inside" }).png({ compressionLevel: 0 }).toBuffer();
  const [tee, poster, share] = await Promise.all([fitted(400, 500), fitted(596, 828), fitted(520, 520)]);
  await Promise.all([
    input().rotate().png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer(),
    input().rotate().resize(1200, 1200, { fit: "inside" }).webp({ quality: 82 }).toBuffer(),
    input().rotate().resize(1200, 1200, { fit: "inside" }).avif({ quality: 55, effort: 2 }).toBuffer(),
    input().rotate().resize(400, 400, { fit: "inside" }).webp({ quality: 82 }).toBuffer(),
    input().rotate().resize(400, 400, { fit: "inside" }).avif({ quality: 55, effort: 2 }).toBuffer(),
    sharp(garments.tee.base)
      .composite([{ input: tee, left: 400, top: 300 }])
      .webp({ quality: 80 })
      .toBuffer(),
    sharp(garments.poster.base)
      .composite([{ input: poster, left: 302, top: 162 }])
      .webp({ quality: 80 })
      .toBuffer(),
    sharp({ create: { width: 1200, height: 630, channels: 3, background: "#2a1a6b" } })
      .composite([{ input: share, left: 55, top: 55 }])
      .jpeg({ quality: 86, mozjpeg: true })
      .toBuffer(),
    input().resize(HASH_INPUT_SIZE, HASH_INPUT_SIZE, { fit: "fill" }).greyscale().raw().toBuffer(),
  ]);
}

async function timeIt(task: () => Promise<unknown>) {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

if (process.argv[2] === "--burst") {
  // Child process: the four files arrive at once, as four requests would bring them.
  const files = process.argv.slice(3).map((f) => readFileSync(f));
  const start = performance.now();
  await Promise.all(files.map((bytes) => fullUpload(bytes)));
  const ms = performance.now() - start;
  rmSync(storageRoot, { recursive: true, force: true });
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

console.log(`Generating ${RUNS} pieces of print-size art (${WIDTH}×${HEIGHT} RGBA PNG)…`);
const arts: Buffer[] = [];
for (let i = 0; i < RUNS; i++) arts.push(await printSizeArt(i + 1));
console.log(`  file sizes: ${arts.map((a) => (a.length / 1e6).toFixed(1)).join(", ")} MB`);

// Memory in a fresh process, so its peak is the uploads' own: 4 at once, IMAGE_CONCURRENCY at a time.
const burstFiles = [0, 1, 2, 3].map((i) => {
  const file = path.join(storageRoot, `upload-${i}.png`);
  writeFileSync(file, arts[i % arts.length]!);
  return file;
});
const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--burst", ...burstFiles], {
  encoding: "utf8",
});
if (child.status !== 0) throw new Error(`burst run failed: ${child.stderr}`);
const burst = JSON.parse(child.stdout.trim().split("\n").pop()!) as { ms: number; maxRssMb: number };

await fullUpload(arts[0]!); // warm-up for both paths (garments rendered, codecs loaded)
await bareSharp(arts[0]!);

const pipelineTimes: number[] = [];
const answerTimes: number[] = [];
const baselineTimes: number[] = [];
for (const art of arts) {
  // Alternate, so drift on a noisy machine hits both alike.
  pipelineTimes.push(
    await timeIt(async () => {
      answerTimes.push((await fullUpload(art)).answeredMs);
    }),
  );
  baselineTimes.push(await timeIt(() => bareSharp(art)));
}
// A job whose upload handed nothing over (a restart, another process) decodes the print master instead.
const masterTimes: number[] = [];
for (const art of arts) {
  const processed = await processInTurn(art, LIMITS);
  const webpBytes = { preview: processed.preview.webp.body.length, thumb: processed.thumb.webp.body.length };
  masterTimes.push(await timeIt(() => encodeAvifRenditions({ master: processed.master.body }, webpBytes)));
}
rmSync(storageRoot, { recursive: true, force: true });

const pipeline = median(pipelineTimes);
const baseline = median(baselineTimes);
console.log(
  `\nbench:images (${RUNS} runs, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, ${sharp.concurrency()} libvips threads)`,
);
console.log(`  full pipeline, median per upload:   ${pipeline.toFixed(0)} ms   (target ≤ 2500 ms)`);
console.log(`    of which before the answer:       ${median(answerTimes).toFixed(0)} ms   (AVIF comes after)`);
console.log(`  AVIF from the master (no hand-over): ${median(masterTimes).toFixed(0)} ms`);
console.log(`  bare sharp baseline, median:        ${baseline.toFixed(0)} ms`);
console.log(`  ratio pipeline / baseline:          ${(pipeline / baseline).toFixed(2)}×   (target ≤ 1.30×)`);
console.log(
  `  4 uploads at once: ${burst.ms.toFixed(0)} ms in all; peak RSS ${burst.maxRssMb.toFixed(0)} MB   (target ≤ 700 MB)`,
);
