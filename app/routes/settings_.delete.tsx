import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { ErrorList, Field, withoutKey, useIsPending } from "~/components/forms";
import { deleteAccountSchema } from "~/domain/account-forms";
import { deleteAccount } from "~/domain/account-deletion.server";
import { requireUser } from "~/lib/auth.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { endSessionAndRedirect } from "~/lib/new-session.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Delete your account · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: deleteAccountSchema });
  if (submission.status !== "success") return invalidReply(submission, { hideFields: ["password"] });
  const deleted = await deleteAccount(user.id, submission.value.password);
  if (!deleted.ok) return failureReply(submission, deleted, { hideFields: ["password"] });
  return endSessionAndRedirect(request, {
    redirectTo: "/",
    toast: {
      kind: "info",
      title: "Your account was deleted",
      description: "Your personal data is gone. Orders and royalty records stay, anonymised, as the law requires.",
    },
  });
}

export default function DeleteAccountPage() {
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const [form, fields] = useForm({
    id: "delete-account",
    lastResult: actionData?.result,
    constraint: getZodConstraint(deleteAccountSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: deleteAccountSchema }),
  });
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-3xl font-bold tracking-tight">Delete your account</h1>
      <div className="mt-4 space-y-2 text-stone-800">
        <p>This cannot be undone. When you delete your account:</p>
        <ul className="list-disc space-y-1 pl-6">
          <li>
            your email, username, name, password, avatar, bio, links, notifications, follows and cart are erased, and
            every device is signed out;
          </li>
          <li>your comments are removed and your reports lose your name;</li>
          <li>designs still in a round are withdrawn, and your products leave the shop;</li>
          <li>designs that already won stay in the published results under an anonymous name;</li>
          <li>
            orders and royalty records are kept, anonymised (no name or street address), because tax law requires it.
            Any balance you have not been paid is forfeited — request a payout first.
          </li>
        </ul>
        <p>
          Want a copy first?{" "}
          <a href="/account/export.json" download className="font-semibold text-brand-700 underline">
            Download your data
          </a>
          .
        </p>
      </div>
      <Form
        method="post"
        {...getFormProps(form)}
        className="mt-6 space-y-4 rounded-xl border border-red-200 bg-white p-6 shadow-sm"
      >
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label="Your password"
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "current-password" }}
        />
        <div>
          <label className="flex items-start gap-2">
            <input {...withoutKey(getInputProps(fields.confirm, { type: "checkbox" }))} className="mt-1 size-4" />
            <span>I understand that my account and personal data will be deleted for good.</span>
          </label>
          <ErrorList id={fields.confirm.errorId} errors={fields.confirm.errors} />
        </div>
        <div className="flex flex-wrap gap-3">
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-red-700 px-4 py-2 font-semibold text-white shadow-sm hover:bg-red-800 disabled:opacity-60"
          >
            Delete my account
          </button>
          <Link
            to="/settings"
            className="rounded-md border border-stone-300 px-4 py-2 font-semibold hover:bg-stone-100"
          >
            Keep my account
          </Link>
        </div>
      </Form>
    </div>
  );
}
