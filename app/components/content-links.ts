/** The shop's content pages, in the order the footer lists them; their text is in app/content/pages. */
export const CONTENT_PAGES = [
  { slug: "about", label: "About" },
  { slug: "faq", label: "FAQ" },
  { slug: "shipping-and-returns", label: "Shipping and returns" },
  { slug: "terms", label: "Terms" },
  { slug: "privacy", label: "Privacy" },
  { slug: "contact", label: "Contact" },
] as const;

export type ContentPageSlug = (typeof CONTENT_PAGES)[number]["slug"];
