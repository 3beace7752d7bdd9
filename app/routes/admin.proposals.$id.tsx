import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { parseMoneyToCents } from "~/domain/money";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { proposalDecisionSchema } from "~/domain/proposal-forms";
import { acceptProposal, declineProposal, findProposal, suggestedSlug } from "~/domain/proposals.server";
import { requireAdmin } from "~/lib/auth.server";
import { idParam, parseParams, readForm } from "~/lib/edge.server";
import { FAILURE_STATUS } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · Proposals · Admin` : "Proposal · Admin" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const admin = await requireAdmin(request);
  const proposal = await findProposal(id, admin);
  if (!proposal) throw new Response("There is no such proposal.", { status: 404 });
  const { now: _now, ...shown } = proposal;
  return { proposal: shown, slug: suggestedSlug(proposal.title) };
}

type Shown = { accept: string[] | null; decline: string[] | null };
const refused = (status: number, shown: Partial<Shown>) =>
  data({ accept: shown.accept ?? null, decline: shown.decline ?? null }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const admin = await requireAdmin(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: proposalDecisionSchema });
  if (submission.status !== "success") {
    const errors = Object.values(submission.error ?? {})
      .flat()
      .filter((e): e is string => Boolean(e));
    const which = formData.get("intent") === "decline" ? "decline" : "accept";
    return refused(400, { [which]: errors.length ? errors : ["Check the form"] });
  }
  const value = submission.value;
  switch (value.intent) {
    case "accept": {
      const share = value.proposerShare ? parseMoneyToCents(value.proposerShare) : 0;
      if (share === null) return refused(400, { accept: ["Enter the proposer's share as an amount such as 50"] });
      const accepted = await acceptProposal(id, admin.id, { slug: value.slug, proposerShareCents: share });
      if (!accepted.ok) return refused(FAILURE_STATUS[accepted.code], { accept: [accepted.message] });
      return redirectWithToast(request, `/admin/rounds/${accepted.value.roundId}`, {
        kind: "success",
        title: "Draft round created from the proposal",
        description: "Only admins can see it. Check the dates and rules, then publish it.",
      });
    }
    case "decline": {
      const declined = await declineProposal(id, admin.id, value.reason);
      if (!declined.ok) return refused(FAILURE_STATUS[declined.code], { decline: [declined.message] });
      return redirectWithToast(request, "/admin/proposals", { kind: "info", title: "Proposal declined" });
    }
  }
}

export default function AdminProposalPage() {
  const { proposal, slug } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const input = "mt-1 block w-full max-w-md rounded-md border border-stone-300 px-2 py-1.5";
  return (
    <div className="max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/proposals" className="text-brand-700 underline">
          All proposals
        </Link>{" "}
        ·{" "}
        <Link to={`/proposals/${proposal.id}`} className="text-brand-700 underline">
          Public page
        </Link>
      </p>
      <div>
        <h1 className="text-3xl font-bold tracking-tight break-words">{proposal.title}</h1>
        <p className="text-sm text-stone-700">
          by {proposal.proposer ? `@${proposal.proposer}` : "a former member"} · {proposal.supportCount} supporters ·{" "}
          {proposal.status}
        </p>
      </div>
      {proposal.moodImages.length ? (
        <ul aria-label="Mood images" className="grid grid-cols-3 gap-2">
          {proposal.moodImages.map((m, i) => (
            <li key={m.large}>
              <img src={m.small} alt={`Mood image ${i + 1}`} className="h-auto w-full rounded bg-stone-100" />
            </li>
          ))}
        </ul>
      ) : null}
      <div className="markdown break-words" dangerouslySetInnerHTML={{ __html: proposal.briefHtml }} />
      <p className="text-sm">
        Suggested products:{" "}
        {proposal.productTypes.length ? proposal.productTypes.map((t) => PRODUCT_TYPE_LABELS[t]).join(", ") : "none"}
      </p>
      {proposal.status === "review" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Form method="post" className="space-y-3 rounded-xl border border-stone-200 bg-white p-4">
            <h2 className="text-lg font-semibold">Make it a draft round</h2>
            <p className="text-sm text-stone-700">
              The round starts as a draft with this title, brief and products, and credits the proposer. You edit and
              publish it.
            </p>
            <input type="hidden" name="intent" value="accept" />
            <label className="block text-sm font-medium">
              Round address
              <input name="slug" required defaultValue={slug} className={input} />
            </label>
            <label className="block text-sm font-medium">
              Proposer's share of the prize (optional, e.g. 50)
              <input name="proposerShare" inputMode="decimal" className={input} />
            </label>
            <ErrorList errors={actionData?.accept} />
            <button
              type="submit"
              className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
            >
              Create draft round
            </button>
          </Form>
          <Form method="post" className="space-y-3 rounded-xl border border-stone-200 bg-white p-4">
            <h2 className="text-lg font-semibold">Decline</h2>
            <input type="hidden" name="intent" value="decline" />
            <label className="block text-sm font-medium">
              Reason (the proposer and supporters read it)
              <textarea name="reason" required minLength={10} rows={4} className={input} />
            </label>
            <ErrorList errors={actionData?.decline} />
            <button
              type="submit"
              className="rounded-md border border-red-300 px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
            >
              Decline proposal
            </button>
          </Form>
        </div>
      ) : (
        <p className="text-stone-700">
          This proposal is {proposal.status}; there is nothing to decide.
          {proposal.round ? (
            <>
              {" "}
              It became{" "}
              <Link to={`/rounds/${proposal.round.slug}`} className="text-brand-700 underline">
                {proposal.round.title}
              </Link>
              .
            </>
          ) : null}
        </p>
      )}
    </div>
  );
}
