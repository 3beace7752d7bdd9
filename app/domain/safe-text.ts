import { z } from "zod";

/**
 * Control characters no person types into a form: C0 controls except tab,
 * line feed and carriage return. U+0000 in particular cannot be stored in a
 * PostgreSQL text column, so it must be refused before it gets near SQL.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/**
 * The string every form field is made of: a plain zod string that refuses
 * control characters. Chain `.trim()`, `.min()`, `.max()` on it as on any
 * string; used by the forms' schemas on the client (Conform) and the server.
 */
export function safeText(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine((value) => !hasControlCharacters(value), {
    message: "Remove the invisible control characters from this text",
    abort: true,
  });
}
