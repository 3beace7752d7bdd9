import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { REPORT_REASONS } from "#db/schema";
import { safeText } from "~/domain/safe-text";
import { fileReport, REPORT_SUBJECTS } from "~/domain/reports.server";
import { requireUser, safeRedirectPath } from "~/lib/auth.server";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/edge.server";

const reportSchema = z.object({
  subjectType: z.enum(REPORT_SUBJECTS),
  subjectId: z.uuid(),
  reason: z.enum(REPORT_REASONS, { error: "Choose why you are reporting it" }),
  note: safeText().trim().max(1000).optional().default(""),
});

/** Every report form posts here, then goes back to the page it came from. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = Object.fromEntries(await readForm(request));
  const back = safeRedirectPath(typeof form.redirectTo === "string" ? form.redirectTo : null);
  const parsed = reportSchema.safeParse(form);
  if (!parsed.success)
    return redirectWithToast(request, back, {
      kind: "error",
      title: parsed.error.issues[0]?.message ?? "Check the report",
    });
  const filed = await fileReport({ reporterId: user.id, ...parsed.data });
  if (!filed.ok)
    return redirectWithToast(request, back, { kind: "error", title: "Report not sent", description: filed.message });
  return redirectWithToast(request, back, { kind: "success", title: "Thank you — a moderator will look at it" });
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
