import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { removeSavedAddress, savedAddressesOf } from "~/domain/addresses.server";
import { requireUser } from "~/lib/auth.server";
import { readForm } from "~/lib/edge.server";
import { redirectWithFailure } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Saved addresses · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { addresses: await savedAddressesOf(user.id) };
}

/** The page's one form: forget a saved address. Addresses are saved at checkout. */
const removeSchema = z.object({ intent: z.literal("remove"), addressId: z.uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = removeSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  const removed = await removeSavedAddress(user.id, parsed.data.addressId);
  if (!removed.ok) return redirectWithFailure(request, "/settings/addresses", removed);
  return redirectWithToast(request, "/settings/addresses", { kind: "info", title: "Address removed" });
}

export default function SavedAddressesPage() {
  const { addresses } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-2xl">
      <p className="text-sm">
        <Link to="/settings" className="text-brand-700 underline">
          Settings
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Saved addresses</h1>
      <p className="mt-2 text-stone-700">
        Addresses you chose to keep at checkout, to ship to again. They are yours alone and go with your account.
      </p>
      {addresses.length === 0 ? (
        <p className="mt-6">No saved addresses. Tick “Save this address” at checkout to keep one.</p>
      ) : (
        <ul className="mt-6 space-y-3">
          {addresses.map((a) => (
            <li
              key={a.id}
              className="flex flex-wrap items-start justify-between gap-3 rounded-xl border border-stone-200 bg-white p-4"
            >
              <address className="text-sm not-italic">
                <span className="font-semibold">{a.name}</span>
                <br />
                {a.line1}
                {a.line2 ? `, ${a.line2}` : ""}
                <br />
                {a.postalCode ? `${a.postalCode} · ` : ""}
                {a.place}
              </address>
              <Form method="post">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="addressId" value={a.id} />
                <button type="submit" className="text-sm text-red-800 underline">
                  Remove<span className="sr-only"> the address of {a.name}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
