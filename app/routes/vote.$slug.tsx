import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { ArtworkPicture } from "~/components/artwork";
import { NewAccountNotice } from "~/components/new-account-notice";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useIsPending } from "~/components/forms";
import { fail } from "~/domain/outcome";
import { PHASE_LABELS } from "~/domain/round-phase";
import { findRoundBySlug } from "~/domain/rounds.server";
import { safeText } from "~/domain/safe-text";
import {
  ballotConfirmation,
  castBallot,
  designForVoter,
  isLastForVoter,
  nextForVoter,
  scoresCountFrom,
  undoBallot,
  voterProgress,
} from "~/domain/voting.server";
import { getOptionalUser, requireUser, safeRedirectPath } from "~/lib/auth.server";
import { idParam, parseParams, parseSearchParams, readForm, slugParam } from "~/lib/edge.server";
import { failureData } from "~/lib/outcome.server";
import { noteSharedBallot } from "~/lib/share-arrival.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Vote: ${data.round.title} · Crowdthread` : "Vote · Crowdthread" },
];

/** How many skipped designs the address remembers; older skips may come back. */
const SKIP_MAX = 20;
const UUID_LENGTH = 36;

/**
 * The page's address says what to show: `design` keeps one design on screen
 * (after a refused ballot, or the one whose score was just taken back) while
 * the voter may still score it; `last` is the ballot just cast, to confirm it;
 * `skip` lists designs skipped a moment ago.
 */
const voteSearch = {
  design: idParam.optional(),
  last: idParam.optional(),
  skip: z
    .string()
    .max(SKIP_MAX * (UUID_LENGTH + 1))
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(idParam).max(SKIP_MAX))
    .optional(),
};

function votePath(slug: string, search: { design?: string; last?: string; skip?: readonly string[] }) {
  const query = new URLSearchParams();
  if (search.skip?.length) query.set("skip", search.skip.join(","));
  if (search.design) query.set("design", search.design);
  if (search.last) query.set("last", search.last);
  const text = query.toString();
  return `/vote/${slug}${text ? `?${text}` : ""}`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const search = parseSearchParams(request, voteSearch);
  const user = await getOptionalUser(request);
  const round = await findRoundBySlug(slug, user);
  if (!round) throw new Response("There is no round at this address.", { status: 404 });
  if (!user || round.phase !== "voting")
    return {
      round,
      user: user ? { id: user.id } : null,
      next: null,
      progress: null,
      last: null,
      isLast: false,
      skipped: [],
      countsFrom: null,
      voterMinScored: round.voterMinScored,
    };
  const skipped = search.skip ?? [];
  const showNext = async () =>
    (search.design ? await designForVoter(round.id, user.id, search.design) : null) ??
    (await nextForVoter(round.id, user.id, skipped));
  const [next, progress, last] = await Promise.all([
    showNext(),
    voterProgress(round.id, user.id),
    search.last ? ballotConfirmation(round.id, search.last, user.id) : null,
  ]);
  const isLast = next ? await isLastForVoter(round.id, user.id, next.id, progress) : false;
  return {
    round,
    user: { id: user.id },
    isLast,
    next: next ? { id: next.id, title: next.title, description: next.description, images: next.images } : null,
    progress,
    last,
    skipped,
    countsFrom: scoresCountFrom(user)?.toISOString() ?? null,
    voterMinScored: round.voterMinScored,
  };
}

const voteForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("score"),
    submissionId: idParam,
    score: z.coerce.number().int().min(0).max(5),
    wouldBuy: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
    /** Set by the design page's score form: back there, with a refusal as a toast. */
    redirectTo: safeText().max(500).optional(),
  }),
  z.object({ intent: z.literal("undo"), submissionId: idParam }),
]);
type VoteForm = z.output<typeof voteForm>;
type Voter = Awaited<ReturnType<typeof requireUser>>;

/**
 * The hot path is "score": one parse, then castBallot's single statement.
 * A form without an intent is a score (the design page's form, scripts).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const user = await requireUser(request);
  const parsed = voteForm.safeParse({ intent: "score", ...Object.fromEntries(await readForm(request)) });
  if (!parsed.success) return failureData(fail("invalid", "Choose a score from 0 to 5."), { intent: "score" });
  switch (parsed.data.intent) {
    case "score":
      return score(request, slug, user, parsed.data);
    case "undo":
      return undo(request, slug, user, parsed.data);
  }
}

async function score(request: Request, slug: string, user: Voter, form: Extract<VoteForm, { intent: "score" }>) {
  const result = await castBallot({
    voter: user,
    submissionId: form.submissionId,
    score: form.score,
    wouldBuy: form.wouldBuy,
  });
  if (result.ok) await noteSharedBallot(request, user.id, form.submissionId);
  if (form.redirectTo !== undefined) {
    const back = safeRedirectPath(form.redirectTo, `/vote/${slug}`);
    if (result.ok) return redirect(back, { status: 303 });
    return redirectWithToast(
      request,
      back,
      { kind: "error", title: "Your vote was not counted", description: result.message },
      { status: 303 },
    );
  }
  // The vote page: a refusal stays on the design it was for, with its message (its form's address names the design).
  if (!result.ok) return failureData(result, { intent: "score", submissionId: form.submissionId });
  const { skip } = parseSearchParams(request, voteSearch);
  return redirect(votePath(slug, { skip, last: form.submissionId }), { status: 303 });
}

async function undo(request: Request, slug: string, user: Voter, form: Extract<VoteForm, { intent: "undo" }>) {
  const result = await undoBallot({ voter: user, submissionId: form.submissionId });
  if (!result.ok) return failureData(result, { intent: "undo", submissionId: form.submissionId });
  const { skip } = parseSearchParams(request, voteSearch);
  // The design comes back on screen, to be scored again or skipped.
  return redirectWithToast(
    request,
    votePath(slug, { skip, design: form.submissionId }),
    { kind: "success", title: "Score taken back", description: `You no longer score “${result.value.title}”.` },
    { status: 303 },
  );
}

const SCORES = [0, 1, 2, 3, 4, 5] as const;
const UNDO_SECONDS = 10;

export default function VoteRoundPage() {
  const { round, user, next, progress, last, isLast, skipped, countsFrom, voterMinScored } =
    useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();

  return (
    <div className="mx-auto -mt-4 max-w-3xl sm:mt-0 md:max-w-4xl">
      <p className="text-sm">
        <Link to={`/rounds/${round.slug}`} className="text-brand-700 underline">
          {round.title}
        </Link>{" "}
        · {PHASE_LABELS[round.phase]}
      </p>
      <h1 className="mt-1 text-xl font-bold tracking-tight sm:mt-2 sm:text-3xl">Vote: {round.title}</h1>

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
          {progress ? (
            <p className="mt-1 text-sm text-stone-700 sm:mt-2 sm:text-base" data-testid="vote-progress">
              You have scored {progress.scored} of {progress.eligible} designs.
              {progress.scored < voterMinScored ? (
                <>
                  {` Your scores count once you have scored ${voterMinScored}`}
                  <span className="hidden sm:inline">: it keeps one-vote accounts from swinging the result</span>.
                </>
              ) : (
                " Your scores count."
              )}
            </p>
          ) : null}
          {countsFrom ? <NewAccountNotice countsFrom={countsFrom} className="mt-2" /> : null}
          {last ? <LastBallot key={last.submissionId} ballot={last} slug={round.slug} skipped={skipped} /> : null}
          {refused && "failure" in refused ? (
            <div
              role="alert"
              className="mt-2 flex items-start justify-between gap-3 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900"
            >
              <p>
                <span className="font-semibold">
                  {refused.intent === "undo" ? "Your score was not taken back. " : "Your vote was not counted. "}
                </span>
                {refused.failure.message}
              </p>
              <Link
                to={votePath(round.slug, { skip: skipped, design: next?.id })}
                replace
                preventScrollReset
                className="shrink-0 font-semibold underline"
              >
                Dismiss
              </Link>
            </div>
          ) : null}
          {next ? (
            <BallotCard
              key={next.id}
              design={next}
              slug={round.slug}
              skipped={skipped}
              canScore={countsFrom === null}
              isLast={isLast}
            />
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

type Design = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["next"]>;

/**
 * One design and its score form. It is keyed by the design's id, so each
 * design starts with "I'd buy this" unticked and the keys act on the design
 * on screen, never on the one before.
 */
function BallotCard({
  design,
  slug,
  skipped,
  canScore,
  isLast,
}: {
  design: Design;
  slug: string;
  skipped: readonly string[];
  canScore: boolean;
  /** The last design left for this voter: nothing to skip to. */
  isLast: boolean;
}) {
  const submit = useSubmit();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const busy = useIsPending({ until: "loaded" });
  const form = useRef<HTMLFormElement>(null);
  const [wouldBuy, setWouldBuy] = useState(false);
  // What a key press sends, even before React has re-rendered the box it just ticked.
  const wouldBuyNow = useRef(false);
  const setBuy = (value: boolean) => {
    wouldBuyNow.current = value;
    setWouldBuy(value);
  };
  const scoreAction = votePath(slug, { skip: skipped, design: design.id });
  const skipTo = votePath(slug, { skip: [...skipped.filter((id) => id !== design.id), design.id].slice(-SKIP_MAX) });
  const idle = navigation.state === "idle";

  useEffect(() => {
    // Keyboard: 0–5 scores the design on screen, B ticks "I'd buy this", S skips.
    function onKey(event: KeyboardEvent) {
      if (!form.current || event.metaKey || event.ctrlKey || event.altKey || event.repeat) return;
      const target = event.target as HTMLInputElement | null;
      const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
      if (typing && target.type !== "checkbox") return;
      const key = event.key.toLowerCase();
      if (/^[0-5]$/.test(key)) {
        event.preventDefault();
        if (!canScore || !idle) return;
        const body = new FormData(form.current);
        body.set("score", key);
        if (wouldBuyNow.current) body.set("wouldBuy", "on");
        else body.delete("wouldBuy");
        submit(body, { method: "post", action: scoreAction, preventScrollReset: true });
      } else if (key === "b") {
        event.preventDefault();
        if (canScore) setBuy(!wouldBuyNow.current);
      } else if (key === "s") {
        event.preventDefault();
        if (idle && !isLast) navigate(skipTo, { preventScrollReset: true });
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [submit, navigate, canScore, idle, isLast, scoreAction, skipTo]);

  return (
    <article
      className="mt-2 rounded-2xl border border-stone-200 bg-white p-3 shadow-sm sm:mt-4 sm:p-4 md:grid md:grid-cols-[minmax(0,1fr)_17rem] md:items-center md:gap-5"
      aria-labelledby="design-title"
      data-design-id={design.id}
    >
      <div className="flex items-center justify-center rounded-xl bg-stone-100 p-1 sm:p-2">
        <ArtworkPicture
          images={design.images}
          size="preview"
          alt={design.title}
          loading="eager"
          className="h-auto max-h-[34dvh] w-auto max-w-full sm:max-h-[45dvh] md:max-h-[55dvh]"
        />
      </div>
      <div className="min-w-0">
        <div className="mt-2 flex items-center justify-between gap-3 sm:mt-3 md:mt-0">
          <h2 id="design-title" className="min-w-0 truncate text-lg font-semibold sm:text-xl" title={design.title}>
            {design.title}
          </h2>
          {isLast ? null : (
            <Link
              to={skipTo}
              preventScrollReset
              className="shrink-0 rounded-lg border border-stone-300 px-3 py-1.5 text-sm font-medium text-stone-700 hover:bg-stone-100"
            >
              Skip
            </Link>
          )}
        </div>
        {isLast ? (
          <p className="mt-1 text-sm text-stone-700" data-testid="last-design">
            This is the last design left for you to score.
          </p>
        ) : null}
        {design.description ? (
          <p className="mt-1 line-clamp-2 text-sm text-stone-700 sm:text-base md:line-clamp-4">{design.description}</p>
        ) : null}
        <Form method="post" action={scoreAction} ref={form} className="mt-2 sm:mt-3" preventScrollReset>
          <input type="hidden" name="intent" value="score" />
          <input type="hidden" name="submissionId" value={design.id} />
          <div className="flex items-center justify-between gap-3">
            <label className="inline-flex items-center gap-2 font-medium has-disabled:text-stone-400">
              <input
                type="checkbox"
                name="wouldBuy"
                checked={wouldBuy}
                onChange={(event) => setBuy(event.currentTarget.checked)}
                disabled={!canScore}
                className="h-5 w-5 accent-brand-600"
              />{" "}
              I'd buy this
            </label>
            <p className="text-xs text-stone-500 sm:hidden">0 not for me · 5 love it</p>
          </div>
          <fieldset className="mt-2" disabled={!canScore}>
            <legend className="sr-only">Your score, from 0 (not for me) to 5 (love it)</legend>
            <div className="grid grid-cols-6 gap-1.5 sm:gap-2 md:grid-cols-3">
              {SCORES.map((score) => (
                <button
                  key={score}
                  type="submit"
                  name="score"
                  value={score}
                  disabled={busy || !canScore}
                  aria-label={`Score ${score}`}
                  className="flex flex-col items-center rounded-lg border border-stone-300 px-1 py-2.5 font-semibold hover:border-brand-600 hover:bg-brand-50 disabled:opacity-50 sm:py-3"
                >
                  <span className="text-lg leading-6">{score}</span>
                  <span className="hidden text-xs leading-4 font-normal text-stone-600 sm:block">
                    {score === 0 ? "Not for me" : score === 5 ? "Love it" : "\u00a0"}
                  </span>
                </button>
              ))}
            </div>
          </fieldset>
          {canScore ? (
            <p className="mt-2 hidden text-xs text-stone-500 keyboard:block" data-testid="keyboard-hint">
              Keys: 0–5 score · B ticks "I'd buy this"{isLast ? "" : " · S skips"}
            </p>
          ) : null}
        </Form>
      </div>
    </article>
  );
}

/** "You gave … a 4", with an Undo for a few seconds when it was the voter's first score for that design. */
function LastBallot({
  ballot,
  slug,
  skipped,
}: {
  ballot: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["last"]>;
  slug: string;
  skipped: readonly string[];
}) {
  const [undoOpen, setUndoOpen] = useState(ballot.undoable);
  const undoing = useIsPending({ intent: "undo" });
  useEffect(() => {
    const timer = setTimeout(() => setUndoOpen(false), UNDO_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div
      role="status"
      data-testid="last-ballot"
      className="mt-2 flex min-h-10 items-center justify-between gap-3 rounded-lg bg-brand-50 px-3 py-1.5 text-sm text-brand-900"
    >
      {/* Wraps rather than truncates: on a phone the title and score must stay readable beside Undo. */}
      <p className="min-w-0 break-words">
        {ballot.undoable ? "You gave " : "Your score for "}
        <span className="font-semibold">{ballot.title}</span>
        {ballot.undoable ? " a " : " is now "}
        <span className="font-semibold">{ballot.score}</span>
        {ballot.wouldBuy ? ", and you'd buy it" : ""}.
      </p>
      {undoOpen ? (
        <Form method="post" action={votePath(slug, { skip: skipped })} preventScrollReset className="shrink-0">
          <input type="hidden" name="intent" value="undo" />
          <input type="hidden" name="submissionId" value={ballot.submissionId} />
          <button type="submit" disabled={undoing} className="font-semibold text-brand-700 underline">
            Undo
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
