import { describe, expect, it } from "vitest";
import { atomFeed, escapeXml } from "~/lib/atom.server";

describe("atomFeed", () => {
  it("escapes every value, so titles cannot break out of the XML", () => {
    expect(escapeXml(`<script>"x" & 'y'</script>`)).toBe(
      "&lt;script&gt;&quot;x&quot; &amp; &apos;y&apos;&lt;/script&gt;",
    );
    const xml = atomFeed({
      id: "https://shop.example/rounds/r",
      title: "Cats & <Dogs>",
      url: "https://shop.example/rounds/r",
      selfUrl: "https://shop.example/rounds/r/feed.xml",
      updated: new Date("2026-05-01T00:00:00Z"),
      entries: [
        {
          id: "e1",
          title: "</title><script>alert(1)</script>",
          url: "https://shop.example/s/1?a=1&b=2",
          updated: new Date("2026-05-02T00:00:00Z"),
          author: "@ada",
        },
      ],
    });
    expect(xml).toContain("<title>Cats &amp; &lt;Dogs&gt;</title>");
    expect(xml).toContain("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>");
    expect(xml).toContain('href="https://shop.example/s/1?a=1&amp;b=2"');
    expect(xml).not.toContain("<script>");
    expect(xml).toContain("<updated>2026-05-02T00:00:00.000Z</updated>");
  });
});
