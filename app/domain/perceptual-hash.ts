/**
 * A 64-bit perceptual hash (pHash): the signs of an image's lowest
 * frequencies. Near-identical pictures (re-encoded, resized, slightly
 * recoloured) land a few bits apart; different pictures about 32 apart.
 */
export const HASH_INPUT_SIZE = 32;
const LOW = 8;

const cosines: number[][] = Array.from({ length: LOW }, (_, u) =>
  Array.from({ length: HASH_INPUT_SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * HASH_INPUT_SIZE))),
);

/** `pixels`: 32×32 greyscale values, row by row. Returns 16 hex digits. */
export function perceptualHash(pixels: ArrayLike<number>): string {
  const n = HASH_INPUT_SIZE;
  if (pixels.length !== n * n) throw new Error(`perceptualHash needs ${n * n} pixels, got ${pixels.length}`);
  // Separable 2-D DCT, low 8×8 frequencies only.
  const rows: number[][] = [];
  for (let y = 0; y < n; y++) {
    const row: number[] = [];
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += pixels[y * n + x]! * cosines[u]![x]!;
      row.push(sum);
    }
    rows.push(row);
  }
  const coefficients: number[] = [];
  for (let v = 0; v < LOW; v++) {
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += rows[y]![u]! * cosines[v]![y]!;
      coefficients.push(sum);
    }
  }
  // The DC term only says how bright the image is; leave it out of the median.
  const sorted = coefficients.slice(1).sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = "";
  for (let i = 0; i < 64; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (coefficients[i + b]! > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

export function hammingDistance(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) throw new Error("hashes must be 16 hex digits");
  let distance = 0;
  for (let i = 0; i < 16; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    while (x) {
      distance += x & 1;
      x >>= 1;
    }
  }
  return distance;
}

/** At or below this distance two uploads are shown to moderators side by side. */
export const NEAR_DUPLICATE_DISTANCE = 10;
