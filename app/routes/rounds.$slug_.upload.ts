import type { ActionFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/lib/auth.server";
import { parseParams, slugParam } from "~/lib/edge.server";
import { receiveSubmission, uploadToast } from "~/lib/submission-upload.server";
import { toastHeader } from "~/lib/toast.server";

/**
 * The upload form's endpoint when JavaScript runs: the same work as the
 * page's action, answered in JSON so the page can show upload progress.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const user = await getOptionalUser(request);
  if (!user)
    return Response.json({ ok: false, formErrors: ["Log in to submit a design."], fieldErrors: {} }, { status: 401 });
  const received = await receiveSubmission(request, user.id, slug);
  if (!received.ok) return Response.json(received, { status: received.status });
  return Response.json(
    { ok: true, redirectTo: `/submissions/${received.submissionId}` },
    { headers: { "Set-Cookie": await toastHeader(request, uploadToast(received.approved)) } },
  );
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
