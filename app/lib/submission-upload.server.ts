import { parseWithZod } from "@conform-to/zod/v4";
import { submissionDetailsSchema } from "~/domain/submission-forms";
import { submitArtwork } from "~/domain/submissions.server";
import { getEnv } from "./env.server";
import { countUpload } from "./metrics.server";
import { FAILURE_STATUS } from "./outcome.server";
import type { Toast } from "./toast.server";
import { readMultipartUpload } from "./uploads.server";

export function uploadToast(approved: boolean): Toast {
  return approved
    ? { kind: "success", title: "Your design is in", description: "This round approves entries straight away." }
    : {
        kind: "success",
        title: "Your design was submitted",
        description: "It appears in the round once a moderator approves it.",
      };
}

export type ReceivedUpload =
  | { ok: true; submissionId: string; approved: boolean }
  | { ok: false; status: number; formErrors: string[]; fieldErrors: Record<string, string[]> };

/**
 * The request side of an upload, shared by the upload page (plain form post)
 * and its progress-reporting endpoint (XHR): read the multipart body, check
 * the fields, hand the bytes to the domain.
 */
export async function receiveSubmission(request: Request, designerId: string, roundSlug: string) {
  return countUpload(await readAndSubmit(request, designerId, roundSlug));
}

async function readAndSubmit(request: Request, designerId: string, roundSlug: string): Promise<ReceivedUpload> {
  const maxBytes = getEnv().UPLOAD_MAX_MB * 1024 * 1024;
  const upload = await readMultipartUpload(request, { fileField: "artwork", maxBytes });
  if (!upload.ok)
    return { ok: false, status: upload.status, formErrors: [], fieldErrors: { artwork: [upload.message] } };

  const submission = parseWithZod(upload.formData, { schema: submissionDetailsSchema });
  const fieldErrors: Record<string, string[]> =
    submission.status === "success" ? {} : { ...(submission.error as Record<string, string[]>) };
  if (!upload.file) fieldErrors.artwork = ["Choose an image file to upload"];
  if (submission.status !== "success" || !upload.file) return { ok: false, status: 400, formErrors: [], fieldErrors };

  const result = await submitArtwork({ designerId, roundSlug, details: submission.value, bytes: upload.file });
  if (!result.ok) {
    const status = FAILURE_STATUS[result.code];
    return result.field === "file"
      ? { ok: false, status, formErrors: [], fieldErrors: { artwork: [result.message] } }
      : { ok: false, status, formErrors: [result.message], fieldErrors: {} };
  }
  return { ok: true, submissionId: result.value.submissionId, approved: result.value.status === "approved" };
}
