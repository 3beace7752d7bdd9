import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProposalForm } from "~/components/proposal-form";
import { proposalSchema } from "~/domain/proposal-forms";
import { editProposal, findProposal } from "~/domain/proposals.server";
import { requireUser } from "~/lib/auth.server";
import { idParam, parseParams, readForm } from "~/lib/edge.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Edit proposal · Crowdthread" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  const proposal = await findProposal(id, user);
  // Someone else's proposal answers as if there were nothing to edit here.
  if (!proposal || !proposal.isProposer) throw new Response("There is no proposal at this address.", { status: 404 });
  if (!proposal.canEdit)
    throw new Response("Members have supported this proposal as it stands, so it can no longer be edited.", {
      status: 409,
    });
  return { id, title: proposal.title, brief: proposal.brief ?? "", productTypes: proposal.productTypes };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: proposalSchema });
  if (submission.status !== "success") return invalidReply(submission);
  const edited = await editProposal(id, user.id, submission.value);
  if (!edited.ok) return failureReply(submission, edited);
  return redirectWithToast(request, `/proposals/${id}`, { kind: "success", title: "Proposal saved" });
}

export default function EditProposalPage() {
  const { id, title, brief, productTypes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-2xl">
      <p className="text-sm">
        <Link to={`/proposals/${id}`} className="text-brand-700 underline">
          Back to the proposal
        </Link>
      </p>
      <h1 className="mt-2 mb-6 text-3xl font-bold tracking-tight">Edit your proposal</h1>
      <ProposalForm
        lastResult={actionData?.result}
        defaults={{ title, brief, productTypes }}
        withImages={false}
        submitLabel="Save proposal"
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
