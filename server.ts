/**
 * The Node server entry: Express around Remix's request handler (our own
 * adapter, app/lib/remix-express.server.ts, which streams with backpressure), adding
 * security headers, compression, request logs, the Origin check, /healthz and
 * a graceful shutdown. `npm start` runs the production build; `npm run dev`
 * runs this with Vite's dev middleware. Each request Remix answers is timed
 * for /metrics. With WEB_CONCURRENCY > 1 (production,
 * PostgreSQL) a primary process migrates once and forks that many workers,
 * which share the port.
 */
import cluster from "node:cluster";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import morgan from "morgan";
import { parseEnv } from "./app/lib/env.server";
import { aggregateWorkerMetrics } from "./app/lib/metrics-cluster.server";
import { isRequestFromOwnOrigin } from "./app/lib/origin";
import { createRemixHandler } from "./app/lib/remix-express.server";

type EntryHooks = {
  migrate(): Promise<void>;
  startup(options?: { migrate?: boolean }): Promise<void>;
  shutdown(): Promise<void>;
  checkHealth(): Promise<{ ok: boolean; driver: string; error?: string }>;
  observeRequest(
    routes: ServerBuild["routes"],
    request: { method: string; path: string; status: number; seconds: number },
  ): void;
};

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const production = env.NODE_ENV === "production";

const viteDevServer = production
  ? undefined
  : await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }));

let productionBuild: Promise<ServerBuild> | undefined;

async function loadBuild(): Promise<ServerBuild> {
  if (viteDevServer) return (await viteDevServer.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  // Imported once: every dynamic import() goes through tsx's loader thread, and the metrics
  // middleware asks for the build on every request (that cost a third of the ballot rate).
  // @ts-expect-error the production build exists only after `npm run build`
  productionBuild ??= import("./build/server/index.js") as Promise<ServerBuild>;
  return productionBuild;
}

async function hooks(): Promise<EntryHooks> {
  return (await loadBuild()).entry.module as unknown as EntryHooks;
}

const workers = viteDevServer ? 1 : env.WEB_CONCURRENCY;
if (workers > 1 && cluster.isPrimary) {
  await runPrimary(workers);
} else {
  await serve();
}

/** Migrates once, then keeps `count` workers running until told to stop. */
async function runPrimary(count: number) {
  try {
    const entry = await hooks();
    await entry.migrate();
    await entry.shutdown();
  } catch (error) {
    console.error("Start-up failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  }
  let stopping = false;
  aggregateWorkerMetrics();
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`Worker ${worker.process.pid} exited (${code}); starting another`);
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: stopping ${count} workers`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

async function serve() {
  try {
    // Workers of a cluster find the schema migrated by the primary.
    await (await hooks()).startup({ migrate: !cluster.isWorker });
  } catch (error) {
    console.error("Start-up failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(self)");
    res.setHeader(
      "Content-Security-Policy",
      "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self' https://checkout.stripe.com",
    );
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });
  // Pages, data and files are worth compressing; the answer to a form (a redirect, or a few hundred bytes of
  // action data) is not, and the middleware's wrapping of every response cost ~5% of a ballot's CPU (ADR 011).
  const compress = compression();
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.method === "GET" || req.method === "HEAD" ? compress(req, res, next) : next(),
  );

  app.get("/healthz", async (_req, res) => {
    const health = await (await hooks()).checkHealth();
    res
      .status(health.ok ? 200 : 503)
      .json({ status: health.ok ? "ok" : "unavailable", database: health.driver, error: health.error });
  });

  if (env.LOG_REQUESTS) app.use(morgan(production ? "combined" : "dev"));

  // Cross-site request forgery: refuse state-changing requests from other origins.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const allowed = isRequestFromOwnOrigin({
      method: req.method,
      path: req.path,
      origin: req.get("origin"),
      secFetchSite: req.get("sec-fetch-site"),
      host: req.get("host"),
      appOrigin: env.APP_ORIGIN,
    });
    if (allowed) return next();
    res
      .status(403)
      .type("text/plain")
      .send("Cross-origin request refused: this form must be sent from Crowdthread's own pages.");
  });

  if (viteDevServer) {
    app.use(viteDevServer.middlewares);
  } else {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    // The build's other files (favicon, robots.txt) are known at start-up: asking the file system
    // on every page request only to hear "no such file" cost a stat and an error object each time.
    const clientFiles = new Set(
      readdirSync("build/client", { recursive: true, encoding: "utf8" })
        .filter((file) => statSync(path.join("build/client", file)).isFile())
        .map((file) => "/" + file.split(path.sep).join("/")),
    );
    const serveClientFile = express.static("build/client", { maxAge: "1h" });
    app.use((req: Request, res: Response, next: NextFunction) =>
      clientFiles.has(req.path) ? serveClientFile(req, res, next) : next(),
    );
  }

  // Request durations by matched route, kept by the build's metrics registry (one per process, ADR 001).
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const { method, path } = req;
    res.once("close", () => {
      const seconds = (performance.now() - started) / 1000;
      loadBuild()
        .then((build) => {
          const entry = build.entry.module as unknown as EntryHooks;
          entry.observeRequest(build.routes, { method, path, status: res.statusCode, seconds });
        })
        .catch((error: unknown) => console.error("[metrics] could not record a request", error));
    });
    next();
  });

  app.all(
    "*",
    createRemixHandler({
      build: viteDevServer ? loadBuild : await loadBuild(),
      mode: env.NODE_ENV,
      getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
    }),
  );

  const server = app.listen(env.PORT, env.HOST, () => {
    if (!cluster.isWorker || cluster.worker?.id === 1) {
      console.log(
        `Crowdthread listening on http://localhost:${env.PORT} (${env.NODE_ENV}${workers > 1 ? `, ${workers} workers` : ""})`,
      );
    }
  });

  let stopping = false;
  async function stop(signal: string) {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing open requests, then closing the database`);
    const force = setTimeout(() => {
      console.error("Shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(async () => {
      try {
        await (await hooks()).shutdown();
        await viteDevServer?.close();
      } finally {
        process.exit(0);
      }
    });
    server.closeIdleConnections?.();
  }
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
