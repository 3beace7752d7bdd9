import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useSubmit } from "@remix-run/react";
import { PRODUCT_TYPES } from "#db/schema";
import { MoreLink, usePagedList } from "~/components/pager";
import { ProductGrid } from "~/components/product-grid";
import { z } from "zod";
import { listProducts, SHOP_SORTS, shopCursorFor, shopFacets } from "~/domain/shop.server";
import { parseSearchParams, queryText } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction = () => [{ title: "Shop · Crowdthread" }];

export const links: LinksFunction = () => [
  { rel: "alternate", type: "application/atom+xml", title: "Crowdthread shop", href: "/shop/feed.xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // The filter form sends "" for "all"; an unknown type or sort falls back, unreadable text is a 400.
  const search = parseSearchParams(request, {
    type: z.enum(PRODUCT_TYPES).optional().catch(undefined),
    round: queryText.optional(),
    designer: queryText.optional(),
    sort: z.enum(SHOP_SORTS).catch("newest"),
  });
  const filters = {
    type: search.type,
    roundSlug: search.round || undefined,
    // "@ada" and "ada" name the same designer, as they are shown with an @.
    designer: search.designer?.replace(/^@/, "") || undefined,
    sort: search.sort,
  };
  // The cursor's shape follows the sort: a cursor from the other order is a 400, like any unreadable one.
  const { after } = parseSearchParams(request, { after: cursorParam(shopCursorFor(filters.sort)).optional() });
  // The filter form's choices are for the first page; "More products" only needs the products.
  const [items, facets] = await Promise.all([listProducts(filters, { after }), after ? null : shopFacets()]);
  return { items, facets, filters, isLaterPage: after !== undefined };
}

/** The first page of the shop with these filters: where "Back to the start" goes. */
function startOf(filters: { type?: string; roundSlug?: string; designer?: string; sort: string }) {
  const params = new URLSearchParams();
  if (filters.type) params.set("type", filters.type);
  if (filters.roundSlug) params.set("round", filters.roundSlug);
  if (filters.designer) params.set("designer", filters.designer);
  if (filters.sort !== "newest") params.set("sort", filters.sort);
  const search = params.toString();
  return search ? `/shop?${search}` : "/shop";
}

const selectClass = "mt-1 block w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm";

export default function ShopPage() {
  const { items, facets, filters, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(items, useFetcher<typeof loader>(), (data) => data.items);
  const submit = useSubmit();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Shop</h1>
      <p className="mt-2 max-w-2xl text-stone-700">
        Every product here is a design the community voted to the top of a round. Each sale pays its designer a royalty.
      </p>
      {facets ? (
        <Form
          method="get"
          // A choice in a list applies at once; the designer's name applies on Enter.
          onChange={(e) => {
            if (e.target instanceof HTMLSelectElement) submit(e.currentTarget, { preventScrollReset: true });
          }}
          className="mt-6 grid grid-cols-2 gap-3 rounded-xl border border-stone-200 bg-white p-4 sm:grid-cols-4"
        >
          <label className="text-sm font-medium">
            Product
            <select name="type" defaultValue={filters.type ?? ""} className={selectClass}>
              <option value="">All products</option>
              <option value="tee">T-shirts</option>
              <option value="poster">Posters</option>
            </select>
          </label>
          <label className="text-sm font-medium">
            Round
            <select name="round" defaultValue={filters.roundSlug ?? ""} className={selectClass}>
              <option value="">All rounds</option>
              {facets.rounds.map((r) => (
                <option key={r.slug} value={r.slug}>
                  {r.title}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium">
            Designer
            <input
              type="search"
              name="designer"
              defaultValue={filters.designer ?? ""}
              placeholder="Username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={40}
              className={selectClass}
            />
          </label>
          <label className="text-sm font-medium">
            Sort by
            <select name="sort" defaultValue={filters.sort} className={selectClass}>
              <option value="newest">Newest</option>
              <option value="best-selling">Best-selling</option>
            </select>
          </label>
          <noscript>
            <button type="submit" className="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold">
              Apply
            </button>
          </noscript>
        </Form>
      ) : null}
      {list.items.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-stone-300 bg-white p-8 text-center">
          <p className="font-semibold">
            No products {filters.type || filters.roundSlug || filters.designer ? "match these filters" : "yet"}
          </p>
          <p className="mt-1 text-stone-700">
            Products appear here by themselves when a round's results are published.{" "}
            <Link to="/vote" className="text-brand-700 underline">
              Help pick the winners
            </Link>
            .
          </p>
        </div>
      ) : (
        <ProductGrid items={list.items} />
      )}
      <MoreLink list={list} label="More products" startHref={isLaterPage ? startOf(filters) : null} />
    </div>
  );
}
