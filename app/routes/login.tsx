import { getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { EmailField, Field, FormCard } from "~/components/forms";
import { withRedirectTo } from "~/components/account-links";
import { loginSchema } from "~/domain/account-forms";
import { logIn } from "~/domain/accounts.server";
import { requireAnonymous, safeRedirectPath } from "~/lib/auth.server";
import { startSessionAndRedirect } from "~/lib/new-session.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Log in · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = parseWithZod(await readForm(request), { schema: loginSchema });
  if (submission.status !== "success") return invalidReply(submission, { hideFields: ["password"] });
  const { email, password, redirectTo } = submission.value;
  const loggedIn = await logIn(context.clientIp, email, password);
  if (!loggedIn.ok) return failureReply(submission, loggedIn, { hideFields: ["password"] });
  return startSessionAndRedirect(request, loggedIn.value.userId, {
    redirectTo: safeRedirectPath(redirectTo),
    toast: { kind: "success", title: "Welcome back" },
  });
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    constraint: getZodConstraint(loginSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
  });
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-bold tracking-tight">Log in</h1>
      <p className="mt-2 text-stone-700">
        New here?{" "}
        <Link to={withRedirectTo("/signup", redirectTo)} className="font-semibold text-brand-700 underline">
          Create an account
        </Link>
        {" · "}
        {/* Above the form: a field's blur message appearing must not move this link out from under the pointer. */}
        <Link to="/forgot-password" className="font-semibold text-brand-700 underline">
          Forgot your password?
        </Link>
      </p>
      <FormCard form={form} submitLabel="Log in">
        <EmailField meta={fields.email} />
        <Field
          label="Password"
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "current-password" }}
        />
        <input type="hidden" name="redirectTo" value={redirectTo} />
      </FormCard>
    </div>
  );
}
