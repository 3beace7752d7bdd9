import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { z } from "zod";

/**
 * Secrets handed to a browser or an inbox (session cookies, reset links) as
 * `id.secret`: 120 random bits each, and only SHA-256(secret) is stored.
 */
export function randomSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** Compares in constant time, so timing says nothing about how much matched. */
export function secretMatches(storedHexHash: string, secret: string): boolean {
  const expected = decodeHex(storedHexHash);
  const actual = sha256(new TextEncoder().encode(secret));
  return expected.length === actual.length && constantTimeEqual(expected, actual);
}

/** An emailed single-use link's row, if the secret matches and it is neither used nor expired. */
export function liveLink<T extends { tokenHash: string; usedAt: Date | null; expiresAt: Date }>(
  row: T | undefined,
  secret: string,
  now: Date,
): T | null {
  return row && secretMatches(row.tokenHash, secret) && !row.usedAt && row.expiresAt > now ? row : null;
}

/** `id.secret` as randomSecret makes them: lower-case base32, at most 64 characters a part. */
const TOKEN_PATTERN = /^([a-z2-7]{1,64})\.([a-z2-7]{1,64})$/;

/**
 * Splits `id.secret`; anything else is null. A cookie or link is input like
 * any other: only the alphabet we issue may reach a query (a NUL byte in a
 * cookie would otherwise reach PostgreSQL).
 */
export function splitToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/**
 * An emailed link's `id.secret` route param. Anything that cannot be one (a
 * NUL byte, quotes, 300 characters) becomes "", which no link matches: the
 * page then says the link is not valid, as it does for a used one.
 */
export const tokenParam = z.string().regex(TOKEN_PATTERN).catch("");
