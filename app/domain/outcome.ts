/**
 * The one shape every domain operation answers with: a value, or a failure
 * with a code, a message for the person who asked and, when one field of a
 * form is to blame, its name. Codes say what went wrong in the marketplace's
 * terms; turning them into HTTP statuses is the routes' job
 * (app/lib/outcome.server.ts), so no domain module knows about HTTP.
 */
export const FAILURE_CODES = [
  /** The input breaks a rule (a score of 7, a title too long, a bad file). */
  "invalid",
  /** The thing asked about does not exist, or this person may not know that it does. */
  "not_found",
  /** It exists, but this person may not do this to it. */
  "forbidden",
  /** The request is fine but the thing's state refuses it now (voting closed, already paid). */
  "conflict",
  /** It existed once and is spent for good (a used or expired emailed link). */
  "gone",
  /** Too many attempts in a window; `retryAfterSeconds` says when to try again. */
  "rate_limited",
  /** An upload larger than allowed. */
  "too_large",
  /** A third party (payments, storage) failed; trying later may work. */
  "unavailable",
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export type Failure = {
  ok: false;
  code: FailureCode;
  message: string;
  /** The form field the message belongs to, when it is one field's fault. */
  field?: string;
  retryAfterSeconds?: number;
};
export type Success<T> = { ok: true; value: T };
export type Outcome<T = void> = Success<T> | Failure;

export function ok(): Success<void>;
export function ok<T>(value: T): Success<T>;
export function ok<T>(value?: T): Success<T | undefined> {
  return { ok: true, value };
}

export function fail(
  code: FailureCode,
  message: string,
  extra: { field?: string; retryAfterSeconds?: number } = {},
): Failure {
  return { ok: false, code, message, ...extra };
}
