import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ConfirmStep, HeldWhileConfirming, type Confirmation } from "~/components/confirm-step";
import { ErrorList } from "~/components/forms";
import { parseMoneyToCents } from "~/domain/money";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { proposalDecisionSchema } from "~/domain/proposal-forms";
import {
  acceptProposal,
  declineProposal,
  findProposal,
  removeProposal,
  suggestedSlug,
} from "~/domain/proposals.server";
import { safeText } from "~/domain/safe-text";
import { requireAdmin } from "~/lib/auth.server";
import { askToConfirm, isConfirmed } from "~/lib/confirm.server";
import { formatCount, formatMoney } from "~/lib/format";
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

/** The moderators' take-down, open to an open proposal as well as one in review; it asks first. */
const removalSchema = z.object({
  intent: z.literal("remove"),
  reason: safeText({ error: "Say why the proposal is removed" })
    .trim()
    .min(10, "Say why in at least 10 characters: the proposer reads it")
    .max(1000),
  confirmed: safeText().max(100).optional(),
});
const confirmed = safeText().max(100).optional();
const [acceptFields, declineFields] = proposalDecisionSchema.options;
const acceptSchema = acceptFields.extend({ confirmed });
const declineSchema = declineFields.extend({ confirmed });
const adminProposalSchema = z.discriminatedUnion("intent", [acceptSchema, declineSchema, removalSchema]);

/** How a status reads on the page, in words. */
const STATUS_WORDS = {
  open: "Open for support",
  review: "In review",
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn",
  removed: "Removed",
} as const;

type Shown = { accept: string[] | null; decline: string[] | null; remove: string[] | null };
const refused = (status: number, shown: Partial<Shown>) =>
  data(
    { accept: shown.accept ?? null, decline: shown.decline ?? null, remove: shown.remove ?? null, confirm: null },
    { status },
  );

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const admin = await requireAdmin(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: adminProposalSchema });
  if (submission.status !== "success") {
    const errors = Object.values(submission.error ?? {})
      .flat()
      .filter((e): e is string => Boolean(e));
    const intent = formData.get("intent");
    const which = intent === "decline" ? "decline" : intent === "remove" ? "remove" : "accept";
    return refused(400, { [which]: errors.length ? errors : ["Check the form"] });
  }
  const value = submission.value;
  switch (value.intent) {
    case "accept":
      return accept(request, id, admin.id, value);
    case "decline":
      return decline(request, id, admin.id, value);
    case "remove":
      return remove(request, id, admin.id, value);
  }
}

/** The proposal in review that a decision asks about, or the refusal to show instead. */
async function inReview(id: string, adminId: string, which: "accept" | "decline") {
  const proposal = await findProposal(id, { id: adminId, role: "admin" });
  if (!proposal) throw new Response("There is no such proposal.", { status: 404 });
  if (proposal.status !== "review")
    return { refusal: refused(409, { [which]: ["Only a proposal in review can be decided."] }) } as const;
  return { proposal } as const;
}

async function accept(request: Request, id: string, adminId: string, value: z.output<typeof acceptSchema>) {
  const share = value.proposerShare ? parseMoneyToCents(value.proposerShare) : 0;
  if (share === null) return refused(400, { accept: ["Enter the amount credited to the proposer, such as 50"] });
  // The token carries the address and the amount, so a question answered for other values is asked again.
  const token = `accept:${id}:${value.slug}:${share}`;
  if (!isConfirmed(value.confirmed, token)) {
    const found = await inReview(id, adminId, "accept");
    if ("refusal" in found) return found.refusal;
    const { proposal } = found;
    const proposer = proposal.proposer ? `@${proposal.proposer}` : "its proposer";
    return askToConfirm({
      intent: "accept",
      question: `Accept “${proposal.title}”? This creates a draft round at /rounds/${value.slug}, seen only by admins until you publish it${
        share ? `, with ${formatMoney(share)} credited to the proposer when it is finalized` : ""
      }. ${proposer} is told now; its ${formatCount(proposal.supportCount, "supporter")} ${proposal.supportCount === 1 ? "hears" : "hear"} when the round is published.`,
      confirmLabel: `Yes, accept and create the draft round`,
      token,
      fields: { slug: value.slug, proposerShare: value.proposerShare ?? "" },
    });
  }
  const accepted = await acceptProposal(id, adminId, { slug: value.slug, proposerShareCents: share });
  if (!accepted.ok) return refused(FAILURE_STATUS[accepted.code], { accept: [accepted.message] });
  return redirectWithToast(request, `/admin/rounds/${accepted.value.roundId}`, {
    kind: "success",
    title: "Draft round created from the proposal",
    description: "Only admins can see it. Check the dates and rules, then publish it.",
  });
}

async function decline(request: Request, id: string, adminId: string, value: z.output<typeof declineSchema>) {
  const token = `decline:${id}`;
  if (!isConfirmed(value.confirmed, token)) {
    const found = await inReview(id, adminId, "decline");
    if ("refusal" in found) return found.refusal;
    const { proposal } = found;
    const proposer = proposal.proposer ? `@${proposal.proposer}` : "its proposer";
    return askToConfirm({
      intent: "decline",
      question: `Decline “${proposal.title}”? Your reason is published on its page, ${proposer} and its ${formatCount(
        proposal.supportCount,
        "supporter",
      )} are told, and the decision is final: it cannot be reopened.`,
      confirmLabel: `Yes, decline “${proposal.title}”`,
      token,
      fields: { reason: value.reason },
    });
  }
  const declined = await declineProposal(id, adminId, value.reason);
  if (!declined.ok) return refused(FAILURE_STATUS[declined.code], { decline: [declined.message] });
  return redirectWithToast(request, "/admin/proposals", { kind: "info", title: "Proposal declined" });
}

async function remove(request: Request, id: string, adminId: string, value: z.output<typeof removalSchema>) {
  // Asks first, naming the proposal and what goes with it; the proposal's id is the confirmation.
  if (!isConfirmed(value.confirmed, id)) {
    const proposal = await findProposal(id, { id: adminId, role: "admin" });
    if (!proposal) throw new Response("There is no such proposal.", { status: 404 });
    if (proposal.status !== "open" && proposal.status !== "review")
      return refused(409, {
        remove: ["Only an open proposal or one in review can be removed; this one is already decided."],
      });
    const images = proposal.moodImages.length;
    return askToConfirm({
      intent: "remove",
      question: `Remove the proposal “${proposal.title}”? It leaves the lists and stops taking support${
        images ? `, and its ${images === 1 ? "mood image is" : `${images} mood images are`} deleted for good` : ""
      }. Its proposer sees your reason.`,
      confirmLabel: `Yes, remove “${proposal.title}”`,
      token: id,
      fields: { reason: value.reason },
    });
  }
  const removed = await removeProposal(id, adminId, value.reason);
  if (!removed.ok) return refused(FAILURE_STATUS[removed.code], { remove: [removed.message] });
  return redirectWithToast(request, "/admin/moderation", {
    kind: "info",
    title: `Proposal “${removed.value.title}” removed`,
    description: "Close its reports in the queue below.",
  });
}

export default function AdminProposalPage() {
  const { proposal, slug } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (Partial<Shown> & { confirm?: Confirmation | null }) | undefined;
  const confirm = actionData?.confirm ?? null;
  const input = "mt-1 block w-full max-w-md rounded-md border border-stone-300 px-2 py-1.5";
  const removable = proposal.status === "open" || proposal.status === "review";
  return (
    <div className="max-w-3xl space-y-6">
      {confirm ? <ConfirmStep confirmation={confirm} cancelHref={`/admin/proposals/${proposal.id}`} /> : null}
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
          by {proposal.proposer ? `@${proposal.proposer}` : "a former member"} ·{" "}
          {formatCount(proposal.supportCount, "supporter")} · {STATUS_WORDS[proposal.status]}
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
      <HeldWhileConfirming held={Boolean(confirm)} className="space-y-6">
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
                Amount credited to the proposer ($, optional)
                <input
                  name="proposerShare"
                  inputMode="decimal"
                  placeholder="e.g. 50.00"
                  aria-describedby="proposer-share-hint"
                  className={input}
                />
              </label>
              <p id="proposer-share-hint" className="text-sm text-stone-700">
                A fixed amount in US dollars, not a percentage: it is credited to the proposer's balance when the round
                is finalized, on top of the winners' prize. The draft round's prize starts at $0; you set it before
                publishing.
              </p>
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
            This proposal is {STATUS_WORDS[proposal.status].toLowerCase()}; there is nothing to decide.
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
        {proposal.status === "removed" && proposal.removalReason ? (
          <p className="text-stone-700">
            Removed by the moderators: <span className="break-words whitespace-pre-line">{proposal.removalReason}</span>
          </p>
        ) : null}
        {removable ? (
          <Form method="post" className="space-y-3 rounded-xl border border-red-200 bg-white p-4">
            <h2 className="text-lg font-semibold">Remove for breaking the rules</h2>
            <p className="text-sm text-stone-700">
              For an offensive or unlawful proposal, usually after a report: it leaves the lists at once, stops taking
              support and its mood images are deleted. To turn down a fair proposal, decline it instead.
            </p>
            <input type="hidden" name="intent" value="remove" />
            <label className="block text-sm font-medium">
              Reason (the proposer reads it)
              <textarea name="reason" required minLength={10} rows={3} className={input} />
            </label>
            <ErrorList errors={actionData?.remove} />
            <button
              type="submit"
              className="rounded-md border border-red-300 px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
            >
              Remove proposal
            </button>
          </Form>
        ) : null}
      </HeldWhileConfirming>
    </div>
  );
}
