import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { RoundForm } from "~/components/round-form";
import { createRound } from "~/domain/round-admin.server";
import { roundSchema } from "~/domain/round-forms";
import { requireAdmin } from "~/lib/auth.server";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "New round · Admin · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: roundSchema });
  if (submission.status !== "success") return invalidReply(submission);
  const publish = form.get("publishNow") === "on";
  const created = await createRound(submission.value, admin.id, { publish });
  if (!created.ok) return failureReply(submission, created);
  return redirectWithToast(request, `/admin/rounds/${created.value.id}`, {
    kind: "success",
    title: publish ? "Round created and published" : "Draft round created: only admins can see it",
  });
}

const local = (d: Date) => d.toISOString().slice(0, 16);

export default function NewRoundPage() {
  const actionData = useActionData<typeof action>();
  const day = 24 * 3600 * 1000;
  const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + day);
  return (
    <div>
      <h1 className="mb-2 text-3xl font-bold tracking-tight">New round</h1>
      <label className="mb-6 flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" name="publishNow" form="round" className="h-4 w-4 accent-brand-600" />
        Publish at once (otherwise it is kept as a draft only admins see, until you publish it)
      </label>
      <RoundForm
        lastResult={actionData?.result}
        submitLabel="Create round"
        defaults={{
          submissionsOpenAt: local(start),
          votingOpensAt: local(new Date(start.getTime() + 14 * day)),
          votingClosesAt: local(new Date(start.getTime() + 21 * day)),
          maxSubmissionsPerDesigner: "3",
          minArtworkWidth: "1200",
          minArtworkHeight: "1200",
          winnersCount: "3",
          minVotes: "5",
          voterMinScored: "5",
          prize: "100",
          royaltyPercent: "15",
          offerTee: "on",
          teePrice: "25.00",
          offerPoster: "on",
          posterPrice: "18.00",
        }}
      />
    </div>
  );
}
