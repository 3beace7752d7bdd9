import { getEnv } from "./env.server";
import { resolvePublicOrigin } from "./origin";

/**
 * Where the public reaches the app, for absolute links (feeds, share tags,
 * the pages a payment provider sends the buyer back to) and for deciding
 * whether cookies are Secure. Without a request (mail written by the server
 * tick) and without APP_ORIGIN, the local server's address.
 */
export function publicOrigin(request?: Request): string {
  const env = getEnv();
  return resolvePublicOrigin(env.APP_ORIGIN, request ? new URL(request.url).origin : `http://localhost:${env.PORT}`);
}
