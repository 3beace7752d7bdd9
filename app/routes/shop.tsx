import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Shop · Crowdthread" }];

export default function ShopPage() {
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Shop</h1>
      <p className="mt-2 max-w-2xl text-stone-700">
        Every product here is a design the community voted to the top of a round. Each sale pays its designer a royalty.
      </p>
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
    </div>
  );
}
