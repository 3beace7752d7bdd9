/**
 * Parcel tracking: the carriers an admin can pick when shipping by hand, and
 * the page each one shows a tracking number on. Shared by the admin form and
 * the server; a pure rule with unit tests.
 */
export const CARRIERS = {
  USPS: "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
  UPS: "https://www.ups.com/track?tracknum={number}",
  FedEx: "https://www.fedex.com/fedextrack/?trknbr={number}",
  DHL: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
  "Royal Mail": "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
  "Canada Post": "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
} as const satisfies Record<string, string>;

export type KnownCarrier = keyof typeof CARRIERS;
export const CARRIER_NAMES = Object.keys(CARRIERS) as KnownCarrier[];

const squeeze = (name: string) => name.toLowerCase().replace(/[^a-z]/g, "");

/** The carrier's tracking page for this number; null for a carrier we know no page for. Names match loosely ("FEDEX", "Royal mail"). */
export function trackingUrlFor(carrier: string | null | undefined, trackingNumber: string): string | null {
  const known = carrier ? CARRIER_NAMES.find((name) => squeeze(name) === squeeze(carrier)) : undefined;
  const number = trackingNumber.trim();
  if (!known || !number) return null;
  return CARRIERS[known].replace("{number}", encodeURIComponent(number));
}

/**
 * A tracking URL reported by a provider, if it is one a buyer can safely be
 * sent to: an https address of at most 500 characters. Anything else (a
 * `javascript:` link, plain http) is dropped, and the number shows as text.
 */
export function safeTrackingUrl(url: string | null | undefined): string | null {
  if (!url || url.length > 500) return null;
  try {
    return new URL(url).protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}
