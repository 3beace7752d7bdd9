import { useNavigate } from "@remix-run/react";
import type { MouseEvent, ReactNode } from "react";
import { ProductCardContent, type ProductCardData } from "./product-grid";
import { tagHref } from "~/domain/search";
import type { PublicImage } from "~/lib/images/public-images";

/**
 * The search page's result cards. They show what the shared grids show
 * (SubmissionGrid with tags, ProductGrid, a member card), with one
 * difference: their links are plain anchors, and one click handler on the list
 * navigates inside the app as a Remix <Link> would. A page of 24 designs has
 * about 75 links, and each <Link> costs the server's render its route
 * resolution and hooks; with anchors the page renders in less time (ADR 016,
 * measured with `npm run bench:search`). `data-discover` keeps Remix's route
 * discovery of the linked pages, as <Link> has it.
 */

/** A plain left click on one of the list's own links navigates in the app; any other click is the browser's. */
function useListNavigation() {
  const navigate = useNavigate();
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    const link = (event.target as Element).closest("a[href]");
    if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute("download")) return;
    if (link.origin !== window.location.origin) return;
    event.preventDefault();
    navigate(`${link.pathname}${link.search}${link.hash}`);
  };
}

function ResultList({ className, children }: { className: string; children: ReactNode }) {
  const onClick = useListNavigation();
  return (
    // Clicks bubble here from the anchors (Enter on a focused link is a click too).
    <ul className={className} onClick={onClick}>
      {children}
    </ul>
  );
}

export type DesignResult = {
  id: string;
  title: string;
  tags: string[];
  thumb: PublicImage;
  designerUsername: string;
};

const tagClass =
  "inline-block max-w-full truncate rounded-full bg-stone-100 px-2 py-0.5 text-xs text-stone-700 hover:bg-brand-100 hover:text-brand-900";

export function DesignResults({ items, empty }: { items: DesignResult[]; empty: string }) {
  if (items.length === 0) return <p className="mt-4 text-stone-700">{empty}</p>;
  return (
    <ResultList className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
      {items.map((s) => (
        <li key={s.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <a href={`/submissions/${s.id}`} data-discover="true" className="block">
            <div className="flex aspect-square items-center justify-center bg-stone-100">
              <picture>
                {s.thumb.avif ? <source srcSet={s.thumb.avif} type="image/avif" /> : null}
                <img
                  src={s.thumb.webp}
                  width={s.thumb.width}
                  height={s.thumb.height}
                  alt={s.title}
                  loading="lazy"
                  className="max-h-full max-w-full object-contain"
                />
              </picture>
            </div>
            <div className="p-3">
              <p className="truncate font-semibold">{s.title}</p>
              <p className="truncate text-sm text-stone-600">by @{s.designerUsername}</p>
            </div>
          </a>
          {s.tags.length ? (
            <ul aria-label="Tags" className="flex flex-wrap gap-1.5 px-3 pb-3">
              {s.tags.map((tag) => (
                <li key={tag}>
                  <a href={tagHref(tag)} data-discover="true" className={tagClass}>
                    #{tag}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ResultList>
  );
}

export type ProductResult = ProductCardData;

export function ProductResults({ items }: { items: ProductResult[] }) {
  return (
    <ResultList className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
      {items.map((p) => (
        <li key={p.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <a href={`/shop/${p.id}`} data-discover="true" className="block">
            <ProductCardContent product={p} />
          </a>
        </li>
      ))}
    </ResultList>
  );
}

export type DesignerResult = { id: string; username: string; displayName: string | null; avatarUrl: string | null };

export function DesignerResults({ items, q }: { items: DesignerResult[]; q: string }) {
  if (items.length === 0) return <p className="mt-4 text-stone-700">No members match “{q}”.</p>;
  return (
    <ResultList className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {items.map((d) => (
        <li key={d.id}>
          <a
            href={`/designers/${d.username}`}
            data-discover="true"
            className="flex items-center gap-3 rounded-xl border border-stone-200 bg-white p-3 hover:bg-stone-50"
          >
            {d.avatarUrl ? (
              <img src={d.avatarUrl} alt="" width={48} height={48} className="h-12 w-12 rounded-full object-cover" />
            ) : (
              <span aria-hidden="true" className="flex h-12 w-12 items-center justify-center rounded-full bg-brand-100">
                {d.username.slice(0, 1).toUpperCase()}
              </span>
            )}
            <span className="min-w-0">
              <span className="block truncate font-semibold">{d.displayName ?? `@${d.username}`}</span>
              {d.displayName ? <span className="block truncate text-sm text-stone-600">@{d.username}</span> : null}
            </span>
          </a>
        </li>
      ))}
    </ResultList>
  );
}
