import { randomUUID } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { outgoingMail, rounds } from "#db/schema";
import { TEXT } from "#tests/factories/bad-files";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle, uploadRequest } from "#tests/support/requests";
import { enqueueMail, sendDueMail } from "~/domain/mailer.server";
import { db, getDatabaseHandle } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { observeRequest } from "~/lib/metrics.server";
import { action as uploadJsonAction } from "~/routes/rounds.$slug_.upload";
import { action as voteAction } from "~/routes/vote.$slug";
import { loader as metricsLoader } from "~/routes/metrics";

const TOKEN = "scrape-me-please-0123456789";
const OLD_ENOUGH = new Date(Date.now() - 3 * 24 * 3600 * 1000);

function useToken(token: string | undefined) {
  if (token === undefined) delete process.env.METRICS_TOKEN;
  else process.env.METRICS_TOKEN = token;
  resetEnvCache();
}

afterEach(() => useToken(undefined));

function scrape(authorization?: string) {
  const request = getRequest("/metrics");
  if (authorization) request.headers.set("Authorization", authorization);
  return settle(() => metricsLoader({ request, params: {}, context: context() }));
}

/** The metrics page as text, read with the right token. */
async function metricsText() {
  useToken(TOKEN);
  const { status, response } = await scrape(`Bearer ${TOKEN}`);
  expect(status).toBe(200);
  return response!.text();
}

/** One sample's value, 0 when the series is absent (a counter not yet incremented). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/metrics access", () => {
  it("does not exist while METRICS_TOKEN is unset", async () => {
    useToken(undefined);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
    expect((await scrape()).status).toBe(404);
  });

  it("refuses a missing, wrong or malformed token with 401", async () => {
    useToken(TOKEN);
    for (const header of [
      undefined,
      "Bearer wrong-token-0123456789",
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
    ]) {
      const { status, response } = await scrape(header);
      expect(status, String(header)).toBe(401);
      expect(response!.headers.get("WWW-Authenticate")).toBe('Bearer realm="metrics"');
    }
  });

  it("answers the right token with every metric family in Prometheus's text format", async () => {
    useToken(TOKEN);
    const { status, response } = await scrape(`Bearer ${TOKEN}`);
    expect(status).toBe(200);
    expect(response!.headers.get("Content-Type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response!.text();
    for (const family of [
      "crowdthread_http_request_duration_seconds histogram",
      "crowdthread_ballots_cast_total counter",
      "crowdthread_uploads_processed_total counter",
      "crowdthread_uploads_refused_total counter",
      "crowdthread_mail_queue gauge",
      "crowdthread_mail_failures_total counter",
      "crowdthread_db_pool_size gauge",
      "crowdthread_db_pool_in_use gauge",
      "crowdthread_db_pool_waiting gauge",
      "process_cpu_user_seconds_total counter",
      "nodejs_heap_size_used_bytes gauge",
    ]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
    // Scraping is itself a query, but none is running between two of them.
    expect(sample(text, "crowdthread_db_pool_in_use")).toBe(0);
    expect(sample(text, "crowdthread_db_pool_size")).toBeGreaterThanOrEqual(1);
  });
});

describe("what /metrics counts", () => {
  it("counts a ballot cast through the vote action, and not a refused one", async () => {
    const round = await createRound({ phase: "submissions" });
    const admin = await createUser({ role: "admin" });
    const designer = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const submissionId = await createSubmission({
      round,
      designerId: designer.user.id,
      seed: 7,
      title: "Counted",
      moderate: { adminId: admin.id, decision: "approved" },
    });
    await db
      .update(rounds)
      .set({ votingOpensAt: new Date(Date.now() - 60_000) })
      .where(eq(rounds.id, round.id));
    const voter = await createLoggedInUser({ createdAt: OLD_ENOUGH });
    const vote = (cookie: string) =>
      settle(() =>
        voteAction({
          request: formRequest(`/vote/${round.slug}`, { submissionId, score: "4" }, { cookie }),
          params: { slug: round.slug },
          context: context(),
        }),
      );

    const before = sample(await metricsText(), "crowdthread_ballots_cast_total");
    expect((await vote(voter.cookie)).status).toBe(303);
    expect(sample(await metricsText(), "crowdthread_ballots_cast_total")).toBe(before + 1);
    // The designer may not score their own design: refused, not counted.
    const refused = await vote(designer.cookie);
    expect(refused.status).toBe(403);
    expect(refused.data.failure.message).toBe("You can't score your own design.");
    expect(sample(await metricsText(), "crowdthread_ballots_cast_total")).toBe(before + 1);
  });

  it("counts a refused upload under its reason", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const series = 'crowdthread_uploads_refused_total{reason="invalid"}';
    const before = sample(await metricsText(), series);
    const refused = (await uploadJsonAction({
      request: uploadRequest(
        `/rounds/${round.slug}/upload`,
        { title: "Not art", description: "", tags: "" },
        { bytes: TEXT },
        { cookie: designer.cookie },
      ),
      params: { slug: round.slug },
      context: context(),
    })) as Response;
    expect(refused.status).toBe(400);
    const text = await metricsText();
    expect(sample(text, series)).toBe(before + 1);
  });

  it("reads the mail queue at scrape time and counts failed sending attempts", async () => {
    const user = await createUser();
    const mail = (subject: string) => ({
      userId: user.id,
      to: user.email,
      subject,
      text: "Hello",
      category: "account",
    });
    await enqueueMail(db, [mail("one"), mail("two"), mail("three")]);
    let text = await metricsText();
    expect(sample(text, 'crowdthread_mail_queue{status="pending"}')).toBe(3);
    expect(sample(text, 'crowdthread_mail_queue{status="failed"}')).toBe(0);

    await db.update(outgoingMail).set({ status: "sent" }).where(eq(outgoingMail.subject, "one"));
    await db.update(outgoingMail).set({ status: "failed" }).where(eq(outgoingMail.subject, "two"));
    text = await metricsText();
    expect(sample(text, 'crowdthread_mail_queue{status="pending"}')).toBe(1);
    expect(sample(text, 'crowdthread_mail_queue{status="failed"}')).toBe(1);

    const retries = sample(text, 'crowdthread_mail_failures_total{outcome="retry"}');
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const refusing = {
      name: "smtp" as const,
      send: () => Promise.reject(new Error("Mailbox busy")),
      close: () => {},
    };
    expect(await sendDueMail({ transport: refusing })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    warn.mockRestore();
    expect(sample(await metricsText(), 'crowdthread_mail_failures_total{outcome="retry"}')).toBe(retries + 1);
  });

  it("times requests by route id, so every submission's page shares one series", async () => {
    const manifest = {
      root: { id: "root", path: "" },
      "routes/_index": { id: "routes/_index", parentId: "root", index: true },
      "routes/submissions.$id": { id: "routes/submissions.$id", parentId: "root", path: "submissions/:id" },
      "routes/$": { id: "routes/$", parentId: "root", path: "*" },
    } as unknown as ServerBuild["routes"];
    for (const path of [`/submissions/${randomUUID()}`, `/submissions/${randomUUID()}.data`, "/submissions/%00"]) {
      observeRequest(manifest, { method: "GET", path, status: 200, seconds: 0.02 });
    }
    observeRequest(manifest, { method: "BREW", path: "/_root.data", status: 418, seconds: 0.001 });
    observeRequest(manifest, { method: "GET", path: "/no/such/page", status: 404, seconds: 0.001 });

    const text = await metricsText();
    const series = text.split("\n").filter((l) => l.startsWith("crowdthread_http_request_duration_seconds_count"));
    expect(series).toContain(
      'crowdthread_http_request_duration_seconds_count{route="routes/submissions.$id",method="GET",status_class="2xx"} 3',
    );
    expect(series).toContain(
      'crowdthread_http_request_duration_seconds_count{route="routes/_index",method="OTHER",status_class="4xx"} 1',
    );
    expect(series).toContain(
      'crowdthread_http_request_duration_seconds_count{route="routes/$",method="GET",status_class="4xx"} 1',
    );
    expect(text).not.toMatch(/submissions\/[0-9a-f-]{36}/);
  });

  it("counts the database connections in use: a transaction holds one until it ends", async () => {
    const handle = getDatabaseHandle();
    expect(handle.pool()).toEqual({ size: handle.driver === "pglite" ? 1 : 4, inUse: 0, waiting: 0 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await held;
    });
    await vi.waitFor(() => expect(handle.pool().inUse).toBe(1));
    // A second statement meanwhile: its own connection on PostgreSQL (held for a
    // moment, so the count can be seen), a wait on PGlite's single one.
    const query = Promise.resolve(db.execute(handle.driver === "pglite" ? sql`select 2` : sql`select pg_sleep(0.5)`));
    await vi.waitFor(() =>
      expect(handle.pool()).toEqual(
        handle.driver === "pglite" ? { size: 1, inUse: 1, waiting: 1 } : { size: 4, inUse: 2, waiting: 0 },
      ),
    );
    release();
    await Promise.all([transaction, query]);
    expect(handle.pool()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(sample(await metricsText(), "crowdthread_db_pool_in_use")).toBe(0);
  });
});
