import { getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { EmailField, Field, FormCard } from "~/components/forms";
import { withRedirectTo } from "~/components/account-links";
import { signupSchema } from "~/domain/account-forms";
import { signUpFrom } from "~/domain/accounts.server";
import { recordSignup } from "~/domain/share-links.server";
import { readShareArrival } from "~/lib/share-cookie.server";
import { requireAnonymous, safeRedirectPath } from "~/lib/auth.server";
import { startSessionAndRedirect } from "~/lib/new-session.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Sign up · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = parseWithZod(await readForm(request), { schema: signupSchema });
  if (submission.status !== "success") return invalidReply(submission, { hideFields: ["password"] });
  const created = await signUpFrom(context.clientIp, submission.value);
  if (!created.ok) return failureReply(submission, created, { hideFields: ["password"] });
  await recordSignup(created.value.userId, context.clientIp, await readShareArrival(request));
  return startSessionAndRedirect(request, created.value.userId, {
    redirectTo: safeRedirectPath(submission.value.redirectTo),
    toast: { kind: "success", title: "Welcome to Crowdthread", description: "Your account is ready." },
  });
}

export default function SignupPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const [form, fields] = useForm({
    id: "signup",
    lastResult: actionData?.result,
    constraint: getZodConstraint(signupSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signupSchema }),
  });
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-bold tracking-tight">Create your account</h1>
      <p className="mt-2 text-stone-700">
        One account to submit designs, vote, buy and earn royalties. Already a member?{" "}
        <Link to={withRedirectTo("/login", redirectTo)} className="font-semibold text-brand-700 underline">
          Log in
        </Link>
      </p>
      <FormCard form={form} submitLabel="Create account">
        <EmailField meta={fields.email} />
        <Field
          label="Username"
          hint="Shown on your designs. Letters, digits and underscores."
          errors={fields.username.errors}
          inputProps={{ ...getInputProps(fields.username, { type: "text" }), autoComplete: "username" }}
        />
        <Field
          label="Password"
          hint="At least 10 characters. A short sentence works well."
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "new-password" }}
        />
        <input type="hidden" name="redirectTo" value={redirectTo} />
      </FormCard>
    </div>
  );
}
