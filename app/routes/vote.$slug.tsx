import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit, useActionData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { ArtworkPicture } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PHASE_LABELS } from "~/domain/round-phase";
import { safeText } from "~/domain/safe-text";
import { findRoundBySlug } from "~/domain/rounds.server";
import { castBallot, nextForVoter, voterProgress } from "~/domain/voting.server";
import { getOptionalUser, requireUser, safeRedirectPath } from "~/lib/auth.server";
import { idParam, parseParams, readForm, slugParam } from "~/lib/edge.server";
import { redirectWithToast } from "~/lib/toast.server";
import { useIsPending } from "~/components/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Vote: ${data.round.title} · Crowdthread` : "Vote · Crowdthread" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const round = await findRoundBySlug(slug);
  if (!round) throw new Response("There is no round at this address.", { status: 404 });
  const user = await getOptionalUser(request);
  if (!user || round.phase !== "voting")
    return {
      round,
      user: user ? { id: user.id } : null,
      next: null,
      progress: null,
      voterMinScored: round.voterMinScored,
    };
  const [next, progress] = await Promise.all([nextForVoter(round.id, user.id), voterProgress(round.id, user.id)]);
  return {
    round,
    user: { id: user.id },
    next: next ? { id: next.id, title: next.title, description: next.description, images: next.images } : null,
    progress,
    voterMinScored: round.voterMinScored,
  };
}

const ballotSchema = z.object({
  submissionId: idParam,
  score: z.coerce.number().int().min(0).max(5),
  wouldBuy: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  redirectTo: safeText().max(500).optional(),
});

/** The hot path: one parse, then castBallot's single statement. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const user = await requireUser(request);
  const parsed = ballotSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: "Choose a score from 0 to 5." }, { status: 400 });
  const back = safeRedirectPath(parsed.data.redirectTo, `/vote/${slug}`);
  const result = await castBallot({
    voter: user,
    submissionId: parsed.data.submissionId,
    score: parsed.data.score,
    wouldBuy: parsed.data.wouldBuy,
  });
  if (!result.ok) {
    return redirectWithToast(
      request,
      back,
      { kind: "error", title: "Your vote was not counted", description: result.message },
      { status: 303 },
    );
  }
  return redirect(back, { status: 303 });
}

const SCORE_LABELS = ["0 · Not for me", "1", "2", "3", "4", "5 · Love it"];

export default function VoteRoundPage() {
  const { round, user, next, progress, voterMinScored } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const wouldBuy = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Keyboard: 0–5 scores the design on screen, B ticks "I'd buy this".
    function onKey(event: KeyboardEvent) {
      if (!form.current || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) && target !== wouldBuy.current) return;
      if (/^[0-5]$/.test(event.key)) {
        event.preventDefault();
        const body = new FormData(form.current);
        body.set("score", event.key);
        submit(body, { method: "post" });
      } else if (event.key.toLowerCase() === "b" && wouldBuy.current) {
        event.preventDefault();
        wouldBuy.current.checked = !wouldBuy.current.checked;
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [submit]);

  const busy = useIsPending({ until: "loaded" });
  return (
    <div className="mx-auto max-w-3xl">
      <p className="text-sm">
        <Link to={`/rounds/${round.slug}`} className="text-brand-700 underline">
          {round.title}
        </Link>{" "}
        · {PHASE_LABELS[round.phase]}
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Vote: {round.title}</h1>

      {round.phase !== "voting" ? (
        <p className="mt-6 rounded-lg border border-stone-200 bg-white p-4">
          {round.phase === "draft" || round.phase === "submissions"
            ? "Voting has not opened for this round yet."
            : "Voting for this round has ended."}{" "}
          {round.phase === "finalized" ? (
            <Link to={`/rounds/${round.slug}/results`} className="font-semibold text-brand-700 underline">
              See the results
            </Link>
          ) : null}
        </p>
      ) : !user ? (
        <p className="mt-6 rounded-lg border border-stone-200 bg-white p-4">
          <Link
            to={`/login?redirectTo=${encodeURIComponent(`/vote/${round.slug}`)}`}
            className="font-semibold text-brand-700 underline"
          >
            Log in
          </Link>{" "}
          to score the designs in this round.
        </p>
      ) : (
        <>
          {refused && "error" in refused ? (
            <p role="alert" className="mt-4 rounded-lg border border-red-200 bg-red-50 p-3 text-red-900">
              {refused.error}
            </p>
          ) : null}
          {progress ? (
            <p className="mt-2 text-stone-700" data-testid="vote-progress">
              You have scored {progress.scored} of {progress.eligible} designs.
              {progress.scored < voterMinScored
                ? ` Your scores count once you have scored ${voterMinScored}: it keeps one-vote accounts from swinging the result.`
                : " Your scores count."}
            </p>
          ) : null}
          {next ? (
            <article
              className="mt-6 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm"
              aria-labelledby="design-title"
            >
              <div className="flex items-center justify-center rounded-xl bg-stone-100 p-2">
                <ArtworkPicture
                  images={next.images}
                  size="preview"
                  alt={next.title}
                  loading="eager"
                  className="h-auto max-h-[60vh] w-auto max-w-full"
                />
              </div>
              <h2 id="design-title" className="mt-4 text-xl font-semibold">
                {next.title}
              </h2>
              {next.description ? <p className="mt-1 text-stone-700">{next.description}</p> : null}
              <Form method="post" ref={form} className="mt-4" preventScrollReset>
                <input type="hidden" name="submissionId" value={next.id} />
                <label className="inline-flex items-center gap-2 font-medium">
                  <input ref={wouldBuy} type="checkbox" name="wouldBuy" className="h-5 w-5 accent-brand-600" /> I'd buy
                  this
                </label>
                <fieldset className="mt-3">
                  <legend className="text-sm font-medium text-stone-700">
                    Your score (keys 0–5; B ticks "I'd buy this")
                  </legend>
                  <div className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-6">
                    {SCORE_LABELS.map((label, score) => (
                      <button
                        key={score}
                        type="submit"
                        name="score"
                        value={score}
                        disabled={busy}
                        aria-label={`Score ${score}`}
                        className="rounded-lg border border-stone-300 px-2 py-3 text-center font-semibold hover:border-brand-600 hover:bg-brand-50 disabled:opacity-60"
                      >
                        {label}
                      </button>
                    ))}
                  </div>
                </fieldset>
              </Form>
            </article>
          ) : (
            <p className="mt-6 rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-emerald-900">
              You have scored every design in this round. Thank you! You can change a score on the design's page until
              voting ends.
            </p>
          )}
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
