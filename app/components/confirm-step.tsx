import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * The second step of a destructive admin action (refund, decline a payout,
 * disqualify a design): the server answers the first post with this question
 * instead of acting, and only a post carrying `confirmed` with the value it
 * chose (the amount, for money) goes through. Plain forms: no JavaScript needed.
 */
export type Confirmation = {
  /** The intent the confirmed post repeats. */
  intent: string;
  /** Names what will happen, with the amount where money moves. */
  question: string;
  /** The button's words ("Yes, refund $23.00"). */
  confirmLabel: string;
  /** What the server expects back in `confirmed`. */
  token: string;
  /** The first post's other fields (ids, a reason), sent again unchanged. */
  fields: Record<string, string>;
};

export function ConfirmStep({ confirmation, cancelHref }: { confirmation: Confirmation; cancelHref: string }) {
  return (
    <section
      role="alert"
      aria-labelledby="confirm-heading"
      className="mb-6 rounded-xl border-2 border-red-300 bg-red-50 p-4 print:hidden"
    >
      <h2 id="confirm-heading" className="text-lg font-semibold text-red-900">
        Please confirm
      </h2>
      <p className="mt-1 text-stone-900">{confirmation.question}</p>
      <Form method="post" className="mt-3 flex flex-wrap items-center gap-3">
        {Object.entries(confirmation.fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="intent" value={confirmation.intent} />
        <input type="hidden" name="confirmed" value={confirmation.token} />
        <button
          type="submit"
          className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800"
        >
          {confirmation.confirmLabel}
        </button>
        <Link to={cancelHref} className="text-sm font-semibold text-stone-700 underline">
          Cancel, change nothing
        </Link>
      </Form>
    </section>
  );
}

/**
 * The page's other forms while a confirmation waits: switched off (a disabled
 * fieldset, so it holds without JavaScript too), so the question is answered
 * or cancelled before anything else is sent from the page.
 */
export function HeldWhileConfirming({
  held,
  children,
  className = "",
}: {
  held: boolean;
  children: ReactNode;
  className?: string;
}) {
  return (
    <fieldset
      disabled={held}
      aria-describedby={held ? "confirm-heading" : undefined}
      className={`m-0 min-w-0 border-0 p-0 disabled:opacity-50 ${className}`}
    >
      {children}
    </fieldset>
  );
}
