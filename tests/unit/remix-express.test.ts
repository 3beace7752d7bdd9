import { once } from "node:events";
import { request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { sendResponse } from "~/lib/remix-express.server";

const CHUNK = new Uint8Array(64 * 1024).fill(120);

/** An endless body that counts what it was asked for, and notices when it is cancelled. */
function endlessBody() {
  const state = { bytes: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.bytes += CHUNK.byteLength;
        controller.enqueue(CHUNK);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, state };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(body: ReadableStream<Uint8Array>) {
  const app = express();
  app.get("/", (_req, res) => void sendResponse(res, new Response(body, { headers: { "Content-Type": "text/csv" } })));
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const req = request({ host: "127.0.0.1", port, path: "/" });
  req.end();
  const [res] = (await once(req, "response")) as [IncomingMessage];
  return { req, res };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sending a streamed body", () => {
  it("reads no further than a client that stops reading has taken", async () => {
    const { body, state } = endlessBody();
    const { res } = await serve(body);
    res.pause();
    await pause(300);
    const held = state.bytes;
    await pause(300);
    // Socket buffers hold a few megabytes; an adapter that ignored backpressure would have read gigabytes.
    expect(held).toBeLessThan(32 * 1024 * 1024);
    expect(state.bytes).toBe(held);
    expect(state.cancelled).toBe(false);
  });

  it("cancels the body when the client goes away", async () => {
    const { body, state } = endlessBody();
    const { req, res } = await serve(body);
    await once(res, "data");
    req.destroy();
    for (let i = 0; i < 50 && !state.cancelled; i++) await pause(20);
    expect(state.cancelled).toBe(true);
    const after = state.bytes;
    await pause(100);
    expect(state.bytes).toBe(after);
  });
});
