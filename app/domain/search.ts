/** Search's words and choices, shared by the browser and the server (no database here). */

export const SEARCH_KINDS = ["designs", "products", "designers"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SEARCH_SORTS = ["relevance", "newest", "best-selling"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Which sorts each kind offers, first the default. */
export const SORTS_BY_KIND: Record<SearchKind, readonly SearchSort[]> = {
  designs: ["relevance", "newest"],
  products: ["relevance", "newest", "best-selling"],
  designers: ["relevance"],
};

export const SORT_LABELS: Record<SearchSort, string> = {
  relevance: "Best match",
  newest: "Newest",
  "best-selling": "Best-selling",
};

export const DESIGN_STATUS_FILTERS = ["voting", "winner", "in-shop"] as const;
export type DesignStatusFilter = (typeof DESIGN_STATUS_FILTERS)[number];

export const DESIGN_STATUS_LABELS: Record<DesignStatusFilter, string> = {
  voting: "In a vote now",
  winner: "Winners",
  "in-shop": "In the shop",
};

const MAX_WORDS = 8;

/**
 * The words of a query as search matches them: lower-case runs of letters
 * and digits, 1 to 40 characters, at most eight. Everything else (quotes,
 * operators, punctuation) separates words and is otherwise ignored, so no
 * query can be malformed.
 */
export function searchWords(query: string): string[] {
  const words =
    query
      .toLowerCase()
      .normalize("NFC")
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length <= 40))].slice(0, MAX_WORDS);
}

/** A tag as designs store it (see tagsField): trimmed, lower-case, single spaces. */
export function normaliseTag(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, " ");
}

/** Whether a normalised tag is one a design could carry (tagsField's rule). */
export function isValidTag(tag: string): boolean {
  return tag.length > 0 && tag.length <= 24 && /^[\p{L}\p{N} -]+$/u.test(tag);
}

/** A tag's page. */
export function tagHref(tag: string): string {
  return `/tags/${encodeURIComponent(tag)}`;
}

/**
 * How a round's gallery can be ordered. Never by score: while voting is open
 * scores are secret, and after it the results page ranks them.
 */
export const GALLERY_SORTS = ["shuffle", "newest", "oldest", "most-commented"] as const;
export type GallerySort = (typeof GALLERY_SORTS)[number];

export const GALLERY_SORT_LABELS: Record<GallerySort, string> = {
  shuffle: "Shuffled for you",
  newest: "Newest",
  oldest: "In order of arrival",
  "most-commented": "Most commented",
};

/** The gallery's order when the viewer chose none: their own shuffle while voting (ADR 010), arrival otherwise. */
export function defaultGallerySort(voting: boolean): GallerySort {
  return voting ? "shuffle" : "oldest";
}
