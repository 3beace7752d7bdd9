import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import type { Failure, FailureCode, Outcome } from "~/domain/outcome";
import { redirectWithToast, type Toast } from "./toast.server";

/**
 * Routes turn a domain failure into HTTP here and nowhere else: one status
 * per code, and either a thrown response (a page with nothing to show the
 * message on) or a Conform reply that puts the message on its field.
 */
export const FAILURE_STATUS: Record<FailureCode, number> = {
  invalid: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  gone: 410,
  rate_limited: 429,
  too_large: 413,
  unavailable: 503,
};

function failureHeaders(failure: Failure): HeadersInit | undefined {
  return failure.retryAfterSeconds ? { "Retry-After": String(failure.retryAfterSeconds) } : undefined;
}

/** The failure as a response, to throw to the route's error boundary. */
export function failureResponse(failure: Failure): Response {
  return new Response(failure.message, { status: FAILURE_STATUS[failure.code], headers: failureHeaders(failure) });
}

/** The outcome's value; a failure is thrown as its response. */
export function valueOrThrow<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw failureResponse(outcome);
  return outcome.value;
}

/**
 * Action data for a form whose submission failed: the Conform reply with the
 * message on the field the failure names (on the form otherwise), under the
 * failure's status. `extra` is merged into the data for pages that need more.
 */
export function failureReply<E extends Record<string, unknown> = Record<never, never>>(
  submission: Submission<unknown>,
  failure: Failure,
  options: { hideFields?: string[]; extra?: E } = {},
) {
  const result = failure.field
    ? submission.reply({ fieldErrors: { [failure.field]: [failure.message] }, hideFields: options.hideFields })
    : submission.reply({ formErrors: [failure.message], hideFields: options.hideFields });
  return data(
    { ...(options.extra as E), result },
    { status: FAILURE_STATUS[failure.code], headers: failureHeaders(failure) },
  );
}

/**
 * Action data for a failure the page shows itself, on a form that is not a
 * Conform form (the vote page's score buttons): the code and message, plus
 * `extra`, under the failure's status. Single fetch does not reload the
 * page's data after a 4xx, so what was on screen stays there.
 */
export function failureData<E extends Record<string, unknown> = Record<never, never>>(failure: Failure, extra?: E) {
  return data(
    { ...(extra as E), failure: { code: failure.code, message: failure.message } },
    { status: FAILURE_STATUS[failure.code], headers: failureHeaders(failure) },
  );
}

/** Action data for a submission that did not parse: its own errors, status 400. */
export function invalidReply<E extends Record<string, unknown> = Record<never, never>>(
  submission: Submission<unknown>,
  options: { hideFields?: string[]; extra?: E } = {},
) {
  return data(
    { ...(options.extra as E), result: submission.reply({ hideFields: options.hideFields }) },
    { status: 400 },
  );
}

/**
 * For a failure a person can fix or retry from the page they came from: back
 * to `url` with the message as an error toast. A `not_found` is thrown as its
 * 404 instead (there is nothing to go back to).
 */
export async function redirectWithFailure(request: Request, url: string, failure: Failure, title?: string) {
  if (failure.code === "not_found") throw failureResponse(failure);
  return redirectWithToast(
    request,
    url,
    title ? { kind: "error", title, description: failure.message } : { kind: "error", title: failure.message },
  );
}

/** Back to `url` with a toast saying how it went: `success` when it worked, the failure's message when not. */
export function redirectWithOutcome(request: Request, url: string, outcome: Outcome<unknown>, success: Toast) {
  return redirectWithToast(request, url, outcome.ok ? success : { kind: "error", title: outcome.message });
}
