import { data } from "@remix-run/node";
import type { Confirmation } from "~/components/confirm-step";

/**
 * A destructive admin post that arrived without its confirmation (or with one
 * that no longer fits, e.g. the amount changed): nothing is done, and the page
 * shows the question with a form that sends the confirmation. Status 200: the
 * page is the next step, not an error.
 */
export function askToConfirm(confirmation: Confirmation) {
  return data({ confirm: confirmation }, { status: 200 });
}

/** Whether the post carries the confirmation the question asked for. */
export function isConfirmed(given: string | undefined, expected: string): boolean {
  return given !== undefined && given === expected;
}
