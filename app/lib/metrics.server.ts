import cluster from "node:cluster";
import { createHash, timingSafeEqual } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";
import { count, ne } from "drizzle-orm";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { outgoingMail } from "#db/schema";
import { db, getDatabaseHandle } from "./db.server";
import { getEnv } from "./env.server";
import { offerToPrimary, workersMetrics } from "./metrics-cluster.server";
import { FAILURE_STATUS } from "./outcome.server";
import { singleton } from "./singleton.server";

/**
 * What /metrics reports, in Prometheus's text format. One registry per
 * process (a singleton, so Vite's dev reloads do not register every metric a
 * second time). With WEB_CONCURRENCY > 1 each worker keeps its own and the
 * scraped one answers for all of them (metrics-cluster.server.ts).
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (cluster.isWorker) offerToPrimary(registry);
  const registers = [registry];
  return {
    registry,
    requestDuration: new Histogram({
      name: "crowdthread_http_request_duration_seconds",
      help: "Time from a request reaching Remix to the last byte of its response, by matched route",
      // The route id, never the raw path: /submissions/<id> must not make a series per submission.
      labelNames: ["route", "method", "status_class"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    ballotsCast: new Counter({
      name: "crowdthread_ballots_cast_total",
      help: "Ballots recorded (a changed score counts again)",
      registers,
    }),
    uploadsProcessed: new Counter({
      name: "crowdthread_uploads_processed_total",
      help: "Artwork uploads processed and stored as a submission",
      registers,
    }),
    uploadsRefused: new Counter({
      name: "crowdthread_uploads_refused_total",
      help: "Artwork uploads refused, by the outcome code of the refusal",
      labelNames: ["reason"] as const,
      registers,
    }),
    mailFailures: new Counter({
      name: "crowdthread_mail_failures_total",
      help: "Failed attempts to send an email: retry (tried again later) or gave_up (marked failed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    mailQueue: new Gauge({
      name: "crowdthread_mail_queue",
      help: "Emails waiting in the queue (pending) or given up on (failed), read at scrape time",
      labelNames: ["status"] as const,
      registers,
      // Every worker reads the same table: combined, the count is one worker's, not their sum.
      aggregator: "max",
      // Sent mail is left out: its count only grows, and counting it would read the whole table at every scrape.
      async collect() {
        this.reset();
        try {
          this.set({ status: "pending" }, 0);
          this.set({ status: "failed" }, 0);
          for (const row of await mailBacklog()) this.set({ status: row.status }, row.n);
        } catch {
          // The database is down: report no queue rather than fail the scrape (/healthz says why).
          this.reset();
        }
      },
    }),
    databasePoolSize: new Gauge({
      name: "crowdthread_db_pool_size",
      help: "Connections this process's database pool may open (1 for PGlite)",
      registers,
      collect() {
        this.set(getDatabaseHandle().pool().size);
      },
    }),
    databasePoolInUse: new Gauge({
      name: "crowdthread_db_pool_in_use",
      help: "Database connections running a query or holding a transaction",
      registers,
      collect() {
        this.set(getDatabaseHandle().pool().inUse);
      },
    }),
    databasePoolWaiting: new Gauge({
      name: "crowdthread_db_pool_waiting",
      help: "Queries and transactions beyond the pool's size, waiting for (or pipelined behind) a busy connection",
      registers,
      collect() {
        this.set(getDatabaseHandle().pool().waiting);
      },
    }),
  };
}

function metrics() {
  return singleton("metrics", createMetrics);
}

async function mailBacklog() {
  return db
    .select({ status: outgoingMail.status, n: count() })
    .from(outgoingMail)
    .where(ne(outgoingMail.status, "sent"))
    .groupBy(outgoingMail.status);
}

export function countBallotCast() {
  metrics().ballotsCast.inc();
}

type UploadResult = { ok: true } | { ok: false; status: number };

const CODE_OF_STATUS = new Map(Object.entries(FAILURE_STATUS).map(([code, status]) => [status, code]));

/** Counts an upload's result, labelled with the outcome code its status stands for; returns it unchanged. */
export function countUpload<T extends UploadResult>(result: T): T {
  if (result.ok) metrics().uploadsProcessed.inc();
  else metrics().uploadsRefused.inc({ reason: CODE_OF_STATUS.get(result.status) ?? "other" });
  return result;
}

export function countMailFailure(gaveUp: boolean) {
  metrics().mailFailures.inc({ outcome: gaveUp ? "gave_up" : "retry" });
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

type RouteManifest = ServerBuild["routes"];
type RouteObject = Parameters<typeof matchRoutes>[0][number];
const routeTrees = new WeakMap<RouteManifest, RouteObject[]>();

/** The build's flat route manifest as the nested tree matchRoutes wants (once per build). */
function routeTree(manifest: RouteManifest): RouteObject[] {
  let tree = routeTrees.get(manifest);
  if (!tree) routeTrees.set(manifest, (tree = childrenOf(manifest, undefined)));
  return tree;
}

function childrenOf(manifest: RouteManifest, parentId: string | undefined): RouteObject[] {
  return Object.values(manifest).flatMap((route): RouteObject[] => {
    if (!route || route.parentId !== parentId) return [];
    const { id, path, caseSensitive } = route;
    return route.index
      ? [{ id, path, caseSensitive, index: true }]
      : [{ id, path, caseSensitive, children: childrenOf(manifest, id) }];
  });
}

/**
 * The id of the route that answers a path, e.g. `routes/submissions.$id`.
 * Single-fetch data requests (`/vote/x.data`, `/_root.data`) are the page's
 * route; Remix's lazy route discovery answers `/__manifest` itself.
 */
export function routeIdFor(manifest: RouteManifest, pathname: string): string {
  if (pathname === "/__manifest") return "__manifest";
  const page = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
  // matchRoutes ranks every route on each call; the same few paths (a round's vote page) come again
  // and again, so remember the answer, in a map emptied when it grows past a bound.
  if (matchedFor !== manifest) {
    // A new build (a dev reload) may have other routes.
    matchedRoutes.clear();
    matchedFor = manifest;
  }
  const known = matchedRoutes.get(page);
  if (known) return known;
  const id = matchRoutes(routeTree(manifest), page)?.at(-1)?.route.id ?? "unmatched";
  if (matchedRoutes.size >= MATCHED_ROUTES_MAX) matchedRoutes.clear();
  matchedRoutes.set(page, id);
  return id;
}

const MATCHED_ROUTES_MAX = 10_000;
const matchedRoutes = new Map<string, string>();
let matchedFor: RouteManifest | undefined;

/** Records one finished request; called by the Express entry (server.ts) through the build. */
export function observeRequest(
  manifest: RouteManifest,
  request: { method: string; path: string; status: number; seconds: number },
) {
  metrics().requestDuration.observe(
    {
      route: routeIdFor(manifest, request.path),
      method: METHODS.has(request.method) ? request.method : "OTHER",
      status_class: `${Math.floor(request.status / 100)}xx`,
    },
    request.seconds,
  );
}

/**
 * Who may read /metrics: nobody while METRICS_TOKEN is unset ("disabled"),
 * otherwise whoever sends `Authorization: Bearer <METRICS_TOKEN>`.
 */
export function scrapeAccess(request: Request): "disabled" | "refused" | "allowed" {
  const expected = getEnv().METRICS_TOKEN;
  if (!expected) return "disabled";
  const given = /^Bearer +(\S+) *$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  return given !== undefined && sameSecret(given, expected) ? "allowed" : "refused";
}

/** Compares digests, which have one length, so the time taken says nothing about the token. */
function sameSecret(given: string, expected: string) {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  return {
    contentType: registry.contentType,
    body: cluster.isWorker ? await workersMetrics() : await registry.metrics(),
  };
}

// A worker's registry must be there when the primary first asks, even before the worker served a request.
if (cluster.isWorker) metrics();
