/**
 * Cross-site request forgery defence, as Lucia's guide asks: every request
 * that can change something must come from a page of our own origin.
 * Browsers send `Origin` on every POST; `Sec-Fetch-Site` is the fallback.
 * The Stripe webhook is exempt and is verified by its signature instead.
 */
export const ORIGIN_EXEMPT_PATHS = ["/webhooks/stripe"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginCheckInput = {
  method: string;
  path: string;
  origin: string | null | undefined;
  secFetchSite: string | null | undefined;
  /** The Host header of the request (host[:port]). */
  host: string | null | undefined;
  /** APP_ORIGIN when configured; then it wins over the Host header. */
  appOrigin?: string;
};

export function isRequestFromOwnOrigin(input: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  if (ORIGIN_EXEMPT_PATHS.includes(input.path)) return true;
  if (input.origin && input.origin !== "null") {
    let originHost: string;
    try {
      originHost = new URL(input.origin).host;
    } catch {
      return false;
    }
    if (input.appOrigin) return new URL(input.appOrigin).host === originHost;
    return Boolean(input.host) && originHost === input.host;
  }
  // No Origin header at all: only a browser that says the request is its own
  // origin's is believed.
  return input.secFetchSite === "same-origin";
}
