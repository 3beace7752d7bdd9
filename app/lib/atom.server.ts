/** Atom 1.0 feeds (RFC 4287), built as text with every value escaped. */
export type AtomEntry = {
  id: string;
  title: string;
  url: string;
  updated: Date;
  summary?: string;
  author?: string;
  imageUrl?: string;
};

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function atomFeed(feed: {
  id: string;
  title: string;
  url: string;
  selfUrl: string;
  updated: Date;
  entries: AtomEntry[];
}): string {
  const entries = feed.entries
    .map((e) =>
      [
        "  <entry>",
        `    <id>${escapeXml(e.id)}</id>`,
        `    <title>${escapeXml(e.title)}</title>`,
        `    <link rel="alternate" type="text/html" href="${escapeXml(e.url)}"/>`,
        `    <updated>${e.updated.toISOString()}</updated>`,
        e.author ? `    <author><name>${escapeXml(e.author)}</name></author>` : "",
        e.summary || e.imageUrl
          ? `    <summary type="html">${escapeXml(`${e.imageUrl ? `<img src="${escapeXml(e.imageUrl)}" alt=""/> ` : ""}${escapeXml(e.summary ?? "")}`)}</summary>`
          : "",
        "  </entry>",
      ]
        .filter(Boolean)
        .join("\n"),
    )
    .join("\n");
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(feed.id)}</id>`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.url)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>`,
    `  <updated>${feed.updated.toISOString()}</updated>`,
    entries,
    "</feed>",
    "",
  ].join("\n");
}

export function atomResponse(xml: string): Response {
  return new Response(xml, {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
