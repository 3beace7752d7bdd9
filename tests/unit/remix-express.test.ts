import { once } from "node:events";
import { request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { remixRequest, sendResponse } from "~/lib/remix-express.server";

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

describe("building the web request", () => {
  /** Posts `body` to a server that turns the Express request into the web Request Remix gets, and answers what that Request holds. */
  async function roundTrip(body: string, headers: Record<string, string | string[]>) {
    const app = express();
    app.post("/vote/tiny", async (req, res) => {
      const built = await remixRequest(req, res);
      res.json({
        url: built.url,
        cookie: built.headers.get("cookie"),
        accept: built.headers.get("accept"),
        form: Object.fromEntries(await built.formData()),
      });
    });
    app.post("/big", async (req, res) => {
      const built = await remixRequest(req, res);
      res.json({ bytes: (await built.arrayBuffer()).byteLength });
    });
    server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    return { port, send: (path: string) => post(port, path, body, headers) };
  }

  function post(port: number, path: string, body: string, headers: Record<string, string | string[]>) {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers });
    req.end(body);
    return once(req, "response").then(async ([res]) => {
      const chunks: Buffer[] = [];
      for await (const chunk of res as IncomingMessage) chunks.push(chunk as Buffer);
      return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    });
  }

  it("reads a small form whole and keeps the URL and every header", async () => {
    const body = "submissionId=abc&score=4&note=caf%C3%A9";
    const { send } = await roundTrip(body, {
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": String(Buffer.byteLength(body)),
      Cookie: "ct_session=one",
      Accept: ["text/html", "application/json"],
    });
    const seen = await send("/vote/tiny?x=1");
    expect(seen.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/vote\/tiny\?x=1$/);
    expect(seen.cookie).toBe("ct_session=one");
    expect(seen.accept).toBe("text/html, application/json");
    expect(seen.form).toEqual({ submissionId: "abc", score: "4", note: "café" });
  });

  it("streams a body past the buffered size, all of it", async () => {
    const body = "x".repeat(200 * 1024);
    const { send } = await roundTrip(body, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(body.length),
    });
    expect((await send("/big")).bytes).toBe(200 * 1024);
  });
});
