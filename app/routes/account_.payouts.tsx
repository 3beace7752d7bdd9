import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { MoreLink, usePagedList } from "~/components/pager";
import { payoutCursor, payoutOverview, requestPayout, startStripeOnboarding } from "~/domain/payouts.server";
import { requireUser } from "~/lib/auth.server";
import { formatDay, formatMoney } from "~/lib/format";
import { redirectWithFailure } from "~/lib/outcome.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { redirectWithToast } from "~/lib/toast.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";
import { useIsPending } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Payouts · Crowdthread" }];

const listSearch = { after: cursorParam(payoutCursor).optional() };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { after } = parseSearchParams(request, listSearch);
  return { ...(await payoutOverview(user.id, { after })), isLaterPage: after !== undefined };
}

const payoutActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("connect") }),
  z.object({ intent: z.literal("request") }),
]);
type Member = Awaited<ReturnType<typeof requireUser>>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = payoutActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  switch (parsed.data.intent) {
    case "connect":
      return connectStripe(request, user);
    case "request":
      return askForPayout(request, user);
  }
}

async function connectStripe(request: Request, user: Member) {
  const link = await startStripeOnboarding(user, publicOrigin(request));
  if (!link.ok) return redirectWithFailure(request, "/account/payouts", link, "Stripe could not be reached");
  return redirect(link.value);
}

async function askForPayout(request: Request, user: Member) {
  const payout = await requestPayout(user.id);
  if (!payout.ok) return redirectWithFailure(request, "/account/payouts", payout, "No payout this time");
  return redirectWithToast(
    request,
    "/account/payouts",
    payout.value.status === "paid"
      ? {
          kind: "success",
          title: "Payout sent",
          description: "Stripe moves it to your bank on your account's schedule.",
        }
      : { kind: "success", title: "Payout requested", description: "An admin will send it and mark it paid." },
  );
}

const STATUS = {
  requested: "Waiting for an admin",
  paid: "Paid",
  failed: "Failed; returned to your balance",
  rejected: "Declined; returned to your balance",
} as const;

export default function PayoutsPage() {
  const { availableCents, minimumCents, provider, connected, history, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(history, useFetcher<typeof loader>(), (data) => data.history);
  const busy = useIsPending({ until: "loaded" });
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
          disabled={!enough || busy || (provider === "stripe" && !connected)}
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
      {list.items.length === 0 ? (
        <p className="mt-2 text-stone-700">No payouts yet.</p>
      ) : (
        <ul className="mt-3 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white">
          {list.items.map((p) => (
            <li key={p.id} className="flex flex-wrap justify-between gap-2 px-4 py-3 text-sm">
              <span>
                {formatDay(p.createdAt)} · {STATUS[p.status]}
                {p.note ? <span className="text-stone-600"> — {p.note}</span> : null}
              </span>
              <span className="font-semibold tabular-nums">{formatMoney(p.amountCents, p.currency)}</span>
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={list} label="Older payouts" startHref={isLaterPage ? "/account/payouts" : null} />
    </div>
  );
}
