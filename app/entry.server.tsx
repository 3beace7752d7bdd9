import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { encodeAllDueAvif, listenForAvifJobs } from "./domain/avif-renditions.server";
import { finalizeDueRounds } from "./domain/finalize.server";
import { sendDueFulfilment } from "./domain/fulfilment.server";
import { sendAllDueMail } from "./domain/mailer.server";
import { announceRoundPhases } from "./domain/round-announcements.server";
import { announceProposalRounds, refreshTrendingSupport } from "./domain/proposal-notices.server";
import { closeDatabase, getDatabaseHandle } from "./lib/db.server";
import { getEnv } from "./lib/env.server";
import { resetMailTransport } from "./lib/mail.server";
import { deleteExpiredSessions } from "./lib/session.server";
import "./lib/load-context";

export { observeRequest } from "./lib/metrics.server";

export const streamTimeout = 5_000;

/**
 * Hooks the Node server entry (server.ts) calls through the build, so that the
 * server and the routes share one database handle.
 */
let tickTimer: NodeJS.Timeout | undefined;
let ticking = false;
let mailTimer: NodeJS.Timeout | undefined;
let mailing = false;
let fulfilmentTimer: NodeJS.Timeout | undefined;
let fulfilling = false;
let avifTimer: NodeJS.Timeout | undefined;
let avifRun: Promise<void> | undefined;
let avifAgain = false;
let avifStopping = false;

/**
 * The server's periodic housekeeping: announces voting opened/ended,
 * finalizes rounds whose voting has closed and deletes expired sessions.
 * Every instance may run it: the round markers and locks make each step
 * happen once, and deleting an expired session twice deletes nothing.
 */
export async function serverTick() {
  if (ticking) return;
  ticking = true;
  try {
    const announced = await announceRoundPhases();
    if (announced.opened || announced.ended)
      console.log(`[rounds] announced: voting opened in ${announced.opened}, ended in ${announced.ended}`);
  } catch (error) {
    console.error("[rounds] announcing failed; will retry on the next tick", error);
  }
  try {
    const told = await announceProposalRounds();
    if (told) console.log(`[proposals] submissions-open news for ${told} round(s) made from proposals`);
    await refreshTrendingSupport();
  } catch (error) {
    console.error("[proposals] housekeeping failed; will retry on the next tick", error);
  }
  try {
    for (const outcome of await finalizeDueRounds()) {
      if (outcome.ok) {
        const done = outcome.value;
        console.log(
          `[rounds] finalized ${done.roundId}: ${done.winners} winners, ${done.products} products, ${done.prizes} prizes`,
        );
      }
    }
  } catch (error) {
    console.error("[rounds] finalize failed; will retry on the next tick", error);
  }
  try {
    await deleteExpiredSessions();
  } catch (error) {
    console.error("[sessions] clearing expired sessions failed; will retry on the next tick", error);
  } finally {
    ticking = false;
  }
}

/** Sends queued mail; SKIP LOCKED lets every instance run it. */
async function mailTick() {
  if (mailing) return;
  mailing = true;
  try {
    await sendAllDueMail();
  } catch (error) {
    console.error("[mail] sending failed; will retry on the next tick", error);
  } finally {
    mailing = false;
  }
}

/** Sends paid orders waiting for Printful; SKIP LOCKED lets every instance run it. Nothing to do with `manual`. */
async function fulfilmentTick() {
  if (fulfilling) return;
  fulfilling = true;
  try {
    const done = await sendDueFulfilment();
    if (done.sent || done.failed)
      console.log(`[fulfilment] ${done.sent} sent to Printful, ${done.failed} need an admin`);
  } catch (error) {
    console.error("[fulfilment] sending failed; will retry on the next tick", error);
  } finally {
    fulfilling = false;
  }
}

/**
 * Makes the AVIF of uploads queued since the last run (SKIP LOCKED lets every
 * instance run it). A job committed while a run is under way gets another
 * run straight after, so a new upload never waits for the next tick.
 */
function avifTick() {
  if (avifRun) {
    avifAgain = true;
    return;
  }
  avifRun = (async () => {
    do {
      avifAgain = false;
      try {
        const done = await encodeAllDueAvif(() => avifStopping);
        if (done.encoded) console.log(`[images] AVIF made for ${done.encoded} design${done.encoded === 1 ? "" : "s"}`);
      } catch (error) {
        console.error("[images] making AVIF renditions failed; will retry on the next tick", error);
      }
    } while (avifAgain && !avifStopping);
  })().finally(() => {
    avifRun = undefined;
  });
}

/** A server that has just started answers its first pages before the encoder takes a core. */
const AVIF_FIRST_SWEEP_MS = 5_000;

export async function migrate() {
  getEnv();
  await getDatabaseHandle().migrate();
}

export async function startup(options: { migrate?: boolean } = {}) {
  const env = getEnv();
  if (options.migrate !== false) await getDatabaseHandle().migrate();
  if (env.ROUNDS_TICK_SECONDS > 0 && !tickTimer) {
    tickTimer = setInterval(() => void serverTick(), env.ROUNDS_TICK_SECONDS * 1000);
    tickTimer.unref();
    void serverTick();
  }
  if (env.MAIL_TICK_SECONDS > 0 && !mailTimer) {
    mailTimer = setInterval(() => void mailTick(), env.MAIL_TICK_SECONDS * 1000);
    mailTimer.unref();
  }
  if (env.AVIF_TICK_SECONDS > 0 && !avifTimer) {
    avifStopping = false;
    listenForAvifJobs(avifTick);
    avifTimer = setTimeout(function sweep() {
      avifTick();
      avifTimer = setTimeout(sweep, env.AVIF_TICK_SECONDS * 1000);
      avifTimer.unref();
    }, AVIF_FIRST_SWEEP_MS);
    avifTimer.unref();
  }
  if (env.FULFILMENT_TICK_SECONDS > 0 && env.PRINTFUL_API_KEY && !fulfilmentTimer) {
    fulfilmentTimer = setInterval(() => void fulfilmentTick(), env.FULFILMENT_TICK_SECONDS * 1000);
    fulfilmentTimer.unref();
  }
}

export async function checkHealth(): Promise<{ ok: boolean; driver: string; error?: string }> {
  const handle = getDatabaseHandle();
  try {
    await handle.ping();
    return { ok: true, driver: handle.driver };
  } catch (error) {
    return { ok: false, driver: handle.driver, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function shutdown() {
  if (tickTimer) clearInterval(tickTimer);
  tickTimer = undefined;
  if (mailTimer) clearInterval(mailTimer);
  mailTimer = undefined;
  if (fulfilmentTimer) clearInterval(fulfilmentTimer);
  fulfilmentTimer = undefined;
  if (avifTimer) clearTimeout(avifTimer);
  avifTimer = undefined;
  listenForAvifJobs(undefined);
  // The encode under way finishes first, so its files and keys are written together (a lease covers a
  // kill); the jobs after it wait for the next start.
  avifStopping = true;
  await avifRun;
  resetMailTransport();
  await closeDatabase();
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [waitForAll ? "onAllReady" : "onShellReady"]() {
        shellRendered = true;
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        // Errors before the shell are reported by onShellError; later ones are logged here.
        if (shellRendered) console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}
