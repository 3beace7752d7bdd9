import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { ErrorList, Field, SubmitButton, useIsPending } from "~/components/forms";
import { OrderTotals } from "~/components/order-totals";
import { cartOfUser } from "~/domain/cart.server";
import { checkoutView } from "~/domain/checkout.server";
import { checkoutFields, checkoutSchema, regionLabel, rulesFromDestinations } from "~/domain/order-forms";
import { beginPayment } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { currentAddressRules } from "~/domain/shipping.server";
import { orderTotals, shippingCost, taxRateFrom } from "~/domain/totals";
import { requireUser } from "~/lib/auth.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";
import { formatMoney } from "~/lib/format";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { readShareArrival } from "~/lib/share-cookie.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Checkout · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // ?address=<id> starts the form from that saved address; ?address=new from a blank one.
  const { address } = parseSearchParams(request, {
    address: z
      .union([z.uuid(), z.literal("new")])
      .optional()
      .catch(undefined),
  });
  // Guests log in (or sign up) here; their cart comes with them.
  const user = await requireUser(request);
  const view = await checkoutView(user.id, await cartOfUser(user.id), address);
  if (!view) throw redirect("/cart");
  return view;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const schema = checkoutSchema(await currentAddressRules());
  const submission = parseWithZod(await readForm(request), { schema });
  if (submission.status !== "success") return invalidReply(submission);
  const { useCredit, saveAddress, ...shipping } = submission.value;
  const started = await beginPayment({
    buyerId: user.id,
    cartId: await cartOfUser(user.id),
    shipping,
    useCredit,
    saveAddress,
    origin: publicOrigin(request),
    shareDesignerId: (await readShareArrival(request))?.designerId ?? null,
  });
  if (!started.ok) return failureReply(submission, started);
  if (started.value.paymentUnavailable) {
    return redirectWithToast(request, started.value.redirectTo, {
      kind: "error",
      title: "Your order is saved, but payment could not start",
      description: started.value.paymentUnavailable,
    });
  }
  if (started.value.paidWithCredit) {
    return redirectWithToast(request, started.value.redirectTo, {
      kind: "success",
      title: "Paid with your store credit",
      description: "Thank you! The designers have been credited.",
    });
  }
  return redirect(started.value.redirectTo);
}

const selectClass =
  "block w-full rounded-md border border-stone-300 bg-white px-3 py-2 aria-[invalid]:border-red-600 focus:border-brand-600";

export default function CheckoutPage() {
  const {
    lines,
    currency,
    creditCents,
    destinations,
    defaultCountry,
    taxRates,
    taxByProvider,
    savedAddresses,
    startAddress,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const schema = useMemo(() => checkoutSchema(rulesFromDestinations(destinations)), [destinations]);
  const [form, fields] = useForm({
    // A saved address chosen anew starts a fresh form.
    id: `checkout-${startAddress?.id ?? "new"}`,
    lastResult: actionData?.result,
    defaultValue: startAddress
      ? { ...startAddress, saveAddress: undefined }
      : { country: defaultCountry ?? undefined, saveAddress: "on" },
    constraint: getZodConstraint(checkoutFields),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });

  // The summary follows the form: the same totals function the server charges by.
  const country = typeof fields.country.value === "string" ? fields.country.value : "";
  const destination = destinations.find((d) => d.country === country);
  const regionValue = typeof fields.region.value === "string" ? fields.region.value : "";
  const region = destination?.regions?.some((r) => r.code === regionValue) ? regionValue : "";
  const totalsLines = lines.map((l) => ({
    productType: l.type,
    unitPriceCents: l.unitPriceCents,
    quantity: l.quantity,
  }));
  const shippingCents = destination ? shippingCost(totalsLines, destination.zone) : null;
  const totals =
    shippingCents === null
      ? null
      : orderTotals({
          lines: totalsLines,
          shippingCents,
          tax: taxByProvider ? { byProvider: true } : { rateBps: taxRateFrom(taxRates, country, region) },
          creditCents: fields.useCredit.value === "on" ? creditCents : 0,
        });
  const { key: _regionKey, ...regionProps } = getInputProps(fields.region, { type: "text" });
  const { key: _countryKey, ...countryProps } = getInputProps(fields.country, { type: "text" });

  return (
    <div className="grid gap-8 lg:grid-cols-[3fr_2fr]">
      <section aria-labelledby="shipping-heading">
        <h1 id="shipping-heading" className="text-3xl font-bold tracking-tight">
          Shipping address
        </h1>
        {savedAddresses.length ? (
          <nav aria-label="Saved addresses" className="mt-4">
            <ul className="grid gap-2 sm:grid-cols-2">
              {savedAddresses.map((a) => {
                const current = a.id === startAddress?.id;
                return (
                  <li key={a.id}>
                    <Link
                      to={`/checkout?address=${a.id}`}
                      aria-current={current ? "true" : undefined}
                      className={`block rounded-lg border p-3 text-sm ${current ? "border-brand-600 bg-brand-50" : "border-stone-200 bg-white hover:border-stone-400"}`}
                    >
                      <span className="font-semibold">{a.name}</span>
                      <span className="block text-stone-600">
                        {a.line1}, {a.place}
                      </span>
                      <span className="sr-only">{current ? " (in the form)" : " (ship here)"}</span>
                    </Link>
                  </li>
                );
              })}
              <li>
                <Link
                  to="/checkout?address=new"
                  aria-current={startAddress ? undefined : "true"}
                  className="flex h-full items-center rounded-lg border border-dashed border-stone-300 p-3 text-sm font-semibold text-brand-700"
                >
                  A new address
                </Link>
              </li>
            </ul>
          </nav>
        ) : null}
        <Form
          method="post"
          {...getFormProps(form)}
          className="mt-6 space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
        >
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Full name"
            errors={fields.name.errors}
            inputProps={{ ...getInputProps(fields.name, { type: "text" }), autoComplete: "name" }}
          />
          <div className="space-y-1">
            <label htmlFor={fields.country.id} className="block text-sm font-medium">
              Country
            </label>
            <select
              id={countryProps.id}
              name={countryProps.name}
              defaultValue={countryProps.defaultValue as string | undefined}
              aria-invalid={countryProps["aria-invalid"]}
              aria-describedby={countryProps["aria-describedby"]}
              autoComplete="country"
              className={selectClass}
            >
              {destinations.map((d) => (
                <option key={d.country} value={d.country}>
                  {d.name}
                </option>
              ))}
            </select>
            <ErrorList id={fields.country.errorId} errors={fields.country.errors} />
          </div>
          <Field
            label="Address"
            errors={fields.line1.errors}
            inputProps={{ ...getInputProps(fields.line1, { type: "text" }), autoComplete: "address-line1" }}
          />
          <Field
            label="Apartment, suite (optional)"
            errors={fields.line2.errors}
            inputProps={{ ...getInputProps(fields.line2, { type: "text" }), autoComplete: "address-line2" }}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="City"
              errors={fields.city.errors}
              inputProps={{ ...getInputProps(fields.city, { type: "text" }), autoComplete: "address-level2" }}
            />
            {destination?.regions ? (
              <div className="space-y-1">
                <label htmlFor={fields.region.id} className="block text-sm font-medium">
                  {regionLabel(country)}
                </label>
                <select
                  // A new country brings its own list.
                  key={country}
                  id={regionProps.id}
                  name={regionProps.name}
                  defaultValue={region}
                  aria-invalid={regionProps["aria-invalid"]}
                  aria-describedby={regionProps["aria-describedby"]}
                  autoComplete="address-level1"
                  className={selectClass}
                >
                  <option value="">Choose…</option>
                  {destination.regions.map((r) => (
                    <option key={r.code} value={r.code}>
                      {r.name}
                    </option>
                  ))}
                </select>
                <ErrorList id={fields.region.errorId} errors={fields.region.errors} />
              </div>
            ) : null}
            <Field
              label="Postal code"
              errors={fields.postalCode.errors}
              inputProps={{ ...getInputProps(fields.postalCode, { type: "text" }), autoComplete: "postal-code" }}
            />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name={fields.saveAddress.name}
              defaultChecked={fields.saveAddress.initialValue === "on"}
              className="h-4 w-4 accent-brand-600"
            />
            Save this address for my next order
          </label>
          {creditCents > 0 ? (
            <label className="flex items-start gap-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm">
              <input
                type="checkbox"
                name={fields.useCredit.name}
                defaultChecked={fields.useCredit.initialValue === "on"}
                className="mt-0.5 h-4 w-4 accent-brand-600"
              />
              <span>
                Use my store credit ({formatMoney(creditCents, currency)}): it pays toward the whole total, shipping and
                tax included; any rest is paid by card.
              </span>
            </label>
          ) : null}
          <SubmitButton pending={pending} className="w-full">
            Continue to payment{totals ? ` · ${formatMoney(totals.amountDueCents, currency)}` : ""}
          </SubmitButton>
        </Form>
      </section>
      <aside aria-labelledby="summary-heading" className="self-start rounded-xl border border-stone-200 bg-white p-6">
        <h2 id="summary-heading" className="text-lg font-semibold">
          Order summary
        </h2>
        <ul className="mt-3 space-y-2 text-sm">
          {lines.map((l) => (
            <li key={l.variantId} className="flex justify-between gap-4">
              <span>
                {l.quantity} × {l.title} {PRODUCT_TYPE_LABELS[l.type]} ({l.size})
              </span>
              <span className="tabular-nums">{formatMoney(l.unitPriceCents * l.quantity, l.currency)}</span>
            </li>
          ))}
        </ul>
        <div className="mt-4 border-t border-stone-100 pt-3" aria-live="polite">
          {totals ? (
            <OrderTotals totals={totals} currency={currency} />
          ) : (
            <p role="alert" className="text-sm text-red-800">
              {destination
                ? `Sorry, we can't ship everything in your cart to ${destination.name} yet.`
                : "Choose a country we ship to."}
            </p>
          )}
        </div>
        {destination && totals && destination.zone.freeShippingOverCents !== null && totals.shippingCents > 0 ? (
          <p className="mt-3 text-xs text-stone-600">
            Free shipping to {destination.name} on orders of{" "}
            {formatMoney(destination.zone.freeShippingOverCents, currency)} or more.
          </p>
        ) : null}
        <p className="mt-3 text-xs text-stone-600">
          {taxByProvider
            ? "Tax is worked out by Stripe from your address when you pay. "
            : "Tax is charged on the items and shipping at your destination's rate. "}
          Prices are fixed when you place the order.
        </p>
        <Link to="/cart" className="mt-4 inline-block text-sm text-brand-700 underline">
          Edit cart
        </Link>
      </aside>
    </div>
  );
}
