import { expect } from "vitest";
import type { z } from "zod";
import type { Page } from "~/domain/page";
import { cursorParam } from "~/lib/pagination.server";

/**
 * Reads a paged list to its end as a reader following "More" would: each
 * page's cursor is decoded through the same edge parser the route uses.
 * Fails on a repeated id; returns the ids in the order read and each page's size.
 */
export async function collectPages<T extends { id: string }, S extends z.ZodType>(
  shape: S,
  read: (after: z.output<S> | undefined) => Promise<Page<T>>,
  maxPages = 1000,
) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let after: z.output<S> | undefined;
  for (let n = 0; n < maxPages; n++) {
    const page = await read(after);
    ids.push(...page.items.map((item) => item.id));
    sizes.push(page.items.length);
    if (!page.next) break;
    after = cursorParam(shape).parse(page.next);
  }
  expect(new Set(ids).size, "no item repeats across pages").toBe(ids.length);
  return { ids, sizes };
}
