import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { PRODUCT_TYPES } from "#db/schema";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MoreLink, usePagedList } from "~/components/pager";
import {
  DesignerResults,
  DesignResults,
  ProductResults,
  type DesignerResult,
  type DesignResult,
  type ProductResult,
} from "~/components/search-results";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import {
  DESIGN_STATUS_FILTERS,
  DESIGN_STATUS_LABELS,
  SEARCH_KINDS,
  SEARCH_SORTS,
  searchWords,
  SORT_LABELS,
  SORTS_BY_KIND,
  type SearchKind,
  type SearchSort,
} from "~/domain/search";
import {
  bestSellingCursor,
  newestCursor,
  relevanceCursor,
  searchableRounds,
  searchDesigners,
  searchDesigns,
  searchProducts,
  usernameCursor,
} from "~/domain/search.server";
import { parseSearchParams, queryText, slugParam } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";
import { mapPage, type Page } from "~/domain/page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `“${data.q}” · Search · Crowdthread` : "Search · Crowdthread" },
  { name: "robots", content: "noindex" },
];

const SEARCH = {
  q: queryText.optional(),
  in: z.enum(SEARCH_KINDS).catch("designs"),
  // The filter form sends "" for "any"; an unknown choice falls back, unreadable text is a 400.
  round: z.union([z.literal(""), slugParam]).optional(),
  status: z.enum(DESIGN_STATUS_FILTERS).optional().catch(undefined),
  type: z.enum(PRODUCT_TYPES).optional().catch(undefined),
  sort: z.enum(SEARCH_SORTS).optional().catch(undefined),
};

/** Built once each: parseSearchParams caches its parser by the shape's identity. */
const AFTER = {
  relevance: { after: cursorParam(relevanceCursor).optional() },
  newest: { after: cursorParam(newestCursor).optional() },
  "best-selling": { after: cursorParam(bestSellingCursor).optional() },
  username: { after: cursorParam(usernameCursor).optional() },
};

/** The order a list is really in: relevance needs words (without them, newest; designers by name). */
function effectiveOrder(kind: SearchKind, sort: SearchSort | undefined, hasWords: boolean) {
  const allowed = SORTS_BY_KIND[kind];
  const chosen = sort && allowed.includes(sort) ? sort : allowed[0]!;
  if (chosen !== "relevance" || hasWords) return chosen;
  return kind === "designers" ? "username" : "newest";
}

type Results =
  | { kind: "designs"; page: Page<DesignResult> }
  | { kind: "products"; page: Page<ProductResult> }
  | { kind: "designers"; page: Page<DesignerResult> };

/** What a design's card shows: its thumbnail, not every rendition (they would all travel in the page's data). */
function designResult(design: Awaited<ReturnType<typeof searchDesigns>>["items"][number]): DesignResult {
  return {
    id: design.id,
    title: design.title,
    tags: design.tags,
    thumb: design.images.thumb,
    designerUsername: design.designerUsername,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const search = parseSearchParams(request, SEARCH);
  const q = (search.q ?? "").trim();
  const kind = search.in;
  const hasWords = searchWords(q).length > 0;
  const order = effectiveOrder(kind, search.sort, hasWords);
  // The cursor's shape follows the order: one from another order is a 400, like any unreadable one.
  const { after } = parseSearchParams(request, AFTER[order]);
  const filters = {
    round: search.round || undefined,
    status: search.status,
    type: search.type,
    sort: order === "username" ? "relevance" : order,
  } as const;
  // The filter form's rounds are for the first page; "More" only needs results. Asked beside the results.
  const rounds = kind === "designs" && !after ? searchableRounds() : Promise.resolve([]);
  // Awaited below; this only keeps a failure while the results fail too from going unhandled.
  rounds.catch(() => {});
  let results: Results;
  if (kind === "designs") {
    results = {
      kind,
      page: mapPage(
        await searchDesigns(
          { q, roundSlug: filters.round, status: filters.status, sort: filters.sort },
          { after: after as z.output<typeof relevanceCursor> | z.output<typeof newestCursor> | undefined },
        ),
        designResult,
      ),
    };
  } else if (kind === "products") {
    results = {
      kind,
      page: await searchProducts(
        { q, type: filters.type, sort: filters.sort },
        {
          after: after as
            | z.output<typeof relevanceCursor>
            | z.output<typeof newestCursor>
            | z.output<typeof bestSellingCursor>
            | undefined,
        },
      ),
    };
  } else {
    results = {
      kind,
      page: await searchDesigners(
        { q },
        { after: after as z.output<typeof relevanceCursor> | z.output<typeof usernameCursor> | undefined },
      ),
    };
  }
  return { q, kind, filters, hasWords, rounds: await rounds, results, isLaterPage: after !== undefined };
}

/** This search on another tab, or its first page. */
function searchHref(q: string, kind: SearchKind, extra: Record<string, string | undefined> = {}) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (kind !== "designs") params.set("in", kind);
  for (const [name, value] of Object.entries(extra)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `/search?${text}` : "/search";
}

const TAB_LABELS: Record<SearchKind, string> = { designs: "Designs", products: "Products", designers: "Designers" };
const selectClass = "mt-1 block w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm";

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  const { q, kind, filters, rounds, results, isLaterPage } = data;
  const list = usePagedList<unknown, typeof data>(
    results.page as Page<unknown>,
    useFetcher<typeof loader>(),
    (d) => d.results.page as Page<unknown>,
  );
  const start = searchHref(q, kind, {
    round: filters.round,
    status: filters.status,
    type: filters.type,
    sort: filters.sort === SORTS_BY_KIND[kind][0] ? undefined : filters.sort,
  });
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Search</h1>
      <Form method="get" action="/search" role="search" className="mt-4 flex max-w-xl gap-2">
        <label htmlFor="search-page-q" className="sr-only">
          Search designs, products and designers
        </label>
        <input
          id="search-page-q"
          type="search"
          name="q"
          defaultValue={q}
          maxLength={200}
          placeholder="Robots, sea birds, a designer…"
          className="min-w-0 flex-1 rounded-md border border-stone-300 bg-white px-3 py-2"
        />
        {kind !== "designs" ? <input type="hidden" name="in" value={kind} /> : null}
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Search
        </button>
      </Form>

      <nav aria-label="What to search" className="mt-6 flex gap-1 overflow-x-auto border-b border-stone-200">
        {SEARCH_KINDS.map((k) => (
          <Link
            key={k}
            to={searchHref(q, k)}
            aria-current={k === kind ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-semibold ${
              k === kind ? "border-brand-600 text-brand-800" : "border-transparent text-stone-600 hover:text-stone-900"
            }`}
          >
            {TAB_LABELS[k]}
          </Link>
        ))}
      </nav>

      {kind !== "designers" && !isLaterPage ? (
        <Form
          method="get"
          action="/search"
          className="mt-4 grid grid-cols-2 gap-3 rounded-xl border border-stone-200 bg-white p-4 sm:grid-cols-4"
        >
          <input type="hidden" name="q" value={q} />
          <input type="hidden" name="in" value={kind} />
          {kind === "designs" ? (
            <>
              <label className="text-sm font-medium">
                Round
                <select name="round" defaultValue={filters.round ?? ""} className={selectClass}>
                  <option value="">All rounds</option>
                  {rounds.map((r) => (
                    <option key={r.slug} value={r.slug}>
                      {r.title}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-sm font-medium">
                Show
                <select name="status" defaultValue={filters.status ?? ""} className={selectClass}>
                  <option value="">All designs</option>
                  {DESIGN_STATUS_FILTERS.map((s) => (
                    <option key={s} value={s}>
                      {DESIGN_STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : (
            <label className="text-sm font-medium">
              Product
              <select name="type" defaultValue={filters.type ?? ""} className={selectClass}>
                <option value="">All products</option>
                {PRODUCT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {PRODUCT_TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="text-sm font-medium">
            Sort by
            <select name="sort" defaultValue={filters.sort} className={selectClass}>
              {SORTS_BY_KIND[kind].map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <div className="flex items-end">
            <button
              type="submit"
              className="w-full rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-50"
            >
              Apply
            </button>
          </div>
        </Form>
      ) : null}

      <section aria-label="Results" className="mt-2">
        {results.kind === "designs" ? (
          <DesignResults
            items={list.items as DesignResult[]}
            empty={q ? `No designs match “${q}”. Try fewer or other words.` : "No designs match these filters."}
          />
        ) : null}
        {results.kind === "products" ? (
          list.items.length ? (
            <ProductResults items={list.items as ProductResult[]} />
          ) : (
            <p className="mt-4 text-stone-700">
              {q ? `No products match “${q}”.` : "No products match these filters."}{" "}
              <Link to="/shop" className="text-brand-700 underline">
                Browse the shop
              </Link>
            </p>
          )
        ) : null}
        {results.kind === "designers" ? <DesignerResults items={list.items as DesignerResult[]} q={q} /> : null}
      </section>
      <MoreLink list={list} label="More results" startHref={isLaterPage ? start : null} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
