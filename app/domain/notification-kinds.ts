import { z } from "zod";
import type { NotificationPrefs } from "#db/schema";

/**
 * What a member can hear about, in the order the settings page lists them.
 * Every kind shows in the bell unless turned off; email is opt-in for each,
 * except a buyer's order messages, whose email is on until turned off.
 * Account mail (password reset, password changed, account deleted) is not a
 * kind: it is always sent, because it is about the account itself.
 */
export const NOTIFICATION_KINDS = [
  { kind: "submission_approved", label: "My design was approved" },
  { kind: "submission_rejected", label: "My design was rejected (with the reason)" },
  { kind: "voting_opened", label: "Voting opened in a round I entered" },
  { kind: "voting_ended", label: "Voting ended in a round I entered" },
  { kind: "design_won", label: "My design won a round" },
  { kind: "results_published", label: "Results of a round I entered are out" },
  { kind: "royalty_credited", label: "A sale earned me a royalty" },
  { kind: "payout_decided", label: "My payout was sent or declined" },
  { kind: "comment_on_design", label: "Someone commented on my design or product" },
  { kind: "comment_reply", label: "Someone replied to my comment" },
  { kind: "new_design", label: "A designer I follow posted a new design" },
  { kind: "comment_on_proposal", label: "Someone commented on my round proposal" },
  { kind: "proposal_support", label: "My round proposal reached a support milestone" },
  { kind: "proposal_decided", label: "A round proposal I made or supported was accepted or declined" },
  { kind: "proposal_round", label: "A proposal I supported became a round, or its submissions opened" },
  { kind: "favourite_in_shop", label: "A design I saved is now in the shop" },
  // A buyer's own orders: email is on unless turned off, as a shop's receipts are.
  { kind: "order_paid", label: "My order was confirmed (with a receipt)", email: true },
  { kind: "order_shipped", label: "My order shipped (with tracking)", email: true },
  { kind: "order_refunded", label: "My order was refunded", email: true },
  { kind: "order_cancelled", label: "My order was cancelled", email: true },
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]["kind"];

export const DEFAULT_CHANNELS = { inApp: true, email: false } as const;

/** A kind's defaults: the bell always, email only where the kind turns it on (order receipts). */
export function defaultChannels(kind: NotificationKind): { inApp: boolean; email: boolean } {
  const entry = NOTIFICATION_KINDS.find((k) => k.kind === kind);
  return { inApp: DEFAULT_CHANNELS.inApp, email: entry && "email" in entry ? entry.email : DEFAULT_CHANNELS.email };
}

/** The channels a member gets one kind on: their choice, else the kind's defaults. */
export function channelsFor(
  prefs: NotificationPrefs | null | undefined,
  kind: NotificationKind,
): { inApp: boolean; email: boolean } {
  const chosen = prefs?.[kind];
  const defaults = defaultChannels(kind);
  return { inApp: chosen?.inApp ?? defaults.inApp, email: chosen?.email ?? defaults.email };
}

/** The settings form's checkboxes (`inApp:<kind>`, `email:<kind>`), read into a full preferences object. */
export function prefsFromForm(
  fields: Record<string, unknown>,
): Record<NotificationKind, { inApp: boolean; email: boolean }> {
  const on = (name: string) => fields[name] === "on";
  return Object.fromEntries(
    NOTIFICATION_KINDS.map(({ kind }) => [kind, { inApp: on(`inApp:${kind}`), email: on(`email:${kind}`) }]),
  ) as Record<NotificationKind, { inApp: boolean; email: boolean }>;
}

/** A ticked checkbox sends "on"; an unticked one sends nothing. */
const checkbox = z.literal("on").optional();

/** The settings form's checkbox fields, one per kind and channel, for the form's schema. */
export const notificationCheckboxes = Object.fromEntries(
  NOTIFICATION_KINDS.flatMap(({ kind }) => [
    [`inApp:${kind}`, checkbox],
    [`email:${kind}`, checkbox],
  ]),
) as Record<`${"inApp" | "email"}:${NotificationKind}`, typeof checkbox>;
