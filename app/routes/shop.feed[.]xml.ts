import type { LoaderFunctionArgs } from "@remix-run/node";
import { formatMoney } from "~/lib/format";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { listProducts } from "~/domain/shop.server";
import { atomFeed, atomResponse } from "~/lib/atom.server";
import { publicOrigin } from "~/lib/public-origin.server";

/** How many products the feed carries: readers poll it, so it holds the newest, not the whole shop. */
const FEED_ENTRIES = 50;

/** An Atom feed of the shop's newest products, newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const origin = publicOrigin(request);
  const { items } = await listProducts({ sort: "newest" }, { size: FEED_ENTRIES });
  return atomResponse(
    atomFeed({
      id: `${origin}/shop`,
      title: "Crowdthread shop",
      url: `${origin}/shop`,
      selfUrl: `${origin}/shop/feed.xml`,
      updated: items[0]?.createdAt ?? new Date(0),
      entries: items.map((p) => ({
        id: `${origin}/shop/${p.id}`,
        title: `${p.title} ${PRODUCT_TYPE_LABELS[p.type]}`,
        url: `${origin}/shop/${p.id}`,
        updated: p.createdAt,
        author: `@${p.designerUsername}`,
        // Absolute already when a CDN serves the images.
        imageUrl: new URL(p.mockupUrl, origin).href,
        summary: `From ${formatMoney(p.basePriceCents, p.currency)}, a winner of ${p.roundTitle}.`,
      })),
    }),
  );
}
