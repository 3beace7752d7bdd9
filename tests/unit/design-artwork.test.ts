import { describe, expect, it } from "vitest";
import { designSvg } from "#tests/factories/design-artwork";

describe("demo design artwork", () => {
  it("is the same picture for the same title, and a different one for another", () => {
    const moon = designSvg({ theme: "flowers", slogan: "Moonflower", tagline: "opens after dark" });
    expect(designSvg({ theme: "flowers", slogan: "Moonflower", tagline: "opens after dark" })).toBe(moon);
    expect(designSvg({ theme: "flowers", slogan: "Moth Parade", tagline: "opens after dark" })).not.toBe(moon);
  });

  it("sets the slogan in capitals, split over two lines when long, and escapes it", () => {
    const svg = designSvg({ theme: "robots", slogan: "Bolt the Brave & <Co>", tagline: "fear no rust" });
    const lines = [...svg.matchAll(/<text[^>]*font-size="(\d+)"[^>]*>([^<]*)<\/text>/g)].map((m) => m[2]);
    expect(lines).toEqual(["BOLT THE", "BRAVE &amp; &lt;CO&gt;", "FEAR NO RUST"]);
  });
});
