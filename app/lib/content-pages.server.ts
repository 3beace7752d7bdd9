import { renderMarkdown } from "./markdown.server";

/**
 * The shop's own pages (about, FAQ, shipping and returns, terms, privacy,
 * contact), written as Markdown files in app/content/pages and bundled at
 * build time, so editing one is a pull request, not a database change.
 */
const sources = import.meta.glob<string>("../content/pages/*.md", { query: "?raw", import: "default", eager: true });

const pages = new Map(
  Object.entries(sources).map(([file, source]) => {
    const slug = file.replace(/^.*\/([a-z-]+)\.md$/, "$1");
    // The first line is the page's title, as a Markdown heading.
    const title = /^#\s+(.+)$/m.exec(source)?.[1]?.trim() ?? slug;
    return [slug, { slug, title, source }];
  }),
);

/** A content page as HTML, or null when there is no page by that name. */
export function contentPage(slug: string): { title: string; html: string } | null {
  const page = pages.get(slug);
  return page ? { title: page.title, html: renderMarkdown(page.source) } : null;
}
