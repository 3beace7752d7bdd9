import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useActionData } from "@remix-run/react";
import { z } from "zod";
import { cartContents, MAX_QUANTITY, setQuantity } from "~/domain/cart.server";
import { formatMoney } from "~/lib/format";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { currentCartId } from "~/lib/cart-session.server";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Your cart · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const cartId = await currentCartId(request);
  if (!cartId) return { lines: [], subtotalCents: 0, itemCount: 0, currency: "usd" };
  const contents = await cartContents(cartId);
  return { ...contents, currency: contents.lines[0]?.currency ?? "usd" };
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
  const { lines, subtotalCents, currency } = useLoaderData<typeof loader>();
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
          <div className="mt-6 flex flex-wrap items-center justify-between gap-4">
            <p className="text-lg">
              Subtotal <span className="font-bold tabular-nums">{formatMoney(subtotalCents, currency)}</span>
            </p>
            <Link
              to="/checkout"
              className="rounded-md bg-brand-600 px-6 py-3 font-semibold text-white hover:bg-brand-700"
            >
              Check out
            </Link>
          </div>
        </>
      )}
    </div>
  );
}
