import { describe, expect, it } from "vitest";
import { createLoggedInUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { loader as imageLoader } from "~/routes/images.$";
import { loader as roundFeed } from "~/routes/rounds.$slug_.feed[.]xml";
import { action as productAction, loader as productLoader } from "~/routes/shop.$productId";
import { loader as shopLoader } from "~/routes/shop._index";

/** Bad addresses and forms on the shop's browse routes get a 4xx, never a 500. */
describe("shop edges", () => {
  it("answers 400 to unreadable filter text and falls back for unknown choices", async () => {
    const shop = (search: string) =>
      settle(() => shopLoader({ request: getRequest(`/shop${search}`), params: {}, context: context() }));
    expect((await shop("?designer=%00")).status).toBe(400);
    expect((await shop("?round=a%00b")).status).toBe(400);
    expect((await shop(`?designer=${"x".repeat(300)}`)).status).toBe(400);
    const fallback = await shop("?type=hat&sort=cheapest&designer=&round=");
    expect(fallback.status).toBe(200);
    expect(fallback.data.filters).toEqual({
      type: undefined,
      roundSlug: undefined,
      designer: undefined,
      sort: "newest",
    });
    expect((await shop("?type=poster&sort=best-selling")).data.filters).toMatchObject({
      type: "poster",
      sort: "best-selling",
    });
  });

  it("answers 404 to a product, feed or image address that cannot name anything", async () => {
    for (const productId of ["%00", "not-a-uuid", "'; drop table products; --"]) {
      const page = await settle(() =>
        productLoader({ request: getRequest(`/shop/x`), params: { productId }, context: context() }),
      );
      expect(page.status, productId).toBe(404);
    }
    const missing = await settle(() =>
      productLoader({
        request: getRequest(`/shop/x`),
        params: { productId: "00000000-0000-4000-8000-000000000000" },
        context: context(),
      }),
    );
    expect(missing.status).toBe(404);
    const feed = await settle(() =>
      roundFeed({ request: getRequest("/rounds/x/feed.xml"), params: { slug: "a\u0000b" }, context: context() }),
    );
    expect(feed.status).toBe(404);
    for (const splat of ["\u0000", "../private/00/x.png", "x".repeat(300)]) {
      const image = await settle(() =>
        imageLoader({ request: getRequest("/images/x"), params: { "*": splat }, context: context() }),
      );
      expect(image.status).toBe(404);
    }
  });

  it("answers 400 to a product form with an unknown intent or garbage fields", async () => {
    const member = await createLoggedInUser();
    const productId = "00000000-0000-4000-8000-000000000000";
    const forms: Record<string, string>[] = [
      { intent: "launch-rockets" },
      {},
      { intent: "add-to-cart", variantId: "\u0000", quantity: "1" },
      { intent: "add-to-cart", variantId: productId, quantity: "many" },
    ];
    for (const fields of forms) {
      const posted = await settle(() =>
        productAction({
          request: formRequest(`/shop/${productId}`, fields, { cookie: member.cookie }),
          params: { productId },
          context: context(),
        }),
      );
      expect(posted.status, JSON.stringify(fields)).toBe(400);
    }
    const badId = await settle(() =>
      productAction({
        request: formRequest("/shop/x", { intent: "add-to-cart" }, { cookie: member.cookie }),
        params: { productId: "%00" },
        context: context(),
      }),
    );
    expect(badId.status).toBe(404);
  });
});
