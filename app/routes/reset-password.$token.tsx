import { getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormCard } from "~/components/forms";
import { LinkNotValid } from "~/components/link-not-valid";
import { INVALID_RESET_LINK, resetPasswordSchema } from "~/domain/account-forms";
import { findValidReset, resetPassword } from "~/domain/password-reset.server";
import { parseParams, readForm } from "~/lib/edge.server";
import { startSessionAndRedirect } from "~/lib/new-session.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { tokenParam } from "~/lib/tokens.server";

export const meta: MetaFunction = () => [
  { title: "Choose a new password · Crowdthread" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const { token } = parseParams(params, { token: tokenParam });
  const valid = Boolean(await findValidReset(token));
  return data({ valid }, { status: valid ? 200 : 410 });
}

const PASSWORD_FIELDS = ["newPassword", "confirmPassword"];

export async function action({ request, params }: ActionFunctionArgs) {
  const { token } = parseParams(params, { token: tokenParam });
  const submission = parseWithZod(await readForm(request), { schema: resetPasswordSchema });
  if (submission.status !== "success") return invalidReply(submission, { hideFields: PASSWORD_FIELDS });
  const reset = await resetPassword(token, submission.value.newPassword);
  // A used, expired or forged link is gone for good (410), as the page itself says.
  if (!reset.ok) return failureReply(submission, reset, { hideFields: PASSWORD_FIELDS });
  return startSessionAndRedirect(request, reset.value.userId, {
    redirectTo: "/",
    toast: { kind: "success", title: "Password changed", description: "Every other device was signed out." },
  });
}

export default function ResetPasswordPage() {
  const { valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reset-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(resetPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  });
  if (!valid) return <LinkNotValid message={INVALID_RESET_LINK} to="/forgot-password" label="Send a new link" />;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-bold tracking-tight">Choose a new password</h1>
      <p className="mt-2 text-stone-700">After this, every device signed in to your account is signed out.</p>
      <FormCard form={form} submitLabel="Set new password">
        <Field
          label="New password"
          hint="At least 10 characters"
          errors={fields.newPassword.errors}
          inputProps={{
            ...getInputProps(fields.newPassword, { type: "password" }),
            autoComplete: "new-password",
            autoFocus: true,
          }}
        />
        <Field
          label="Repeat the new password"
          errors={fields.confirmPassword.errors}
          inputProps={{ ...getInputProps(fields.confirmPassword, { type: "password" }), autoComplete: "new-password" }}
        />
      </FormCard>
    </div>
  );
}
