import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProposalForm } from "~/components/proposal-form";
import { MAX_MOOD_IMAGES, proposalSchema } from "~/domain/proposal-forms";
import { createProposal } from "~/domain/proposals.server";
import { requireUser } from "~/lib/auth.server";
import { getEnv } from "~/lib/env.server";
import { FAILURE_STATUS } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";
import { readMultipartUploads } from "~/lib/uploads.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Propose a round theme · Crowdthread" }];

/** A mood image is for looking at: smaller than artwork may be. */
const MOOD_MAX_MB = 10;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const multipart = (request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");
  // A browser's form post states its length; one that does not (or states more than the images
  // and fields can take) is refused before any of it is read.
  const maxBytes = Math.min(MOOD_MAX_MB, getEnv().UPLOAD_MAX_MB) * 1024 * 1024;
  const length = Number(request.headers.get("Content-Length") ?? NaN);
  if (multipart && !Number.isFinite(length))
    return data({ result: null, imageError: "Send the form from the page, with its length." }, { status: 411 });
  if (multipart && length > MAX_MOOD_IMAGES * maxBytes + 64 * 1024)
    return data({ result: null, imageError: `Mood images are at most ${MOOD_MAX_MB} MB each.` }, { status: 413 });
  const upload = multipart
    ? await readMultipartUploads(request, {
        fileField: "images",
        maxBytes,
        maxFiles: MAX_MOOD_IMAGES,
      })
    : { ok: true as const, formData: await readForm(request), files: [] };
  if (!upload.ok) return data({ result: null, imageError: upload.message }, { status: upload.status });
  const submission = parseWithZod(upload.formData, { schema: proposalSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), imageError: null }, { status: 400 });
  const created = await createProposal({ proposerId: user.id, value: submission.value, images: upload.files });
  if (!created.ok)
    return data(
      {
        result: created.field === "images" ? null : submission.reply({ formErrors: [created.message] }),
        imageError: created.field === "images" ? created.message : null,
      },
      { status: FAILURE_STATUS[created.code] },
    );
  // The same theme sent twice (a double click, a second tab) leads to the proposal already published.
  if (created.value.alreadyPublished)
    return redirectWithToast(request, `/proposals/${created.value.id}`, {
      kind: "info",
      title: "Already published",
      description: "You proposed this theme already: here it is, taking support.",
    });
  return redirectWithToast(request, `/proposals/${created.value.id}`, {
    kind: "success",
    title: "Proposal published",
    description: "Share it: members' support takes it to the admins.",
  });
}

export default function NewProposalPage() {
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-2xl">
      <p className="text-sm">
        <Link to="/proposals" className="text-brand-700 underline">
          All proposals
        </Link>
      </p>
      <h1 className="mt-2 mb-2 text-3xl font-bold tracking-tight">Propose a round theme</h1>
      <p className="mb-6 text-stone-700">
        You can edit it until it gets its first supporter, and withdraw it until the admins decide.
      </p>
      <ProposalForm
        lastResult={actionData?.result}
        imageError={actionData?.imageError}
        withImages
        submitLabel="Publish proposal"
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
