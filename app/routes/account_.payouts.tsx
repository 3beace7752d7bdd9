import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { formatMoney } from "~/lib/format";
import { availableCredit } from "~/domain/orders.server";
import { payoutsFor, requestPayout, setStripeAccount, stripeAccountOf } from "~/domain/payouts.server";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { createExpressAccount, onboardingLink, stripeTransfer } from "~/lib/payments.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Payouts · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const env = getEnv();
  const [available, history, account] = await Promise.all([
    availableCredit(db, user.id, new Date()),
    payoutsFor(user.id),
    stripeAccountOf(user.id),
  ]);
  return {
    availableCents: Math.max(0, available),
    minimumCents: env.PAYOUT_MINIMUM_CENTS,
    provider: env.STRIPE_SECRET_KEY ? ("stripe" as const) : ("local" as const),
    connected: Boolean(account?.stripeAccountId),
    history,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const env = getEnv();
  const intent = (await request.formData()).get("intent");
  if (intent === "connect") {
    if (!env.STRIPE_SECRET_KEY) throw new Response("Stripe is not configured on this shop.", { status: 400 });
    const account = await stripeAccountOf(user.id);
    let accountId = account?.stripeAccountId;
    if (!accountId) {
      accountId = await createExpressAccount(user.id, user.email);
      await setStripeAccount(user.id, accountId);
    }
    throw redirect(await onboardingLink(accountId, env.APP_ORIGIN ?? new URL(request.url).origin));
  }
  if (intent === "request") {
    const result = await requestPayout(user.id, { transfer: env.STRIPE_SECRET_KEY ? stripeTransfer : undefined });
    if (!result.ok)
      return redirectWithToast(request, "/account/payouts", {
        kind: "error",
        title: "No payout this time",
        description: result.message,
      });
    return redirectWithToast(
      request,
      "/account/payouts",
      result.status === "paid"
        ? {
            kind: "success",
            title: "Payout sent",
            description: "Stripe moves it to your bank on your account's schedule.",
          }
        : { kind: "success", title: "Payout requested", description: "An admin will send it and mark it paid." },
    );
  }
  throw new Response("Unknown action", { status: 400 });
}

const day = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const STATUS = {
  requested: "Waiting for an admin",
  paid: "Paid",
  failed: "Failed; returned to your balance",
  rejected: "Declined; returned to your balance",
} as const;

export default function PayoutsPage() {
  const { availableCents, minimumCents, provider, connected, history } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const enough = availableCents >= minimumCents;
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-3xl font-bold tracking-tight">Payouts</h1>
      <p className="mt-2 text-stone-700">
        Your cleared balance is <span className="font-semibold">{formatMoney(availableCents)}</span>. Payouts start at{" "}
        {formatMoney(minimumCents)}.{" "}
        <Link to="/account/royalties" className="text-brand-700 underline">
          See every line of it
        </Link>
        .
      </p>
      {provider === "stripe" && !connected ? (
        <Form method="post" className="mt-6 rounded-xl border border-stone-200 bg-white p-4">
          <p className="text-sm">
            Payouts are sent to a Stripe account in your name. Connecting takes a few minutes on Stripe's site.
          </p>
          <button
            type="submit"
            name="intent"
            value="connect"
            className="mt-3 rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            Connect with Stripe
          </button>
        </Form>
      ) : null}
      <Form method="post" className="mt-6">
        <button
          type="submit"
          name="intent"
          value="request"
          disabled={!enough || navigation.state !== "idle" || (provider === "stripe" && !connected)}
          className="rounded-md bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Request a payout of {formatMoney(availableCents)}
        </button>
        {!enough ? (
          <p className="mt-2 text-sm text-stone-600">
            You can request a payout once your cleared balance reaches {formatMoney(minimumCents)}.
          </p>
        ) : null}
      </Form>
      <h2 className="mt-10 text-xl font-semibold">History</h2>
      {history.length === 0 ? (
        <p className="mt-2 text-stone-700">No payouts yet.</p>
      ) : (
        <ul className="mt-3 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white">
          {history.map((p) => (
            <li key={p.id} className="flex flex-wrap justify-between gap-2 px-4 py-3 text-sm">
              <span>
                {day.format(p.createdAt)} · {STATUS[p.status]}
                {p.note ? <span className="text-stone-600"> — {p.note}</span> : null}
              </span>
              <span className="font-semibold tabular-nums">{formatMoney(p.amountCents, p.currency)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
