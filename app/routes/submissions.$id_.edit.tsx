import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList, Field, SubmitButton, TextareaField } from "~/components/forms";
import { editSubmissionSchema } from "~/domain/submission-forms";
import { editSubmission, findSubmission } from "~/domain/submissions.server";
import { requireUser } from "~/lib/auth.server";
import { idParam, parseParams, readForm } from "~/lib/edge.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Edit your design · Crowdthread" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  const submission = await findSubmission(id);
  if (!submission || submission.designerId !== user.id)
    throw new Response("There is no design of yours at this address.", { status: 404 });
  if (!submission.canEdit) throw new Response("This design can no longer be edited.", { status: 403 });
  return { submission: { id: submission.id, title: submission.title, description: submission.description } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: editSubmissionSchema });
  if (submission.status !== "success") return invalidReply(submission);
  const result = await editSubmission(id, user.id, submission.value);
  if (!result.ok) return failureReply(submission, result);
  return redirectWithToast(request, `/submissions/${id}`, { kind: "success", title: "Changes saved" });
}

export default function EditSubmissionPage() {
  const { submission } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "edit-submission",
    lastResult: actionData?.result,
    defaultValue: { title: submission.title, description: submission.description },
    constraint: getZodConstraint(editSubmissionSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: editSubmissionSchema }),
  });
  return (
    <div className="mx-auto max-w-xl">
      <p className="text-sm">
        <Link to={`/submissions/${submission.id}`} className="text-brand-700 underline">
          Back to the design
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Edit your design</h1>
      <Form
        method="post"
        {...getFormProps(form)}
        className="mt-6 space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
      >
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field label="Title" errors={fields.title.errors} inputProps={getInputProps(fields.title, { type: "text" })} />
        <TextareaField
          label="Description"
          errors={fields.description.errors}
          textareaProps={{ ...getTextareaProps(fields.description), rows: 5 }}
        />
        <SubmitButton>Save changes</SubmitButton>
      </Form>
    </div>
  );
}
