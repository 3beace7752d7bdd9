import { Form } from "@remix-run/react";

const REASONS = [
  ["plagiarism", "Plagiarism or stolen art"],
  ["offensive", "Offensive"],
  ["spam", "Spam"],
] as const;

/** A small "Report" disclosure; the form posts to /report and comes back here. */
export function ReportForm({
  subjectType,
  subjectId,
  redirectTo,
  label = "Report",
}: {
  subjectType: "submission" | "comment" | "user" | "proposal";
  subjectId: string;
  redirectTo: string;
  label?: string;
}) {
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-stone-600 underline">{label}</summary>
      <Form method="post" action="/report" className="mt-2 space-y-2 rounded-lg border border-stone-200 bg-white p-3">
        <input type="hidden" name="subjectType" value={subjectType} />
        <input type="hidden" name="subjectId" value={subjectId} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <fieldset>
          <legend className="font-medium">Why?</legend>
          {REASONS.map(([value, text]) => (
            <label key={value} className="mr-3 inline-flex items-center gap-1">
              <input type="radio" name="reason" value={value} required /> {text}
            </label>
          ))}
        </fieldset>
        <label className="block">
          Note for the moderators (optional)
          <textarea
            name="note"
            maxLength={1000}
            rows={2}
            className="mt-1 block w-full rounded border border-stone-300 px-2 py-1"
          />
        </label>
        <button
          type="submit"
          className="rounded-md border border-red-300 px-3 py-1 font-semibold text-red-800 hover:bg-red-50"
        >
          Send report
        </button>
      </Form>
    </details>
  );
}
