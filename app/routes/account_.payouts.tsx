import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { getFormProps, getInputProps, useForm, type Submission } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { MoreLink, usePagedList } from "~/components/pager";
import { destinationOf, PAYOUT_METHODS, payoutRequestSchema, type PayoutDestination } from "~/domain/payout-forms";
import { payoutCursor, payoutOverview, requestPayout, startStripeOnboarding } from "~/domain/payouts.server";
import { requireUser } from "~/lib/auth.server";
import { formatDay, formatMoney } from "~/lib/format";
import { failureReply, invalidReply, redirectWithFailure } from "~/lib/outcome.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { redirectWithToast } from "~/lib/toast.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";
import { cursorParam } from "~/lib/pagination.server";
import { ErrorList, Field, useIsPending } from "~/components/forms";

export const meta: MetaFunction = () => [{ title: "Payouts · Crowdthread" }];

const listSearch = { after: cursorParam(payoutCursor).optional() };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { after } = parseSearchParams(request, listSearch);
  return { ...(await payoutOverview(user.id, { after })), isLaterPage: after !== undefined };
}

const connectSchema = z.object({ intent: z.literal("connect") });
const payoutActionSchema = z.discriminatedUnion("intent", [connectSchema, payoutRequestSchema]);
type Member = Awaited<ReturnType<typeof requireUser>>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: payoutActionSchema });
  if (submission.status !== "success") {
    if (submission.payload.intent === "request") return invalidReply(submission);
    throw new Response("Unknown action", { status: 400 });
  }
  switch (submission.value.intent) {
    case "connect":
      return connectStripe(request, user);
    case "request":
      return askForPayout(request, user, submission, destinationOf(submission.value));
  }
}

async function connectStripe(request: Request, user: Member) {
  const link = await startStripeOnboarding(user, publicOrigin(request));
  if (!link.ok) return redirectWithFailure(request, "/account/payouts", link, "Stripe could not be reached");
  return redirect(link.value);
}

async function askForPayout(
  request: Request,
  user: Member,
  submission: Submission<unknown>,
  destination: PayoutDestination | null,
) {
  const payout = await requestPayout(user.id, { destination });
  if (!payout.ok) {
    if (payout.field) return failureReply(submission, payout);
    return redirectWithFailure(request, "/account/payouts", payout, "No payout this time");
  }
  return redirectWithToast(
    request,
    "/account/payouts",
    payout.value.status === "paid"
      ? {
          kind: "success",
          title: "Payout sent",
          description: "Stripe moves it to your bank on your account's schedule.",
        }
      : {
          kind: "success",
          title: "Payout requested",
          description: "We will send it and tell you when it is on its way.",
        },
  );
}

const STATUS = {
  requested: "Requested: waiting to be sent",
  paid: "Paid",
  failed: "Failed; returned to your balance",
  rejected: "Declined; returned to your balance",
} as const;

export default function PayoutsPage() {
  const { availableCents, minimumCents, provider, connected, savedDestination, history, isLaterPage } =
    useLoaderData<typeof loader>();
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
      {provider === "stripe" ? (
        <Form method="post" className="mt-6">
          <input type="hidden" name="method" value="stripe" />
          <button
            type="submit"
            name="intent"
            value="request"
            disabled={!enough || busy || !connected}
            className="rounded-md bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-50"
          >
            Request a payout of {formatMoney(availableCents)}
          </button>
        </Form>
      ) : (
        <LocalPayoutForm availableCents={availableCents} enough={enough} busy={busy} saved={savedDestination} />
      )}
      {!enough ? (
        <p className="mt-2 text-sm text-stone-600">
          You can request a payout once your cleared balance reaches {formatMoney(minimumCents)}.
        </p>
      ) : null}
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

/** By hand (the local provider): where to send the money, PayPal or a bank, filled from the last request. */
function LocalPayoutForm({
  availableCents,
  enough,
  busy,
  saved,
}: {
  availableCents: number;
  enough: boolean;
  busy: boolean;
  saved: PayoutDestination | null;
}) {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "payout-request",
    lastResult: actionData?.result,
    constraint: getZodConstraint(payoutRequestSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: payoutRequestSchema }),
    defaultValue: {
      method: saved?.method ?? "paypal",
      paypalEmail: saved?.method === "paypal" ? saved.email : "",
      accountHolder: saved?.method === "bank" ? saved.accountHolder : "",
      account: saved?.method === "bank" ? saved.account : "",
      routing: saved?.method === "bank" ? saved.routing : "",
    },
  });
  const method = fields.method.value ?? saved?.method ?? "paypal";
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="mt-6 space-y-4 rounded-xl border border-stone-200 bg-white p-4 shadow-sm"
    >
      <ErrorList id={form.errorId} errors={form.errors} />
      <fieldset>
        <legend className="text-sm font-medium text-stone-800">Where should we send it?</legend>
        <div className="mt-2 flex flex-wrap gap-3">
          {PAYOUT_METHODS.map((m) => (
            <label
              key={m.method}
              className="flex cursor-pointer items-center gap-2 rounded-lg border border-stone-300 px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
            >
              <input
                type="radio"
                name={fields.method.name}
                value={m.method}
                defaultChecked={method === m.method}
                onChange={() => form.update({ name: fields.method.name, value: m.method })}
              />
              {m.label}
            </label>
          ))}
        </div>
        <ErrorList id={fields.method.errorId} errors={fields.method.errors} />
      </fieldset>
      {method === "paypal" ? (
        <Field
          label="PayPal email address"
          errors={fields.paypalEmail.errors}
          inputProps={{ ...getInputProps(fields.paypalEmail, { type: "email" }), autoComplete: "email" }}
        />
      ) : (
        <>
          <Field
            label="Account holder"
            errors={fields.accountHolder.errors}
            inputProps={{ ...getInputProps(fields.accountHolder, { type: "text" }), autoComplete: "name" }}
          />
          <Field
            label="IBAN or account number"
            errors={fields.account.errors}
            inputProps={getInputProps(fields.account, { type: "text" })}
          />
          <Field
            label="SWIFT/BIC or routing number"
            errors={fields.routing.errors}
            inputProps={getInputProps(fields.routing, { type: "text" })}
          />
        </>
      )}
      <p className="text-sm text-stone-600">
        Only the admin who sends the money sees these details. We keep them for your next payout.
      </p>
      <button
        type="submit"
        name="intent"
        value="request"
        disabled={!enough || busy}
        className="rounded-md bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-50"
      >
        Request a payout of {formatMoney(availableCents)}
      </button>
    </Form>
  );
}
