/**
 * Cross-site request forgery defence, as Lucia's guide asks: every request
 * that can change something must come from a page of our own origin.
 * Browsers send `Origin` on every POST; `Sec-Fetch-Site` is the fallback.
 * The webhooks are exempt: Stripe's is verified by its signature instead,
 * Printful's by the secret token in its URL.
 */
export const ORIGIN_EXEMPT_PATHS = ["/webhooks/stripe", "/webhooks/printful"];

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

/**
 * The app's public origin: APP_ORIGIN when configured (behind a proxy the
 * request's own URL says little), else the origin the request arrived at.
 * Every link, redirect back from a provider and cookie decision follows this
 * one rule; public-origin.server.ts applies it to a request.
 */
export function resolvePublicOrigin(appOrigin: string | undefined, requestOrigin: string): string {
  return appOrigin ?? requestOrigin;
}

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
    if (!input.appOrigin && !input.host) return false;
    try {
      return new URL(resolvePublicOrigin(input.appOrigin, `http://${input.host}`)).host === originHost;
    } catch {
      return false;
    }
  }
  // No Origin header at all: only a browser that says the request is its own
  // origin's is believed.
  return input.secFetchSite === "same-origin";
}
