import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { ErrorList, Field, SubmitButton } from "~/components/forms";
import { signupSchema } from "~/domain/account-forms";
import { guardSignupRate, RateLimitedError, signUp } from "~/domain/accounts.server";
import { adoptGuestCart } from "~/lib/cart-session.server";
import { requireAnonymous } from "~/lib/auth.server";
import { createSession, sessionCookie } from "~/lib/session.server";
import { toastHeader } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Sign up · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: signupSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  try {
    await guardSignupRate(context.clientIp);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return data(
        { result: submission.reply({ formErrors: [error.message], hideFields: ["password"] }) },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    throw error;
  }
  const created = await signUp(submission.value);
  if (!created.ok) {
    return data(
      { result: submission.reply({ fieldErrors: { [created.field]: [created.message] }, hideFields: ["password"] }) },
      { status: 400 },
    );
  }
  const token = await createSession(created.userId, request.headers.get("User-Agent"));
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(request, token));
  const clearedGuestCart = await adoptGuestCart(request, created.userId);
  if (clearedGuestCart) headers.append("Set-Cookie", clearedGuestCart);
  headers.append(
    "Set-Cookie",
    await toastHeader(request, {
      kind: "success",
      title: "Welcome to Crowdthread",
      description: "Your account is ready.",
    }),
  );
  return redirect("/", { headers });
}

export default function SignupPage() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
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
        <Link to="/login" className="font-semibold text-brand-700 underline">
          Log in
        </Link>
      </p>
      <Form
        method="post"
        {...getFormProps(form)}
        className="mt-6 space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
      >
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label="Email"
          errors={fields.email.errors}
          inputProps={{ ...getInputProps(fields.email, { type: "email" }), autoComplete: "email", autoFocus: true }}
        />
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
        <SubmitButton pending={navigation.state === "submitting"} className="w-full">
          Create account
        </SubmitButton>
      </Form>
    </div>
  );
}
