import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SubmissionGrid } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MoreLink, usePagedList } from "~/components/pager";
import { ProductGrid } from "~/components/product-grid";
import { isValidTag, normaliseTag, tagHref } from "~/domain/search";
import { designsWithTag, newestCursor, productsWithTag } from "~/domain/search.server";
import { hasControlCharacters } from "~/domain/safe-text";
import { parseParams, parseSearchParams } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `#${data.tag} · Crowdthread` : "Tag · Crowdthread" },
];

/** A tag as a design could carry it; anything else names nothing (404). */
const tagParam = z
  .string()
  .max(100)
  .refine((value) => !hasControlCharacters(value))
  .transform(normaliseTag)
  .refine(isValidTag);

/** Two lists on one page, each with its own place: designs (`after`) and products (`products`). */
const SEARCH = {
  after: cursorParam(newestCursor).optional(),
  products: cursorParam(newestCursor).optional(),
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tag } = parseParams(params, { tag: tagParam });
  // One address per tag: "Sea  Birds" and "sea birds" are the same tag.
  if (params.tag !== tag) {
    const url = new URL(request.url);
    throw redirect(`${tagHref(tag)}${url.search}`, 301);
  }
  const { after, products: productsAfter } = parseSearchParams(request, SEARCH);
  const [designs, products] = await Promise.all([
    productsAfter ? null : designsWithTag(tag, { after }),
    after ? null : productsWithTag(tag, { after: productsAfter }),
  ]);
  return { tag, designs, products, isLaterPage: Boolean(after || productsAfter) };
}

const EMPTY = { items: [], next: null };

export default function TagPage() {
  const { tag, designs, products, isLaterPage } = useLoaderData<typeof loader>();
  const designList = usePagedList(designs ?? EMPTY, useFetcher<typeof loader>(), (d) => d.designs ?? EMPTY);
  const productList = usePagedList(
    products ?? EMPTY,
    useFetcher<typeof loader>(),
    (d) => d.products ?? EMPTY,
    "products",
  );
  const start = tagHref(tag);
  return (
    <div>
      <p className="text-sm">
        <Link to={`/search?q=${encodeURIComponent(tag)}`} className="text-brand-700 underline">
          Search for “{tag}”
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight break-words">#{tag}</h1>
      {products ? (
        <section aria-labelledby="tag-products" className="mt-8">
          <h2 id="tag-products" className="text-xl font-semibold">
            In the shop
          </h2>
          {productList.items.length ? (
            <ProductGrid items={productList.items} />
          ) : (
            <p className="mt-4 text-stone-700">No products with this tag yet.</p>
          )}
          <MoreLink list={productList} label="More products" startHref={isLaterPage && !designs ? start : null} />
        </section>
      ) : null}
      {designs ? (
        <section aria-labelledby="tag-designs" className="mt-10">
          <h2 id="tag-designs" className="text-xl font-semibold">
            Designs
          </h2>
          <SubmissionGrid items={designList.items} empty="No public designs with this tag." />
          <MoreLink list={designList} label="More designs" startHref={isLaterPage && !products ? start : null} />
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
