import { createHmac } from "node:crypto";
import { cookieSecret } from "./cookies.server";

/**
 * HMAC-SHA256 of `value` under a key derived from the server secret for one
 * `purpose` (so one purpose's hashes say nothing about another's). Equal
 * values hash alike, so they can be counted; without the secret a hash cannot
 * be turned back by trying every possible value.
 */
export function keyedHash(purpose: string, value: string): string {
  const key = createHmac("sha256", cookieSecret()).update(purpose).digest();
  return createHmac("sha256", key).update(value).digest("hex");
}
