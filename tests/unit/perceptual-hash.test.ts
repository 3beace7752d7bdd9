import { describe, expect, it } from "vitest";
import { hammingDistance, perceptualHash } from "~/domain/perceptual-hash";

const N = 32;
function image(f: (x: number, y: number) => number) {
  return Array.from({ length: N * N }, (_, i) => Math.max(0, Math.min(255, Math.round(f(i % N, Math.floor(i / N))))));
}

describe("perceptualHash", () => {
  // Pictures with some structure, as artwork has; values stay inside 0–255 when brightened.
  const diagonal = image((x, y) => 40 + (x + 2 * y) * 1.6 + 25 * Math.sin(x / 3));
  const blob = image((x, y) => (Math.hypot(x - 10, y - 12) < 8 ? 200 : 40) + 20 * Math.cos(y / 4));

  it("gives 16 hex digits and the same hash for the same picture", () => {
    expect(perceptualHash(diagonal)).toMatch(/^[0-9a-f]{16}$/);
    expect(perceptualHash(diagonal)).toBe(perceptualHash([...diagonal]));
  });

  it("barely moves for a brighter or noisier copy", () => {
    const brighter = diagonal.map((v) => v + 20);
    const noisy = blob.map((v, i) => Math.max(0, Math.min(255, v + ((i * 37) % 9) - 4)));
    expect(hammingDistance(perceptualHash(diagonal), perceptualHash(brighter))).toBeLessThanOrEqual(4);
    expect(hammingDistance(perceptualHash(blob), perceptualHash(noisy))).toBeLessThanOrEqual(4);
  });

  it("sets different pictures far apart", () => {
    expect(hammingDistance(perceptualHash(diagonal), perceptualHash(blob))).toBeGreaterThan(16);
  });

  it("refuses input of the wrong size", () => {
    expect(() => perceptualHash([1, 2, 3])).toThrow("perceptualHash needs 1024 pixels, got 3");
  });
});

describe("hammingDistance", () => {
  it("counts differing bits", () => {
    expect(hammingDistance("0000000000000000", "0000000000000000")).toBe(0);
    expect(hammingDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hammingDistance("0000000000000001", "0000000000000003")).toBe(1);
    expect(hammingDistance("8000000000000000", "0000000000000000")).toBe(1);
  });
});
