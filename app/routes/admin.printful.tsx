import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { PRODUCT_TYPES } from "#db/schema";
import { printfulVariantTable, savePrintfulVariants } from "~/domain/fulfilment.server";
import { VARIANTS } from "~/domain/products";
import { requireAdmin } from "~/lib/auth.server";
import { readForm } from "~/lib/edge.server";
import { fulfilmentProvider } from "~/lib/fulfilment.server";
import { redirectWithOutcome } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Printful · Admin · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { rows: await printfulVariantTable(), configured: fulfilmentProvider().name === "printful" };
}

/** One field per product type and size: `variant:<type>:<size>`, a Printful variant id or empty. */
const fieldName = (type: string, size: string) => `variant:${type}:${size}`;
const variantField = z.union([z.literal(""), z.coerce.number().int().positive().max(2_147_483_647)]).optional();
const variantsSchema = z.object({
  intent: z.literal("save"),
  ...Object.fromEntries(
    PRODUCT_TYPES.flatMap((type) => VARIANTS[type].map(({ size }) => [fieldName(type, size), variantField])),
  ),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const parsed = variantsSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success)
    return redirectWithToast(request, "/admin/printful", {
      kind: "error",
      title: "Printful variant ids are whole numbers, such as 4012; leave a size empty to clear it.",
    });
  const values = parsed.data as unknown as Record<string, number | "" | undefined>;
  const rows = PRODUCT_TYPES.flatMap((type) =>
    VARIANTS[type].map(({ size }) => {
      const value = values[fieldName(type, size)];
      return { productType: type, size, variantId: typeof value === "number" ? value : null };
    }),
  );
  const saved = await savePrintfulVariants(rows, admin.id);
  return redirectWithOutcome(request, "/admin/printful", saved, { kind: "success", title: "Printful variants saved" });
}

export default function AdminPrintfulPage() {
  const { rows, configured } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      <h1 className="text-3xl font-bold tracking-tight">Printful</h1>
      <p className="mt-2 text-stone-700">
        {configured
          ? "Paid orders are sent to Printful, which prints, packs and ships them and reports the tracking number back."
          : "Printful is off: set PRINTFUL_API_KEY, PRINTFUL_STORE_ID and PRINTFUL_WEBHOOK_SECRET to send paid orders to it (see the README). Until then orders are shipped by hand."}
      </p>
      <p className="mt-2 text-sm text-stone-700">
        For each of the shop&apos;s sizes, the Printful catalog variant it is printed on (the product, colour and size
        in Printful&apos;s catalog, e.g. 4012). An order with a size left empty is not sent: its page says which.
      </p>
      <Form method="post" className="mt-6">
        <input type="hidden" name="intent" value="save" />
        <table className="w-full rounded-xl border border-stone-200 bg-white text-left text-sm">
          <thead className="bg-stone-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                Product
              </th>
              <th scope="col" className="px-4 py-2">
                Size
              </th>
              <th scope="col" className="px-4 py-2">
                Printful variant id
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {rows.map((r) => (
              <tr key={`${r.productType}-${r.size}`}>
                <td className="px-4 py-2">{r.label}</td>
                <td className="px-4 py-2">{r.size}</td>
                <td className="px-4 py-2">
                  <input
                    name={fieldName(r.productType, r.size)}
                    defaultValue={r.variantId ?? ""}
                    inputMode="numeric"
                    pattern="[0-9]*"
                    aria-label={`Printful variant id for ${r.label} ${r.size}`}
                    className="w-32 rounded-md border border-stone-300 px-2 py-1.5"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="submit"
          className="mt-4 rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
        >
          Save
        </button>
      </Form>
    </div>
  );
}
