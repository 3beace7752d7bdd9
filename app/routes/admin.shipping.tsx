import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PRODUCT_TYPES } from "#db/schema";
import { ErrorList, Field, SubmitButton, useIsPending } from "~/components/forms";
import { centsToInput } from "~/domain/money";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { shippingActionSchema, type ShippingAction, type taxSchema, type zoneSchema } from "~/domain/shipping-forms";
import {
  allShippingZones,
  allTaxRates,
  deleteShippingZone,
  deleteTaxRate,
  saveShippingZone,
  saveTaxRate,
  type ShippingZone,
} from "~/domain/shipping.server";
import { countryName } from "~/domain/addresses.server";
import { requireAdmin } from "~/lib/auth.server";
import { readForm } from "~/lib/edge.server";
import { askToConfirm, isConfirmed } from "~/lib/confirm.server";
import { ConfirmStep, type Confirmation } from "~/components/confirm-step";
import { failureReply, invalidReply, redirectWithOutcome } from "~/lib/outcome.server";
import { taxedByStripe } from "~/lib/payments.server";
import type { Submission } from "@conform-to/react";
import type { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Shipping and tax · Admin · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const [zones, taxRates] = await Promise.all([allShippingZones(), allTaxRates()]);
  return {
    zones: zones.map((z) => ({ ...z, countryNames: z.countries.map((c) => countryName(c) ?? c) })),
    taxRates,
    taxedByStripe: taxedByStripe(),
  };
}

type Admin = Awaited<ReturnType<typeof requireAdmin>>;
type Intent<I extends ShippingAction["intent"]> = Extract<ShippingAction, { intent: I }>;

/** Which form on the page a submission came from, so only that one shows its errors. */
function formKeyOf(payload: Record<string, unknown>): string {
  if (payload.intent === "save-zone") return typeof payload.zoneId === "string" ? `zone-${payload.zoneId}` : "new-zone";
  return String(payload.intent ?? "");
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const submission = parseWithZod(await readForm(request), { schema: shippingActionSchema });
  if (submission.status !== "success") {
    return invalidReply(submission, { extra: { formKey: formKeyOf(submission.payload) } });
  }
  const value = submission.value;
  switch (value.intent) {
    case "save-zone":
      return saveZone(request, admin, submission, value);
    case "delete-zone":
      return removeZone(request, admin, value);
    case "save-tax":
      return saveTax(request, admin, submission, value);
    case "delete-tax":
      return removeTax(request, admin, value);
  }
}

async function saveZone(request: Request, admin: Admin, submission: Submission<unknown>, form: Intent<"save-zone">) {
  const saved = await saveShippingZone(
    {
      zoneId: form.zoneId,
      name: form.name,
      countries: form.countries,
      freeShippingOverCents: form.freeShippingOver,
      rates: Object.fromEntries(
        PRODUCT_TYPES.map((t) => [
          t,
          { firstItemCents: form.rates[t].first, additionalItemCents: form.rates[t].additional },
        ]),
      ) as Parameters<typeof saveShippingZone>[0]["rates"],
    },
    admin.id,
  );
  if (!saved.ok) return failureReply(submission, saved, { extra: { formKey: formKeyOf(submission.payload as never) } });
  return redirectWithOutcome(request, "/admin/shipping", saved, {
    kind: "success",
    title: form.zoneId ? `Zone “${form.name}” saved` : `Zone “${form.name}” added`,
  });
}

async function removeZone(request: Request, admin: Admin, form: Intent<"delete-zone">) {
  // Asks first, naming the zone and its countries; the zone's id is the confirmation.
  if (!isConfirmed(form.confirmed, form.zoneId)) {
    const zone = (await allShippingZones()).find((z) => z.id === form.zoneId);
    if (!zone) throw new Response("There is no such shipping zone.", { status: 404 });
    const countries = zone.countries.map((c) => countryName(c) ?? c).join(", ");
    return askToConfirm({
      intent: "delete-zone",
      question: `Delete the shipping zone “${zone.name}”? Buyers in ${countries || "its countries"} can no longer order until another zone covers them.`,
      confirmLabel: `Yes, delete “${zone.name}”`,
      token: zone.id,
      fields: { zoneId: zone.id },
    });
  }
  const deleted = await deleteShippingZone(form.zoneId, admin.id);
  return redirectWithOutcome(request, "/admin/shipping", deleted, {
    kind: "info",
    title: deleted.ok ? `Zone “${deleted.value.name}” deleted: its countries can no longer order` : "",
  });
}

async function saveTax(request: Request, admin: Admin, submission: Submission<unknown>, form: Intent<"save-tax">) {
  const saved = await saveTaxRate({ country: form.country, region: form.region, rateBps: form.percent }, admin.id);
  if (!saved.ok) return failureReply(submission, saved, { extra: { formKey: "save-tax" } });
  return redirectWithOutcome(request, "/admin/shipping", saved, { kind: "success", title: "Tax rate saved" });
}

async function removeTax(request: Request, admin: Admin, form: Intent<"delete-tax">) {
  const token = `${form.country}:${form.region}`;
  if (!isConfirmed(form.confirmed, token)) {
    const rate = (await allTaxRates()).find((t) => t.country === form.country && t.region === form.region);
    if (!rate) throw new Response("There is no such tax rate.", { status: 404 });
    const place = rate.region ? `${rate.regionName}, ${rate.countryName}` : `all of ${rate.countryName}`;
    return askToConfirm({
      intent: "delete-tax",
      question: rate.region
        ? `Remove the ${percentOf(rate.rateBps)}% tax rate for ${place}? Orders there then pay the country-wide rate, if one is set, or no tax.`
        : `Remove the ${percentOf(rate.rateBps)}% tax rate for ${place}? Orders there then pay only a region's own rate, where one is set.`,
      confirmLabel: `Yes, remove the ${percentOf(rate.rateBps)}% rate`,
      token,
      fields: { country: rate.country, region: rate.region },
    });
  }
  const deleted = await deleteTaxRate({ country: form.country, region: form.region }, admin.id);
  return redirectWithOutcome(request, "/admin/shipping", deleted, { kind: "info", title: "Tax rate removed" });
}

type ActionData = { formKey?: string; result?: SubmissionResult<string[]>; confirm?: Confirmation } | undefined;

function useLastResult(formKey: string) {
  const data = useActionData<typeof action>() as ActionData;
  return data?.formKey === formKey ? data.result : undefined;
}

function percentOf(bps: number): string {
  return `${Math.floor(bps / 100)}${bps % 100 ? `.${String(bps % 100).padStart(2, "0")}` : ""}`;
}

export default function AdminShippingPage() {
  const { zones, taxRates, taxedByStripe } = useLoaderData<typeof loader>();
  const confirm = (useActionData<typeof action>() as ActionData)?.confirm;
  return (
    <div className="space-y-10">
      {confirm ? <ConfirmStep confirmation={confirm} cancelHref="/admin/shipping" /> : null}
      <section aria-labelledby="zones-heading">
        <h1 id="zones-heading" className="text-3xl font-bold tracking-tight">
          Shipping zones
        </h1>
        <p className="mt-2 max-w-prose text-sm text-stone-700">
          The shop ships only to the countries of a zone. Per product type, an order pays the first-item rate for its
          first unit and the additional-item rate for each further unit; shipping is free when the items come to the
          zone’s threshold. Amounts are in the shop’s currency.
        </p>
        {zones.length === 0 ? (
          <p role="alert" className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm">
            No zones yet: nobody can check out until the shop ships somewhere.
          </p>
        ) : null}
        <div className="mt-6 space-y-6">
          {zones.map((zone) => (
            <ZoneForm key={zone.id} zone={zone} />
          ))}
          <ZoneForm zone={null} />
        </div>
      </section>

      <section aria-labelledby="tax-heading">
        <h2 id="tax-heading" className="text-2xl font-bold tracking-tight">
          Tax rates
        </h2>
        <p className="mt-2 max-w-prose text-sm text-stone-700">
          Charged on the items and shipping. A region’s rate (a US state, a Canadian province) replaces its country’s; a
          destination with no rate pays no tax.
          {taxedByStripe ? " Stripe Tax is on (STRIPE_AUTOMATIC_TAX), so new orders are taxed by Stripe instead." : ""}
        </p>
        {taxRates.length ? (
          <table className="mt-4 w-full max-w-xl rounded-xl border border-stone-200 bg-white text-left text-sm">
            <thead className="bg-stone-50">
              <tr>
                <th scope="col" className="px-4 py-2">
                  Where
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Rate
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {taxRates.map((t) => (
                <tr key={`${t.country}-${t.region}`}>
                  <td className="px-4 py-2">
                    {t.countryName}
                    {t.region ? ` · ${t.regionName} (${t.region})` : " · whole country"}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{percentOf(t.rateBps)}%</td>
                  <td className="px-4 py-2 text-right">
                    <Form method="post">
                      <input type="hidden" name="intent" value="delete-tax" />
                      <input type="hidden" name="country" value={t.country} />
                      <input type="hidden" name="region" value={t.region} />
                      <button type="submit" className="text-sm text-red-800 underline">
                        Remove
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="mt-4 text-sm text-stone-700">No tax rates: orders carry no tax.</p>
        )}
        <TaxForm />
      </section>
    </div>
  );
}

type ZoneView = ShippingZone & { countryNames: string[] };

function ZoneForm({ zone }: { zone: ZoneView | null }) {
  const formKey = zone ? `zone-${zone.id}` : "new-zone";
  const pending = useIsPending({ intent: "save-zone" });
  const [form, fields] = useForm<z.input<typeof zoneSchema>>({
    id: formKey,
    lastResult: useLastResult(formKey),
    shouldValidate: "onSubmit",
    defaultValue: zone
      ? {
          name: zone.name,
          countries: zone.countries.join(", "),
          freeShippingOver: zone.freeShippingOverCents === null ? "" : centsToInput(zone.freeShippingOverCents),
          rates: Object.fromEntries(
            PRODUCT_TYPES.map((t) => {
              const rate = zone.rates[t];
              return [
                t,
                rate
                  ? { first: centsToInput(rate.firstItemCents), additional: centsToInput(rate.additionalItemCents) }
                  : {},
              ];
            }),
          ),
        }
      : undefined,
  });
  const rates = fields.rates.getFieldset();
  return (
    <div className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm">
      <h3 className="text-lg font-semibold">{zone ? zone.name : "Add a zone"}</h3>
      {zone ? <p className="text-sm text-stone-600">{zone.countryNames.join(", ")}</p> : null}
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <input type="hidden" name="intent" value="save-zone" />
        {zone ? <input type="hidden" name="zoneId" value={zone.id} /> : null}
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Zone name"
            errors={fields.name.errors}
            inputProps={getInputProps(fields.name, { type: "text" })}
          />
          <Field
            label="Free shipping from (optional)"
            hint="Items’ subtotal, e.g. 75"
            errors={fields.freeShippingOver.errors}
            inputProps={{ ...getInputProps(fields.freeShippingOver, { type: "text" }), inputMode: "decimal" }}
          />
        </div>
        <Field
          label="Countries"
          hint="Two-letter codes, separated by commas: US, CA, GB"
          errors={fields.countries.errors}
          inputProps={getInputProps(fields.countries, { type: "text" })}
        />
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-medium">Rates</legend>
          {PRODUCT_TYPES.map((type) => {
            const rate = rates[type].getFieldset();
            const label = PRODUCT_TYPE_LABELS[type];
            return (
              <div key={type} className="grid grid-cols-2 gap-2">
                <Field
                  label={`${label}: first`}
                  errors={rate.first.errors}
                  inputProps={{ ...getInputProps(rate.first, { type: "text" }), inputMode: "decimal" }}
                />
                <Field
                  label={`${label}: each more`}
                  errors={rate.additional.errors}
                  inputProps={{ ...getInputProps(rate.additional, { type: "text" }), inputMode: "decimal" }}
                />
              </div>
            );
          })}
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <SubmitButton pending={pending}>{zone ? "Save zone" : "Add zone"}</SubmitButton>
        </div>
      </Form>
      {zone ? (
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="delete-zone" />
          <input type="hidden" name="zoneId" value={zone.id} />
          <button type="submit" className="text-sm text-red-800 underline">
            Delete this zone (its countries can no longer order)
          </button>
        </Form>
      ) : null}
    </div>
  );
}

function TaxForm() {
  const pending = useIsPending({ intent: "save-tax" });
  const [form, fields] = useForm<z.input<typeof taxSchema>>({
    id: "save-tax",
    lastResult: useLastResult("save-tax"),
    shouldValidate: "onSubmit",
  });
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="mt-6 max-w-xl space-y-4 rounded-xl border border-stone-200 bg-white p-5 shadow-sm"
    >
      <h3 className="text-lg font-semibold">Set a tax rate</h3>
      <input type="hidden" name="intent" value="save-tax" />
      <ErrorList id={form.errorId} errors={form.errors} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Country"
          hint="e.g. CA"
          errors={fields.country.errors}
          inputProps={getInputProps(fields.country, { type: "text" })}
        />
        <Field
          label="Region (optional)"
          hint="e.g. ON"
          errors={fields.region.errors}
          inputProps={getInputProps(fields.region, { type: "text" })}
        />
        <Field
          label="Rate (%)"
          hint="e.g. 13"
          errors={fields.percent.errors}
          inputProps={{ ...getInputProps(fields.percent, { type: "text" }), inputMode: "decimal" }}
        />
      </div>
      <SubmitButton pending={pending}>Save tax rate</SubmitButton>
    </Form>
  );
}
