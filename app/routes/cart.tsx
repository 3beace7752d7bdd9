import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useActionData } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { OrderTotals } from "~/components/order-totals";
import { MAX_QUANTITY, setQuantity } from "~/domain/cart.server";
import { cartEstimate } from "~/domain/checkout.server";
import { regionLabel } from "~/domain/order-forms";
import { formatMoney } from "~/lib/format";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { getOptionalUser } from "~/lib/auth.server";
import { currentCartId } from "~/lib/cart-session.server";
import { redirectWithToast } from "~/lib/toast.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Your cart · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The estimate's destination: ?country=CA&region=ON, else the member's saved address, else the shop's first zone.
  const destination = parseSearchParams(request, {
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .catch(undefined),
    region: z
      .string()
      .regex(/^[A-Z0-9]{1,3}$/)
      .optional()
      .catch(undefined),
  });
  const user = await getOptionalUser(request);
  return cartEstimate(await currentCartId(request), { buyerId: user?.id, destination });
}

const cartActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("update"),
    variantId: z.uuid(),
    quantity: z.coerce.number().int().min(0).max(MAX_QUANTITY),
  }),
  z.object({ intent: z.literal("remove"), variantId: z.uuid() }),
]);
type CartAction = z.infer<typeof cartActionSchema>;

export async function action({ request }: ActionFunctionArgs) {
  const parsed = cartActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: `Quantities go from 0 (remove) to ${MAX_QUANTITY}.` }, { status: 400 });
  switch (parsed.data.intent) {
    case "update":
      return updateLine(request, parsed.data);
    case "remove":
      return removeLine(request, parsed.data);
  }
}

async function updateLine(request: Request, form: Extract<CartAction, { intent: "update" }>) {
  const cartId = await currentCartId(request);
  if (cartId) await setQuantity(cartId, form.variantId, form.quantity);
  return redirectWithToast(request, "/cart", {
    kind: "info",
    title: form.quantity === 0 ? "Removed from your cart" : "Cart updated",
  });
}

async function removeLine(request: Request, form: Extract<CartAction, { intent: "remove" }>) {
  const cartId = await currentCartId(request);
  if (cartId) await setQuantity(cartId, form.variantId, 0);
  return redirectWithToast(request, "/cart", { kind: "info", title: "Removed from your cart" });
}

export default function CartPage() {
  const { lines, currency, quote, destination, destinations, taxByProvider } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-3xl font-bold tracking-tight">Your cart</h1>
      {refused && "error" in refused ? (
        <p role="alert" className="mt-4 rounded-lg border border-red-200 bg-red-50 p-3 text-red-900">
          {refused.error}
        </p>
      ) : null}
      {lines.length === 0 ? (
        <p className="mt-6">
          Your cart is empty.{" "}
          <Link to="/shop" className="font-semibold text-brand-700 underline">
            Browse the shop
          </Link>
          .
        </p>
      ) : (
        <>
          <ul className="mt-6 divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
            {lines.map((l) => (
              <li key={l.variantId} className="flex flex-wrap items-center gap-4 p-4">
                <img
                  src={l.mockupUrl}
                  alt=""
                  width={80}
                  height={80}
                  className="h-20 w-20 rounded-lg border border-stone-200 object-cover"
                />
                <div className="min-w-40 flex-1">
                  <Link to={`/shop/${l.productId}`} className="font-semibold hover:underline">
                    {l.title} {PRODUCT_TYPE_LABELS[l.type]}
                  </Link>
                  <p className="text-sm text-stone-600">
                    Size {l.size} · by @{l.designerUsername} · {formatMoney(l.unitPriceCents, l.currency)} each
                  </p>
                </div>
                <Form method="post" className="flex items-end gap-2">
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="variantId" value={l.variantId} />
                  <label className="text-sm">
                    <span className="sr-only">
                      Quantity of {l.title} ({l.size})
                    </span>
                    <input
                      type="number"
                      name="quantity"
                      min={0}
                      max={20}
                      defaultValue={l.quantity}
                      className="w-16 rounded-md border border-stone-300 px-2 py-1.5"
                    />
                  </label>
                  <button
                    type="submit"
                    className="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-100"
                  >
                    Update
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="variantId" value={l.variantId} />
                  <button type="submit" className="text-sm text-red-800 underline">
                    Remove
                  </button>
                </Form>
                <p className="w-24 text-right font-semibold tabular-nums">
                  {formatMoney(l.unitPriceCents * l.quantity, l.currency)}
                </p>
              </li>
            ))}
          </ul>
          <div className="mt-6 grid gap-6 sm:grid-cols-2">
            <EstimateDestination destination={destination} destinations={destinations} />
            <div>
              {quote?.ok ? (
                <OrderTotals totals={quote.totals} currency={currency} estimate dueLabel="Estimated total" />
              ) : (
                <p role="alert" className="text-sm text-red-800">
                  {quote?.message ?? "Choose where to ship to see shipping and tax."}
                </p>
              )}
              {taxByProvider ? (
                <p className="mt-2 text-xs text-stone-600">Tax is worked out from your address when you pay.</p>
              ) : null}
              <Link
                to="/checkout"
                className="mt-4 block rounded-md bg-brand-600 px-6 py-3 text-center font-semibold text-white hover:bg-brand-700"
              >
                Check out
              </Link>
            </div>
          </div>
        </>
      )}
    </div>
  );
}

/** Where the estimate ships to: a small GET form, so it works before any address is entered. */
function EstimateDestination({
  destination,
  destinations,
}: {
  destination: { country: string; region: string };
  destinations: { country: string; name: string; regions: { code: string; name: string }[] | null }[];
}) {
  const [country, setCountry] = useState(destination.country);
  const regions = destinations.find((d) => d.country === country)?.regions ?? null;
  if (destinations.length === 0)
    return <p className="text-sm text-stone-700">The shop is not shipping anywhere yet.</p>;
  return (
    <Form method="get" className="space-y-3 rounded-xl border border-stone-200 bg-white p-4 text-sm">
      <p className="font-semibold">Shipping to</p>
      <label className="block">
        <span className="block font-medium">Country</span>
        <select
          name="country"
          value={country}
          onChange={(event) => setCountry(event.currentTarget.value)}
          className="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2"
        >
          {destinations.some((d) => d.country === country) ? null : <option value={country}>Choose…</option>}
          {destinations.map((d) => (
            <option key={d.country} value={d.country}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      {regions ? (
        <label className="block">
          <span className="block font-medium">{regionLabel(country)} (for tax)</span>
          <select
            key={country}
            name="region"
            defaultValue={country === destination.country ? destination.region : ""}
            className="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2"
          >
            <option value="">Any</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <button type="submit" className="rounded-md border border-stone-300 px-3 py-1.5 font-semibold hover:bg-stone-100">
        Update estimate
      </button>
    </Form>
  );
}
