import { getEnv } from "../env.server";
import { createLimiter } from "../limiter.server";
import { singleton } from "../singleton.server";

function imageLimiter() {
  return singleton("image-limiter", () => createLimiter(getEnv().IMAGE_CONCURRENCY));
}

/**
 * Runs image work with bounded concurrency: at most IMAGE_CONCURRENCY at once
 * in this process (uploads, avatars and the AVIF made after an upload
 * together), the rest wait.
 */
export function inImageTurn<T>(work: () => Promise<T>): Promise<T> {
  return imageLimiter().run(work);
}
