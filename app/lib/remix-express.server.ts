import {
  createReadableStreamFromReadable,
  createRequestHandler,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";

/**
 * Express in front of Remix, as `@remix-run/express` does it, except for how a
 * body is sent. The stock adapter writes each chunk without waiting for the
 * socket to drain and goes on reading the body after the client has left, so
 * a 45 MB ballots CSV to a slow (or vanished) client was read whole from the
 * database into memory. Here a body is written with backpressure (the next
 * chunk is read only once the last one was taken) and cancelled when the
 * connection closes, which is what ends a streamed download's database reads.
 */
export function createRemixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: ExpressRequest) => AppLoadContext;
}) {
  const handleRequest = createRequestHandler(options.build, options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const response = await handleRequest(await remixRequest(req, res), options.getLoadContext(req));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** A body at most this long (a form without files) is read whole before Remix sees it: cheaper than a web stream. */
const BUFFERED_BODY_BYTES = 64 * 1024;

export async function remixRequest(req: ExpressRequest, res: ExpressResponse): Promise<Request> {
  // req.hostname follows the "trust proxy" setting; the port comes from X-Forwarded-Host or Host.
  const port = portOf(req.get("X-Forwarded-Host")) ?? portOf(req.get("host"));
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;
  // Node keeps the raw list (name, value, name, value…): the Request builds its Headers from it once.
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  // Loaders and actions see the client leave (request.signal) until the response is finished.
  const controller = new AbortController();
  let finished = false;
  res.once("finish", () => (finished = true));
  res.once("close", () => finished || controller.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const length = Number(req.headers["content-length"]);
    if (Number.isSafeInteger(length) && length <= BUFFERED_BODY_BYTES) init.body = await readBody(req);
    else {
      // Uploads and bodies of unknown length are streamed: their handlers apply their own limits.
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  return new Request(url, init);
}

/** The whole body of a request whose Content-Length is small (Node's parser holds it to that length). */
function readBody(req: ExpressRequest): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks) as Uint8Array<ArrayBuffer>));
    req.once("error", reject);
    req.once("aborted", () => reject(new Error("The client closed the connection while sending its form.")));
  });
}

function portOf(host: string | undefined) {
  const port = Number.parseInt(host?.split(":")[1] ?? "", 10);
  return Number.isSafeInteger(port) ? port : undefined;
}

/** Writes a Remix response to Express: headers, then the body a chunk at a time, as fast as the client takes it. */
export async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  let gone = false;
  const onClose = () => {
    gone = true;
    reader.cancel().catch(() => {});
  };
  res.once("close", onClose);
  // A streamed page arrives in many small chunks over many ticks (React's shell, then single
  // fetch's data scripts), and Node sends each tick's writes in a system call of their own. So
  // writes are held (corked) until the event loop turns and then sent together; compression()
  // is flushed then too, once, rather than after every chunk.
  const flushable = res as ExpressResponse & { flush?: () => void };
  let held: NodeJS.Immediate | undefined;
  const release = () => {
    if (!held) return;
    clearImmediate(held);
    held = undefined;
    flushable.flush?.();
    res.uncork();
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || gone) break;
      if (!held) {
        res.cork();
        held = setImmediate(release);
      }
      if (!res.write(value) && !gone) {
        release();
        await drainedOrClosed(res);
      }
    }
    release();
    if (!gone) res.end();
  } catch (error) {
    // Headers are out: all that can be said is that the body is cut short.
    console.error("A response body failed while it was being sent:", error);
    res.destroy(error as Error);
  } finally {
    release();
    res.off("close", onClose);
  }
}

function drainedOrClosed(res: ExpressResponse) {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
