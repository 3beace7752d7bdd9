import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { SubmitButton, useIsPending } from "~/components/forms";
import { LinkNotValid } from "~/components/link-not-valid";
import { confirmEmailChange, findEmailChange } from "~/domain/email-change.server";
import { parseParams } from "~/lib/edge.server";
import { FAILURE_STATUS } from "~/lib/outcome.server";
import { toastHeader } from "~/lib/toast.server";
import { tokenParam } from "~/lib/tokens.server";

export const meta: MetaFunction = () => [
  { title: "Confirm your new email · Crowdthread" },
  { name: "referrer", content: "no-referrer" },
];

/** Opening the link only shows the question: mail scanners that fetch links must not change an account. */
export async function loader({ params }: LoaderFunctionArgs) {
  const { token } = parseParams(params, { token: tokenParam });
  const change = await findEmailChange(token);
  return data({ newEmail: change?.newEmail ?? null }, { status: change ? 200 : 410 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { token } = parseParams(params, { token: tokenParam });
  const outcome = await confirmEmailChange(token);
  // A used or expired link is gone (410); an address taken meanwhile is a conflict (409) and changes nothing.
  if (!outcome.ok) return data({ error: outcome.message }, { status: FAILURE_STATUS[outcome.code] });
  return redirect("/settings", {
    headers: {
      "Set-Cookie": await toastHeader(request, {
        kind: "success",
        title: "Email address changed",
        description: `Your account now uses ${outcome.value.email}.`,
      }),
    },
  });
}

export default function ConfirmEmailPage() {
  const { newEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  if (!newEmail || actionData?.error) {
    return (
      <LinkNotValid
        message={
          actionData?.error ?? "This confirmation link is invalid, used or expired. Ask for a new one in your settings."
        }
        to="/settings"
        label="Go to your settings"
      />
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-bold tracking-tight">Confirm your new email</h1>
      <p className="mt-2 text-stone-700">
        Use <strong>{newEmail}</strong> for your Crowdthread account from now on? You will log in with it, and account
        mail goes there.
      </p>
      <Form method="post" className="mt-6">
        <SubmitButton pending={pending}>Yes, use this address</SubmitButton>
      </Form>
    </div>
  );
}
