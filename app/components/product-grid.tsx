import { Link } from "@remix-run/react";
import { formatMoney } from "~/lib/format";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";

export type ProductCardData = {
  id: string;
  title: string;
  type: "tee" | "poster";
  /** Built by the storage adapter. */
  mockupUrl: string;
  basePriceCents: number;
  currency: string;
  designerUsername: string;
};

export function ProductGrid({ items, spacing = "mt-6" }: { items: ProductCardData[]; spacing?: string }) {
  return (
    <ul className={`${spacing} grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4`}>
      {items.map((p) => (
        <li key={p.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <Link to={`/shop/${p.id}`} className="block">
            <ProductCardContent product={p} />
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** A product card's picture and words, inside whatever link the list uses (the shop's <Link>, search's plain anchor). */
export function ProductCardContent({ product }: { product: ProductCardData }) {
  return (
    <>
      <img
        src={product.mockupUrl}
        alt={`${product.title} ${PRODUCT_TYPE_LABELS[product.type]}`}
        width={1200}
        height={1200}
        loading="lazy"
        className="aspect-square w-full object-cover"
      />
      <div className="p-3">
        <p className="truncate font-semibold">{product.title}</p>
        <p className="text-sm text-stone-600">
          {PRODUCT_TYPE_LABELS[product.type]} · by @{product.designerUsername}
        </p>
        <p className="mt-1 font-semibold">from {formatMoney(product.basePriceCents, product.currency)}</p>
      </div>
    </>
  );
}
