import { describe, expect, it } from "vitest";
import { withoutImages } from "~/domain/member-markdown";
import { renderMarkdown } from "~/lib/markdown.server";

describe("member markdown without images", () => {
  it("turns every image form into a link and keeps escaped ones as text", () => {
    const source = [
      "![cat](https://tracker.example/cat.png) and ![ref-style][r] and ![r]",
      "two in a row: ![a](https://x.example/a.png)![b](https://x.example/b.png), !![c](https://x.example/c.png)",
      "escaped \\![not an image](https://x.example/n.png), and \\\\![still one](https://x.example/s.png)",
      "",
      "[r]: https://tracker.example/ref.png",
    ].join("\n");
    const html = renderMarkdown(withoutImages(source));
    expect(html).not.toContain("<img");
    expect(html).toContain('<a href="https://tracker.example/cat.png" rel="nofollow noopener noreferrer">cat</a>');
    expect(html).toContain(
      '<a href="https://tracker.example/ref.png" rel="nofollow noopener noreferrer">ref-style</a>',
    );
    expect(html).toContain('!<a href="https://x.example/n.png"');
    expect(html).toContain(', !<a href="https://x.example/c.png"');
    expect(renderMarkdown(source)).toContain("<img");
  });
});
