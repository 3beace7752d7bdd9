import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { EmailField, FormCard } from "~/components/forms";
import { forgotPasswordSchema, RESET_LINK_MINUTES } from "~/domain/account-forms";
import { requestPasswordReset } from "~/domain/password-reset.server";
import { getEnv } from "~/lib/env.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Crowdthread" }];

export function loader(_args: LoaderFunctionArgs) {
  const env = getEnv();
  return { showOutbox: !env.SMTP_URL && env.NODE_ENV !== "production" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: forgotPasswordSchema });
  if (submission.status !== "success") return invalidReply(submission, { extra: { sentTo: null } });
  const requested = await requestPasswordReset(submission.value.email, context.clientIp);
  if (!requested.ok) return failureReply(submission, requested, { extra: { sentTo: null } });
  // The same answer whether or not the address has an account.
  return { result: submission.reply({ resetForm: true }), sentTo: submission.value.email };
}

export default function ForgotPasswordPage() {
  const { showOutbox } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "forgot-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(forgotPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-bold tracking-tight">Forgot your password?</h1>
      <p className="mt-2 text-stone-700">
        Enter your account's email and we'll send you a link to choose a new one. It works once, for{" "}
        {RESET_LINK_MINUTES} minutes.
      </p>
      {actionData?.sentTo ? (
        <div role="status" className="mt-6 rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-emerald-900">
          <p className="font-semibold">Check your inbox</p>
          <p className="mt-1 text-sm">
            If {actionData.sentTo} belongs to an account, a reset link is on its way. It can take a minute; look in your
            spam folder too.
          </p>
          {showOutbox ? (
            <p className="mt-2 text-sm">
              This server has no mail server set up, so the email is in the{" "}
              <Link to="/dev/outbox" className="font-semibold underline">
                local outbox
              </Link>
              .
            </p>
          ) : null}
        </div>
      ) : null}
      <FormCard form={form} submitLabel="Send me a reset link">
        <EmailField meta={fields.email} />
      </FormCard>
      <p className="mt-4 text-sm text-stone-700">
        Remembered it?{" "}
        <Link to="/login" className="font-semibold text-brand-700 underline">
          Log in
        </Link>
      </p>
    </div>
  );
}
