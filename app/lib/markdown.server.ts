import MarkdownIt from "markdown-it";
import { singleton } from "./singleton.server";

/**
 * Markdown for text people write (round briefs): raw HTML is escaped, not
 * passed through, and markdown-it refuses javascript:, vbscript: and data:
 * links, so what comes out is inert however it was written.
 */
function renderer() {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: false });
  const defaultLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet("rel", "nofollow noopener noreferrer");
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

export function renderMarkdown(source: string): string {
  return singleton("markdown", renderer).render(source);
}

/** The smaller markdown of comments: emphasis, links, lists, quotes and code; no images or headings. */
export function renderCommentMarkdown(source: string): string {
  return singleton("comment-markdown", () =>
    renderer().disable(["image", "heading", "lheading", "table", "hr"]),
  ).render(source);
}
