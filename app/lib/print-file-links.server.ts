import { createHmac, timingSafeEqual } from "node:crypto";
import { getEnv } from "./env.server";

/**
 * Links a print-on-demand provider downloads a print master from. The master
 * is private (admins download it through their own route); the provider has
 * no session, so it gets a link to /print-files/<product> signed with an
 * HMAC of the product and an expiry, keyed on PRINTFUL_WEBHOOK_SECRET (the
 * secret already shared with the provider's side). Without that secret no
 * link can be made or accepted.
 */

/** How long a link works: long enough for an order held for review at the provider. */
export const PRINT_FILE_LINK_DAYS = 14;

function signingKey(): string | null {
  const secret = getEnv().PRINTFUL_WEBHOOK_SECRET;
  return secret ? `print-file-link:${secret}` : null;
}

function signature(key: string, productId: string, expires: number): string {
  return createHmac("sha256", key).update(`${productId}\n${expires}`).digest("base64url");
}

/** The signed path (origin not included) for a product's print file; null when links are not configured. */
export function signedPrintFilePath(productId: string, now = new Date()): string | null {
  const key = signingKey();
  if (!key) return null;
  const expires = Math.floor(now.getTime() / 1000) + PRINT_FILE_LINK_DAYS * 24 * 3600;
  return `/print-files/${productId}?expires=${expires}&signature=${signature(key, productId, expires)}`;
}

/** Whether a link's expiry and signature hold for this product now. */
export function printFileLinkHolds(productId: string, expires: number, given: string, now = new Date()): boolean {
  const key = signingKey();
  if (!key || expires * 1000 < now.getTime()) return false;
  const expected = Buffer.from(signature(key, productId, expires));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
