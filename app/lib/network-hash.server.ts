import { createHmac } from "node:crypto";
import { networkPrefix } from "~/domain/integrity";
import { cookieSecret } from "./cookies.server";

/**
 * The keyed hash a sign-up's network is stored as: HMAC-SHA256 of its /24
 * (IPv4) or /48 (IPv6) prefix under a key derived from the server secret.
 * Addresses of one network hash alike, so bursts can be counted; without
 * the secret the hash cannot be turned back into a network by trying all
 * 2^24 IPv4 prefixes, and the address itself is never written anywhere.
 */
export function signupNetworkHash(clientIp: string): string {
  const key = createHmac("sha256", cookieSecret()).update("signup-network-v1").digest();
  return createHmac("sha256", key).update(networkPrefix(clientIp)).digest("hex");
}
