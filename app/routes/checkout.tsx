import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList, Field, SubmitButton, useIsPending } from "~/components/forms";
import { cartOfUser } from "~/domain/cart.server";
import { checkoutSchema } from "~/domain/order-forms";
import { beginPayment, checkoutSummary } from "~/domain/orders.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { requireUser } from "~/lib/auth.server";
import { formatMoney } from "~/lib/format";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Checkout · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Guests log in (or sign up) here; their cart comes with them.
  const user = await requireUser(request);
  const summary = await checkoutSummary(user.id, await cartOfUser(user.id));
  if (!summary) throw redirect("/cart");
  return summary;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: checkoutSchema });
  if (submission.status !== "success") return invalidReply(submission);
  const { useCredit, ...shipping } = submission.value;
  const started = await beginPayment({
    buyerId: user.id,
    cartId: await cartOfUser(user.id),
    shipping,
    useCredit,
    origin: publicOrigin(request),
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

const COUNTRIES: [string, string][] = [
  ["US", "United States"],
  ["CA", "Canada"],
  ["GB", "United Kingdom"],
  ["IE", "Ireland"],
  ["DE", "Germany"],
  ["FR", "France"],
  ["ES", "Spain"],
  ["IT", "Italy"],
  ["NL", "Netherlands"],
  ["SE", "Sweden"],
  ["AU", "Australia"],
  ["NZ", "New Zealand"],
  ["JP", "Japan"],
];

export default function CheckoutPage() {
  const { lines, subtotalCents, currency, creditCents } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const [form, fields] = useForm({
    id: "checkout",
    lastResult: actionData?.result,
    constraint: getZodConstraint(checkoutSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: checkoutSchema }),
  });
  const { key: _countryKey, ...countryProps } = getInputProps(fields.country, { type: "text" });
  return (
    <div className="grid gap-8 lg:grid-cols-[3fr_2fr]">
      <section aria-labelledby="shipping-heading">
        <h1 id="shipping-heading" className="text-3xl font-bold tracking-tight">
          Shipping address
        </h1>
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
            <Field
              label="Postal code"
              errors={fields.postalCode.errors}
              inputProps={{ ...getInputProps(fields.postalCode, { type: "text" }), autoComplete: "postal-code" }}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor={fields.country.id} className="block text-sm font-medium">
              Country
            </label>
            <select
              id={countryProps.id}
              name={countryProps.name}
              defaultValue={(countryProps.defaultValue as string | undefined) ?? "US"}
              aria-invalid={countryProps["aria-invalid"]}
              aria-describedby={countryProps["aria-describedby"]}
              autoComplete="country"
              className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2"
            >
              {COUNTRIES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
            <ErrorList id={fields.country.errorId} errors={fields.country.errors} />
          </div>
          {creditCents > 0 ? (
            <label className="flex items-start gap-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm">
              <input type="checkbox" name="useCredit" className="mt-0.5 h-4 w-4 accent-brand-600" />
              <span>
                Use my store credit: {formatMoney(Math.min(creditCents, subtotalCents), currency)} of my{" "}
                {formatMoney(creditCents, currency)} balance
                {creditCents >= subtotalCents ? " pays for the whole order" : "; the rest is paid by card"}.
              </span>
            </label>
          ) : null}
          <SubmitButton pending={pending} className="w-full">
            Continue to payment · {formatMoney(subtotalCents, currency)}
          </SubmitButton>
        </Form>
      </section>
      <aside aria-labelledby="summary-heading" className="rounded-xl border border-stone-200 bg-white p-6">
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
        <p className="mt-4 flex justify-between border-t border-stone-100 pt-3 font-semibold">
          <span>Total</span>
          <span className="tabular-nums">{formatMoney(subtotalCents, currency)}</span>
        </p>
        <p className="mt-3 text-xs text-stone-600">Shipping is included. Prices are fixed when you place the order.</p>
        <Link to="/cart" className="mt-4 inline-block text-sm text-brand-700 underline">
          Edit cart
        </Link>
      </aside>
    </div>
  );
}
