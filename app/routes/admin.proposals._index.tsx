import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorList } from "~/components/forms";
import { MoreLink, usePagedList } from "~/components/pager";
import { reviewCursor, reviewQueue, setSupportThreshold, supportThreshold } from "~/domain/proposals.server";
import { requireAdmin } from "~/lib/auth.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";
import { formatCount, formatDateTime } from "~/lib/format";
import { FAILURE_STATUS } from "~/lib/outcome.server";
import { cursorParam } from "~/lib/pagination.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Proposals · Admin · Crowdthread" }];

const SEARCH = { after: cursorParam(reviewCursor).optional() };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const { after } = parseSearchParams(request, SEARCH);
  const [queue, threshold] = await Promise.all([reviewQueue({ after }), supportThreshold()]);
  return { queue, threshold, isLaterPage: after !== undefined };
}

const thresholdSchema = z.object({
  intent: z.literal("threshold"),
  threshold: z.coerce
    .number({ error: "Enter a whole number" })
    .int("Enter a whole number")
    .min(1, "At least 1 supporter")
    .max(100_000, "At most 100,000 supporters"),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const parsed = thresholdSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success)
    return data({ error: parsed.error.issues[0]?.message ?? "Check the threshold" }, { status: 400 });
  const saved = await setSupportThreshold(parsed.data.threshold, admin.id);
  if (!saved.ok) return data({ error: saved.message }, { status: FAILURE_STATUS[saved.code] });
  const { queued } = saved.value;
  return redirectWithToast(request, "/admin/proposals", {
    kind: "success",
    title: `Proposals now need ${formatCount(parsed.data.threshold, "supporter")} for review`,
    ...(queued
      ? {
          description: `${formatCount(queued, "open proposal")} already had that many and ${queued === 1 ? "waits" : "wait"} for your decision below.`,
        }
      : {}),
  });
}

export default function AdminProposalsPage() {
  const { queue, threshold, isLaterPage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const list = usePagedList(queue, useFetcher<typeof loader>(), (d) => d.queue);
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold tracking-tight">Round proposals</h1>
      <section aria-labelledby="threshold-heading" className="rounded-xl border border-stone-200 bg-white p-4">
        <h2 id="threshold-heading" className="text-lg font-semibold">
          Support threshold
        </h2>
        <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="threshold" />
          <label className="text-sm font-medium">
            Supporters a proposal needs to come here
            <input
              type="number"
              name="threshold"
              min={1}
              max={100000}
              required
              defaultValue={threshold}
              className="mt-1 block w-32 rounded-md border border-stone-300 px-2 py-1.5"
            />
          </label>
          <button
            type="submit"
            className="rounded-md border border-stone-300 px-3 py-2 text-sm font-semibold hover:bg-stone-100"
          >
            Save threshold
          </button>
        </Form>
        <ErrorList errors={actionData?.error ? [actionData.error] : null} />
      </section>
      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading" className="text-lg font-semibold">
          Waiting for a decision
        </h2>
        {list.items.length === 0 ? (
          <p className="mt-2 text-stone-700">No proposal has reached the threshold yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white">
            {list.items.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <span className="min-w-0 break-words">
                  <Link to={`/admin/proposals/${p.id}`} className="font-medium text-brand-700 underline">
                    {p.title}
                  </Link>
                  <span className="block text-xs text-stone-600">
                    by {p.proposer ? `@${p.proposer}` : "a former member"} · {formatCount(p.supportCount, "supporter")}{" "}
                    · in review since {p.reviewQueuedAt ? formatDateTime(p.reviewQueuedAt) : "?"} UTC
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
        <MoreLink list={list} label="More proposals" startHref={isLaterPage ? "/admin/proposals" : null} />
      </section>
    </div>
  );
}
