import { Link, useLocation, useMatches, type FetcherWithComponents } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { Page } from "~/domain/page";

/** The current address with `after` set to `cursor` (other filters kept). */
function addressAfter(pathname: string, search: string, cursor: string, param: string) {
  const params = new URLSearchParams(search);
  params.set(param, cursor);
  return `${pathname}?${params}`;
}

/**
 * A list that grows a page at a time. Without JavaScript "More" is a plain
 * link to the next page (`?after=…`); with it the next page is fetched from
 * the same loader (through the route's own `useFetcher<typeof loader>()`)
 * and appended, so the reader keeps their place. `pick` takes this list's
 * page out of the loader's data.
 */
export function usePagedList<T, D>(
  first: Page<T>,
  fetcher: FetcherWithComponents<D>,
  pick: (data: D) => Page<T>,
  param = "after",
) {
  const location = useLocation();
  const matches = useMatches();
  const [extra, setExtra] = useState<{ items: T[]; next: string | null } | null>(null);
  // Whether a page this list asked for is on its way. Remix also reloads a fetcher's page
  // after a post on the route (as it reloads the first page); that copy is not appended again.
  const asked = useRef(false);

  // A new first page (another filter, a revalidation after a post) starts the list again.
  useEffect(() => setExtra(null), [first]);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || !asked.current) return;
    asked.current = false;
    const page = pick(fetcher.data);
    setExtra((before) => ({ items: [...(before?.items ?? []), ...page.items], next: page.next }));
    // Only a newly arrived page is appended.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data, fetcher.state]);

  const items = extra ? [...first.items, ...extra.items] : first.items;
  const next = extra ? extra.next : first.next;
  const href = next ? addressAfter(location.pathname, location.search, next, param) : null;
  // An index route's loader is only reached with `?index` (Remix's rule for fetchers).
  const isIndex = matches.at(-1)?.id.endsWith("_index") ?? false;

  function loadMore(event: React.MouseEvent) {
    if (!next) return;
    event.preventDefault();
    const params = new URLSearchParams(location.search);
    params.set(param, next);
    if (isIndex) params.set("index", "");
    asked.current = true;
    fetcher.load(`${location.pathname}?${params}`);
  }

  return { items, next, href, loadMore, loading: fetcher.state !== "idle" };
}

/** The "More" link under a paged list, and a way back to its start when the reader followed a link here. */
export function MoreLink({
  list,
  label,
  startHref,
}: {
  list: { href: string | null; loadMore: (event: React.MouseEvent) => void; loading: boolean };
  label: ReactNode;
  /** Where the list starts, shown when this page is not the first (the reader came by a plain link). */
  startHref?: string | null;
}) {
  return (
    <nav aria-label="More pages" className="mt-6 flex flex-wrap items-center justify-center gap-4">
      {list.href ? (
        <Link
          to={list.href}
          onClick={list.loadMore}
          preventScrollReset
          aria-busy={list.loading}
          className="rounded-md border border-stone-300 bg-white px-4 py-2 font-semibold text-brand-700 hover:bg-stone-50"
        >
          {list.loading ? "Loading…" : label}
        </Link>
      ) : null}
      {startHref ? (
        <Link to={startHref} className="text-sm text-brand-700 underline">
          Back to the start
        </Link>
      ) : null}
    </nav>
  );
}
