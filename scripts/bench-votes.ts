/**
 * `npm run bench:votes`, against PostgreSQL (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, DATABASE_URL, or the local server), in a database of its
 * own that it drops afterwards.
 *
 * 1. Ballots cast over HTTP by 32 concurrent logged-in clients against the
 *    production server, beside raw SQL upserts of the same ballots by 32
 *    connections in the same run: both rates, their ratio, and HTTP p50/p99.
 * 2. Finalize of a round with 5,000 submissions and 500,000 ballots.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { Agent, request } from "node:http";
import postgres from "postgres";
import { adminQuery, dropDatabase, withDatabase } from "#tests/setup/test-database";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const BALLOTS_PER_CLIENT = Number(process.env.BENCH_BALLOTS_PER_CLIENT ?? 150);
const FINALIZE_SUBMISSIONS = Number(process.env.BENCH_FINALIZE_SUBMISSIONS ?? 5000);
const FINALIZE_VOTERS = Number(process.env.BENCH_FINALIZE_VOTERS ?? 1000);
const BALLOTS_PER_VOTER = Number(process.env.BENCH_FINALIZE_BALLOTS_PER_VOTER ?? 500);
const PORT = Number(process.env.BENCH_PORT ?? 3300);
/** Server processes (WEB_CONCURRENCY). On 2 cores shared with PostgreSQL and the clients, 1 measured faster than 2. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);

const server =
  process.env.BENCH_DATABASE_URL ||
  process.env.TEST_DATABASE_URL ||
  process.env.DATABASE_URL ||
  "postgres://postgres@127.0.0.1:5432/postgres";
const name = `crowdthread_bench_${process.pid}`;
const url = withDatabase(server, name);
await adminQuery(server, (sql) => sql.unsafe(`create database "${name}"`));
process.env.DATABASE_URL = url;
process.env.DATABASE_POOL_SIZE = String(CLIENTS);

let child: ChildProcess | undefined;
const sql = postgres(url, { max: CLIENTS, onnotice: () => {} });

/** Stops the server and waits for it, so a profile (if asked for) is written. */
async function stopServer() {
  const running = child;
  child = undefined;
  if (!running || running.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    running.once("exit", () => resolve());
    running.kill("SIGTERM");
  });
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

try {
  const { createDatabase } = await import("#db/client");
  const migrator = createDatabase({ url, poolSize: 1 });
  await migrator.migrate();
  await migrator.close();
  const { hashPassword } = await import("~/lib/password.server");
  const { createSession } = await import("~/lib/session.server");
  const passwordHash = await hashPassword("benchmark password");

  // A round open for voting, 300 designs, and 32 members old enough to vote.
  const images = JSON.stringify({
    master: "private/00/" + "0".repeat(64) + ".png",
    preview: { webp: "public/00/" + "0".repeat(64) + ".webp", width: 1200, height: 1200 },
    thumb: { webp: "public/00/" + "1".repeat(64) + ".webp", width: 400, height: 400 },
    mockups: { tee: "public/00/" + "2".repeat(64) + ".webp", poster: "public/00/" + "3".repeat(64) + ".webp" },
    share: "public/00/" + "4".repeat(64) + ".jpg",
  });
  const [designer] =
    await sql`insert into users (email, username, password_hash) values ('designer@bench.test', 'designer', ${passwordHash}) returning id`;
  const [round] = await sql`insert into rounds (slug, title, submissions_open_at, voting_opens_at, voting_closes_at)
    values ('bench', 'Bench', now() - interval '10 days', now() - interval '1 day', now() + interval '1 day') returning id`;
  const designs =
    await sql`insert into submissions (round_id, designer_id, title, status, images, artwork_width, artwork_height, perceptual_hash)
    select ${round!.id}, ${designer!.id}, 'Design ' || g, 'approved', ${images}::jsonb, 4500, 5400, lpad(to_hex(g), 16, '0')
    from generate_series(1, 300) g returning id`;
  const voters = await sql`insert into users (email, username, password_hash, created_at)
    select 'voter' || g || '@bench.test', 'voter' || g, ${passwordHash}, now() - interval '30 days' from generate_series(1, ${CLIENTS}) g returning id`;
  const cookies = await Promise.all(
    voters.map(async (v) => `ct_session=${encodeURIComponent(await createSession(v.id as string, "bench"))}`),
  );

  if (!existsSync("build/server/index.js")) spawnSync("npx", ["remix", "vite:build"], { stdio: "inherit" });
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // As `npm start` runs it (see package.json), plus the profiler if asked for.
  child = spawn(process.execPath, [...profile, "--max-semi-space-size=64", "--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: process.env.BENCH_SERVER_POOL ?? "10",
      WEB_CONCURRENCY: String(WORKERS),
      LOG_REQUESTS: "false",
      BALLOTS_PER_MINUTE: "1000000",
      ROUNDS_TICK_SECONDS: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; ; i++) {
    if (i > 240) throw new Error("the server did not start");
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  // The same ballots for both paths: client c scores designs c, c+1, … (mod 300).
  const plan = (c: number, i: number) => ({
    submissionId: designs[(c * 7 + i) % designs.length]!.id as string,
    score: (c + i) % 6,
  });
  // Plain keep-alive HTTP/1.1, one connection per client, as browsers would hold them.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const post = (path: string, cookie: string, body: string) =>
    new Promise<{ status: number; setCookie: string[] }>((resolve, reject) => {
      const req = request(
        `${base}${path}`,
        {
          method: "POST",
          agent,
          headers: {
            Cookie: cookie,
            Origin: base,
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers["set-cookie"] ?? [] }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const castOverHttp = async (c: number, i: number) => {
    const { submissionId, score } = plan(c, i);
    const started = performance.now();
    const response = await post(
      "/vote/bench",
      cookies[c]!,
      new URLSearchParams({ submissionId, score: String(score) }).toString(),
    );
    if (response.status !== 303) throw new Error(`ballot refused with ${response.status}`);
    if (response.setCookie.some((c) => c.includes("ct_toast=")))
      throw new Error("ballot refused: the server set an error toast");
    return performance.now() - started;
  };

  // Warm up both paths.
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => castOverHttp(c, 0)));

  const latencies: number[] = [];
  const httpStart = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < BALLOTS_PER_CLIENT; i++) latencies.push(await castOverHttp(c, i));
    }),
  );
  const httpSeconds = (performance.now() - httpStart) / 1000;
  agent.destroy();
  const total = CLIENTS * BALLOTS_PER_CLIENT;

  const rawStart = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < BALLOTS_PER_CLIENT; i++) {
        const { submissionId, score } = plan(c, i);
        await sql`insert into ballots (round_id, submission_id, voter_id, score, would_buy) values (${round!.id}, ${submissionId}, ${voters[c]!.id}, ${(score + 1) % 6}, false)
          on conflict (submission_id, voter_id) do update set score = excluded.score, would_buy = excluded.would_buy, updated_at = now()`;
      }
    }),
  );
  const rawSeconds = (performance.now() - rawStart) / 1000;
  await stopServer();

  latencies.sort((a, b) => a - b);
  const httpRate = total / httpSeconds;
  const rawRate = total / rawSeconds;

  // Finalize: 5,000 designs, 500,000 ballots.
  const [bigRound] =
    await sql`insert into rounds (slug, title, submissions_open_at, voting_opens_at, voting_closes_at, min_votes, voter_min_scored, winners_count, prize_cents)
    values ('bench-big', 'Bench big', now() - interval '20 days', now() - interval '10 days', now() - interval '1 minute', 20, 5, 10, 10000) returning id`;
  await sql`insert into submissions (round_id, designer_id, title, status, images, artwork_width, artwork_height, perceptual_hash, created_at)
    select ${bigRound!.id}, ${designer!.id}, 'Big ' || g, 'approved', ${images}::jsonb, 4500, 5400, lpad(to_hex(g), 16, '0'), now() - (g || ' seconds')::interval
    from generate_series(1, ${FINALIZE_SUBMISSIONS}) g`;
  await sql`insert into users (email, username, password_hash, created_at)
    select 'big' || g || '@bench.test', 'big' || g, ${passwordHash}, now() - interval '30 days' from generate_series(1, ${FINALIZE_VOTERS}) g`;
  const loadStart = performance.now();
  await sql`insert into ballots (round_id, submission_id, voter_id, score, would_buy)
    select ${bigRound!.id}, s.id, u.id, (abs(hashtext(s.id::text || u.id::text)) % 6), (abs(hashtext(u.id::text || s.id::text)) % 4 = 0)
    from (select id, row_number() over (order by id) - 1 as n from users where username like 'big%') u
    join (select id, row_number() over (order by id) - 1 as n from submissions where round_id = ${bigRound!.id}) s
      on (s.n - u.n * 7 + ${FINALIZE_SUBMISSIONS * 1000}) % ${FINALIZE_SUBMISSIONS} < ${BALLOTS_PER_VOTER}`;
  await sql`analyze ballots`;
  const [{ n: ballotCount }] =
    (await sql`select count(*)::int as n from ballots where round_id = ${bigRound!.id}`) as unknown as [{ n: number }];
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const { finalizeRound } = await import("~/domain/finalize.server");
  const finalizeStart = performance.now();
  const outcome = await finalizeRound(bigRound!.id as string);
  const finalizeSeconds = (performance.now() - finalizeStart) / 1000;
  const { closeDatabase } = await import("~/lib/db.server");
  await closeDatabase();

  console.log(
    `\nbench:votes (PostgreSQL ${new URL(server).host}, ${CLIENTS} concurrent clients, ${total} ballots each way, server WEB_CONCURRENCY=${WORKERS})`,
  );
  console.log(
    `  HTTP ballots (production server):  ${httpRate.toFixed(0)} ballots/s   p50 ${percentile(latencies, 50).toFixed(1)} ms   p90 ${percentile(latencies, 90).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms   (target p99 < 50 ms)`,
  );
  console.log(`  raw SQL upserts, same ballots:     ${rawRate.toFixed(0)} ballots/s`);
  console.log(`  ratio HTTP / raw SQL:              ${((httpRate / rawRate) * 100).toFixed(1)}%   (target ≥ 10%)`);
  console.log(
    `  finalize: ${FINALIZE_SUBMISSIONS} submissions, ${ballotCount} ballots → ${finalizeSeconds.toFixed(2)} s   (target < 5 s; ${JSON.stringify(outcome)}; ballots loaded in ${loadSeconds.toFixed(1)} s)`,
  );
} finally {
  await stopServer();
  await sql.end({ timeout: 5 });
  await dropDatabase(server, name);
}
