import { describe, expect, it } from "vitest";
import { context, getRequest, settle } from "#tests/support/requests";
import { CONTENT_PAGES } from "~/components/content-links";
import { loader } from "~/routes/$page";

const load = (page: string) =>
  settle(() => loader({ request: getRequest(`/${page}`), params: { page }, context: context() }));

describe("the shop's content pages", () => {
  it("renders each page the footer links to from its Markdown file", async () => {
    const titles: Record<string, string> = {};
    for (const { slug } of CONTENT_PAGES) {
      const page = await load(slug);
      expect(page.status, slug).toBe(200);
      expect(page.data.html).toMatch(/^<h1>/);
      titles[slug] = page.data.title;
    }
    expect(titles).toEqual({
      about: "About Crowdthread",
      faq: "Questions and answers",
      "shipping-and-returns": "Shipping and returns",
      terms: "Terms of use",
      privacy: "Privacy",
      contact: "Contact",
    });
    expect((await load("faq")).data.html).toContain('<a href="/ranking" rel="nofollow noopener noreferrer">');
  });

  it("answers any other one-word address with a 404", async () => {
    for (const page of ["nope", "About", "%00", "../etc/passwd", "a".repeat(300)]) {
      expect((await load(page)).status, page).toBe(404);
    }
  });
});
