import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { imageUrl } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { formatMoney } from "~/domain/money";
import { findProduct } from "~/domain/shop.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.product.title} ${PRODUCT_TYPE_LABELS[data.product.type]} · Crowdthread` : "Product · Crowdthread" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const product = await findProduct(params.productId ?? "");
  if (!product) throw new Response("That product is not in the shop.", { status: 404 });
  return { product };
}

export default function ProductPage() {
  const { product } = useLoaderData<typeof loader>();
  return (
    <article className="grid gap-8 md:grid-cols-2">
      <img src={imageUrl(product.mockupKey)} alt={`${product.title} ${PRODUCT_TYPE_LABELS[product.type]}`} width={1200} height={1200} className="w-full rounded-2xl border border-stone-200" />
      <div>
        <p className="text-sm">
          <Link to="/shop" className="text-brand-700 underline">
            Shop
          </Link>{" "}
          · winner of{" "}
          <Link to={`/rounds/${product.roundSlug}/results`} className="text-brand-700 underline">
            {product.roundTitle}
          </Link>
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">
          {product.title} {PRODUCT_TYPE_LABELS[product.type]}
        </h1>
        <p className="mt-1 text-stone-700">
          by{" "}
          <Link to={`/designers/${product.designerUsername}`} className="font-semibold text-brand-700 underline">
            @{product.designerUsername}
          </Link>
        </p>
        <h2 className="mt-6 font-semibold">Sizes</h2>
        <ul className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3">
          {product.variants.map((v) => (
            <li key={v.id} className="rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm">
              <span className="font-semibold">{v.size}</span> · {formatMoney(v.priceCents, product.currency)}
            </li>
          ))}
        </ul>
        <p className="mt-6 text-sm text-stone-600">
          <Link to={`/submissions/${product.submissionId}`} className="underline">
            See the original design
          </Link>
        </p>
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
