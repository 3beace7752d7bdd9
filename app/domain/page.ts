/**
 * One page of a list that can grow: its rows and, when there are more, the
 * opaque cursor that asks for the next page (`?after=…`). Built by
 * `pageOf` in app/lib/pagination.server.ts; shown by app/components/pager.tsx.
 */
export type Page<T> = { items: T[]; next: string | null };

/** A page's rows changed into what a page shows, keeping its cursor. */
export function mapPage<T, U>(page: Page<T>, change: (item: T) => U): Page<U> {
  return { items: page.items.map(change), next: page.next };
}
