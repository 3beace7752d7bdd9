import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { imageUrl } from "~/components/artwork";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { formatMoney } from "~/domain/money";
import { listProducts } from "~/domain/shop.server";

export const meta: MetaFunction = () => [{ title: "Shop · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const type = url.searchParams.get("type");
  const items = await listProducts({
    type: type === "tee" || type === "poster" ? type : undefined,
    roundSlug: url.searchParams.get("round") ?? undefined,
    designer: url.searchParams.get("designer") ?? undefined,
  });
  return { items };
}

export default function ShopPage() {
  const { items } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Shop</h1>
      <p className="mt-2 max-w-2xl text-stone-700">
        Every product here is a design the community voted to the top of a round. Each sale pays its designer a royalty.
      </p>
      {items.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-stone-300 bg-white p-8 text-center">
          <p className="font-semibold">No products yet</p>
          <p className="mt-1 text-stone-700">
            Products appear here by themselves when a round's results are published.{" "}
            <Link to="/vote" className="text-brand-700 underline">
              Help pick the winners
            </Link>
            .
          </p>
        </div>
      ) : (
        <ul className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
          {items.map((p) => (
            <li key={p.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
              <Link to={`/shop/${p.id}`} className="block">
                <img src={imageUrl(p.mockupKey)} alt={`${p.title} ${PRODUCT_TYPE_LABELS[p.type]}`} width={1200} height={1200} loading="lazy" className="aspect-square w-full object-cover" />
                <div className="p-3">
                  <p className="truncate font-semibold">{p.title}</p>
                  <p className="text-sm text-stone-600">
                    {PRODUCT_TYPE_LABELS[p.type]} · by @{p.designerUsername}
                  </p>
                  <p className="mt-1 font-semibold">{formatMoney(p.basePriceCents, p.currency)}</p>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
