import { getEnv } from "./env.server";
import { publicOrigin } from "./public-origin.server";
import { singleton } from "./singleton.server";

/**
 * The key that signs our own cookies (toasts, guest carts). Without
 * COOKIE_SECRET each process uses a random one: fine for one instance, and the
 * README says to set it when running more.
 */
export function cookieSecret(): string {
  return singleton("cookie-secret", () => getEnv().COOKIE_SECRET ?? crypto.randomUUID() + crypto.randomUUID());
}

/** Reads one cookie from a request's Cookie header. */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("Cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Cookies are Secure whenever the app is reached over HTTPS (directly, behind a
 * trusted proxy, or as APP_ORIGIN says). Plain http://localhost, as the demo
 * runs, keeps working.
 */
export function isSecureRequest(request: Request): boolean {
  return publicOrigin(request).startsWith("https:");
}

export function serializeCookie(
  request: Request,
  name: string,
  value: string,
  options: { maxAgeSeconds: number },
): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (isSecureRequest(request)) parts.push("Secure");
  return parts.join("; ");
}
