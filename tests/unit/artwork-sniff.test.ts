import { describe, expect, it } from "vitest";
import { ArtworkRejected, sniffFormat } from "~/lib/images/artwork.server";
import { createLimiter } from "~/lib/limiter.server";

function rejection(bytes: Buffer) {
  try {
    sniffFormat(bytes);
  } catch (error) {
    if (error instanceof ArtworkRejected) return error.code;
    throw error;
  }
  return null;
}

describe("sniffFormat", () => {
  it("knows PNG, JPEG and WebP by their first bytes", () => {
    expect(sniffFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("png");
    expect(sniffFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe("jpeg");
    expect(sniffFormat(Buffer.from("RIFF\0\0\0\0WEBPVP8 ", "latin1"))).toBe("webp");
  });

  it("names SVG, GIF, TIFF and HEIC, and calls anything else not an image", () => {
    expect(rejection(Buffer.from("\uFEFF  <svg xmlns='http://www.w3.org/2000/svg'/>"))).toBe("svg");
    expect(rejection(Buffer.from('<?xml version="1.0"?><!-- x --><svg/>'))).toBe("svg");
    expect(rejection(Buffer.from("GIF89a....", "latin1"))).toBe("unsupported-format");
    expect(rejection(Buffer.from("II*\0rest", "latin1"))).toBe("unsupported-format");
    expect(rejection(Buffer.from("\0\0\0\x18ftypheic", "latin1"))).toBe("unsupported-format");
    expect(rejection(Buffer.from("%PDF-1.7"))).toBe("not-an-image");
    expect(rejection(Buffer.alloc(0))).toBe("not-an-image");
  });
});

describe("createLimiter", () => {
  it("runs at most `limit` tasks at once, the rest in arrival order", async () => {
    const limiter = createLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(n);
      running -= 1;
      return n;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => limiter.run(task(n))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order.slice(2)).toEqual([3, 4, 5]);
  });

  it("frees the slot when a task fails", async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run(async () => "next")).resolves.toBe("next");
  });
});
