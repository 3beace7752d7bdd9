/**
 * `npm run bench:search`, against PostgreSQL (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, DATABASE_URL, or the local server), in a database of its
 * own that it drops afterwards.
 *
 * 1. Generates 50,000 members (5,000 of them designers, with display names),
 *    ten rounds of 5,000 approved designs each (titles, tags and descriptions
 *    drawn from word lists, so a common word matches a few thousand designs),
 *    every round but the newest two finalized with three winners, their
 *    products in the shop, and some pending and rejected designs besides. The
 *    rows go in through the real triggers (search documents, vocabulary).
 * 2. Times typical searches through the domain functions, one at a time:
 *    a word, a misspelt word, a tag (search and tag page), a designer's name
 *    (designs and designers), a username whole, misspelt and begun, filters,
 *    products, a later page; beside a raw
 *    `select 1` round trip and a primary-key lookup made in the same run.
 * 3. The same searches over HTTP against the production build (skip with
 *    BENCH_HTTP=0; BENCH_SKIP_BUILD=1 uses the build there is), beside
 *    `GET /healthz`.
 *
 * Smaller runs for development: BENCH_DESIGNS (default 50,000),
 * BENCH_MEMBERS (50,000), BENCH_ITERATIONS (200 per query); BENCH_KEEP=1 keeps
 * the database afterwards (for EXPLAIN), and prints its name.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import postgres from "postgres";
import { adminQuery, dropDatabase, withDatabase } from "#tests/setup/test-database";

const DESIGNS = Number(process.env.BENCH_DESIGNS ?? 50_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 50_000);
const DESIGNERS = Math.min(5_000, MEMBERS);
const ROUNDS = 10;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const TARGET_P50_MS = 30;

const server =
  process.env.BENCH_DATABASE_URL ||
  process.env.TEST_DATABASE_URL ||
  process.env.DATABASE_URL ||
  "postgres://postgres@127.0.0.1:5432/postgres";
const name = `crowdthread_bench_search_${process.pid}`;
const url = withDatabase(server, name);
await adminQuery(server, (sql) => sql.unsafe(`create database "${name}"`));
process.env.DATABASE_URL = url;
process.env.DATABASE_POOL_SIZE = "4";

const sql = postgres(url, { max: 2, onnotice: () => {} });
let child: ChildProcess | undefined;

const ADJECTIVES = `tiny brave sleepy neon cosmic wild golden midnight rusty electric gentle grumpy
  lucky misty paper retro solar frozen velvet silent hungry dizzy shiny ancient happy stormy
  lonely crimson jolly fuzzy tidal wandering lazy clever rainy spooky sunny copper hidden
  marble`.split(/\s+/);
const NOUNS = `robot lighthouse octopus cactus fox owl whale mountain rocket pizza dragon cat
  bicycle tiger moon forest wave mushroom penguin volcano astronaut garden skull raven bee
  lantern sparrow koala anchor compass dinosaur jellyfish hedgehog unicorn cloud teapot
  bonsai walrus comet mermaid lemur pelican yeti gecko narwhal coyote beetle tortoise falcon
  parrot otter badger heron squid sloth panda bison lynx moth`.split(/\s+/);
const PLACES = `parade picnic party dream journey dance garden city storm night sunrise voyage
  market carnival escape festival kingdom galaxy ocean desert`.split(/\s+/);
const TAGS = `sea birds|retro|space|cute|minimal|typography|animals|vintage|surf|botanical|
  robots|halloween|food|music|skate|mountains|ocean|geometric|pixel art|hand drawn|neon|
  camping|coffee|cats|dogs|science|fantasy|summer|winter|city`
  .split("|")
  .map((t) => t.trim());
const FIRST = `Mara Juniper Ollie Priya Tomas Ines Kofi Hana Luca Noor Ezra Yuki Amara Felix
  Sana Iris Mateo Lena Omar Zoe`.split(/\s+/);
const LAST = `Quill Stone Rivera Okafor Larsen Tanaka Moreau Haddad Novak Byrne Castillo Ivanova
  Mensah Kowalski Silva Dubois Achebe Lindqvist Romano Petrov`.split(/\s+/);

const pgArray = (items: string[]) => `{${items.map((i) => `"${i}"`).join(",")}}`;

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(run: () => Promise<unknown>, iterations = ITERATIONS) {
  for (let i = 0; i < 5; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

type Line = { what: string; p50: number; p99: number; rows?: number; baseline?: boolean };
const lines: Line[] = [];

function print(title: string, rows: Line[]) {
  console.log(`\n${title}`);
  console.log(
    `  ${"query".padEnd(58)} ${"p50".padStart(9)} ${"p99".padStart(9)}  rows  target p50 ≤ ${TARGET_P50_MS} ms`,
  );
  for (const r of rows) {
    const verdict = r.baseline ? "(baseline)" : r.p50 <= TARGET_P50_MS ? "PASS" : "FAIL";
    console.log(
      `  ${r.what.padEnd(58)} ${r.p50.toFixed(1).padStart(6)} ms ${r.p99.toFixed(1).padStart(6)} ms ${String(r.rows ?? "").padStart(5)}  ${verdict}`,
    );
  }
}

try {
  const { createDatabase } = await import("#db/client");
  const migrator = createDatabase({ url, poolSize: 1 });
  await migrator.migrate();
  await migrator.close();

  const started = performance.now();
  // Members: the first DESIGNERS have display names.
  await sql`insert into users (email, username, display_name, password_hash)
    select 'member' || g || '@example.test', 'member' || g,
           case when g <= ${DESIGNERS}
             then (${pgArray(FIRST)}::text[])[1 + g % ${FIRST.length}] || ' ' || (${pgArray(LAST)}::text[])[1 + (g / ${FIRST.length}) % ${LAST.length}]
           end,
           'not-a-real-hash'
      from generate_series(1, ${MEMBERS}::int) g`;
  // Rounds: the newest is voting, the one before it closed, the rest finalized.
  const now = Date.now();
  const day = 86_400_000;
  for (let r = 0; r < ROUNDS; r++) {
    const opens = new Date(now - (ROUNDS - r) * 30 * day);
    const voting = new Date(opens.getTime() + 14 * day);
    const closes = r === ROUNDS - 1 ? new Date(now + 5 * day) : new Date(voting.getTime() + 7 * day);
    const finalized = r < ROUNDS - 2 ? new Date(closes.getTime() + 1000) : null;
    await sql`insert into rounds (slug, title, submissions_open_at, voting_opens_at, voting_closes_at, finalized_at)
      values (${`round-${r}`}, ${`Round ${r}`}, ${opens}, ${r === ROUNDS - 1 ? new Date(now - day) : voting}, ${closes}, ${finalized})`;
  }
  const roundIds = (await sql<{ id: string }[]>`select id from rounds order by slug`).map((r) => r.id);
  const perRound = Math.ceil(DESIGNS / ROUNDS);
  const images = JSON.stringify({
    master: `private/00/${"0".repeat(64)}.png`,
    preview: { webp: `public/00/${"0".repeat(64)}.webp`, width: 1200, height: 1200 },
    thumb: { webp: `public/00/${"1".repeat(64)}.webp`, width: 400, height: 400 },
    mockups: { tee: `public/00/${"2".repeat(64)}.webp`, poster: `public/00/${"3".repeat(64)}.webp` },
    share: `public/00/${"4".repeat(64)}.jpg`,
  });
  for (let r = 0; r < ROUNDS; r++) {
    // Deterministic word choices from the row number (different primes, so combinations vary).
    await sql`insert into submissions
        (round_id, designer_id, title, description, tags, status, images, artwork_width, artwork_height, perceptual_hash, created_at)
      select ${roundIds[r]!}::uuid, u.id,
             initcap((${pgArray(ADJECTIVES)}::text[])[1 + (g * 7) % ${ADJECTIVES.length}] || ' ' ||
                     (${pgArray(NOUNS)}::text[])[1 + (g * 13) % ${NOUNS.length}] || ' ' ||
                     (${pgArray(PLACES)}::text[])[1 + (g * 17) % ${PLACES.length}]),
             'A ' || (${pgArray(ADJECTIVES)}::text[])[1 + (g * 11) % ${ADJECTIVES.length}] || ' ' ||
                     (${pgArray(NOUNS)}::text[])[1 + (g * 19) % ${NOUNS.length}] ||
                     ' drawn for the round, with a ' || (${pgArray(NOUNS)}::text[])[1 + (g * 23) % ${NOUNS.length}] ||
                     ' hiding somewhere in the background. Printed on soft cotton.',
             array[(${pgArray(TAGS)}::text[])[1 + (g * 3) % ${TAGS.length}], (${pgArray(TAGS)}::text[])[1 + (g * 5 + 1) % ${TAGS.length}]],
             case when g % 50 = 0 then 'pending' when g % 51 = 0 then 'rejected' else 'approved' end,
             ${images}::text::jsonb, 4500, 5400, lpad(to_hex(g), 16, '0'),
             ${new Date(now - (ROUNDS - r) * 30 * day).toISOString()}::timestamptz + g * interval '1 second'
        from generate_series(${r * perRound + 1}::int, ${(r + 1) * perRound}::int) g
        join users u on u.username = 'member' || (1 + g % ${DESIGNERS})`;
    await sql`update submissions set rejection_reason = 'Off brief' where status = 'rejected' and rejection_reason is null`;
  }
  // Winners of the finalized rounds: three each, with results and a tee and a poster in the shop.
  const finalized = roundIds.slice(0, ROUNDS - 2);
  await sql`insert into round_results (round_id, submission_id, rank, ballots, score_sum, mean, bayesian_score,
      would_buy, would_buy_lower_bound, distribution, qualified, winner)
    select s.round_id, s.id, s.n, 10, 40, 4, 4, 5, 0.3, '{0,0,0,0,10,0}', true, s.n <= 3
      from (select id, round_id, row_number() over (partition by round_id order by tie_break) n
              from submissions where status = 'approved' and round_id = any(${finalized}::uuid[])) s
     where s.n <= 100`;
  await sql`insert into products (round_id, submission_id, designer_id, type, title, mockup_key, base_price_cents,
      currency, royalty_bps, units_sold)
    select s.round_id, s.id, s.designer_id, t.type, s.title, 'public/00/' || repeat('2', 64) || '.webp', 2500, 'usd', 1500,
           (abs(hashtext(s.id::text)) % 300)
      from round_results rr
      join submissions s on s.id = rr.submission_id
      cross join (values ('tee'), ('poster')) t(type)
     where rr.winner`;
  // A broader shop, as a long-running site has: 2,000 more designs made into products.
  await sql`insert into products (round_id, submission_id, designer_id, type, title, mockup_key, base_price_cents,
      currency, royalty_bps, units_sold)
    select s.round_id, s.id, s.designer_id, 'tee', s.title, 'public/00/' || repeat('2', 64) || '.webp', 2500, 'usd', 1500,
           (abs(hashtext(s.id::text)) % 300)
      from submissions s
     where s.status = 'approved' and s.round_id = any(${finalized}::uuid[])
       and not exists (select 1 from products p where p.submission_id = s.id)
     order by s.id limit 2000`;
  await sql`analyze`;
  const [counts] = await sql<{ designs: number; terms: number; products: number; members: number }[]>`
    select (select count(*)::int from submissions) designs, (select count(*)::int from search_terms) terms,
           (select count(*)::int from products) products, (select count(*)::int from users) members`;
  console.log(
    `Generated ${counts!.designs} designs, ${counts!.products} products, ${counts!.members} members, ` +
      `${counts!.terms} vocabulary words in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const { db, queryRows } = await import("~/lib/db.server");
  const { sql: dsql } = await import("drizzle-orm");
  const search = await import("~/domain/search.server");
  const someId = (await sql<{ id: string }[]>`select id from submissions order by id limit 1 offset 1234`)[0]!.id;
  const secondPage = (await search.searchDesigns({ q: "robot" })).next;
  const after = secondPage
    ? (JSON.parse(Buffer.from(secondPage, "base64url").toString()) as [number, string])
    : undefined;

  const queries: {
    what: string;
    run: () => Promise<{ items: unknown[] } | unknown[]>;
    http?: string;
    baseline?: boolean;
  }[] = [
    { what: "baseline: select 1", run: () => queryRows(db, dsql`select 1`), baseline: true },
    {
      what: "baseline: a design by primary key",
      run: () => queryRows(db, dsql`select id, title from submissions where id = ${someId}`),
      baseline: true,
    },
    { what: 'designs: a word ("robot")', run: () => search.searchDesigns({ q: "robot" }), http: "/search?q=robot" },
    {
      what: 'designs: two words ("sleepy octopus")',
      run: () => search.searchDesigns({ q: "sleepy octopus" }),
      http: "/search?q=sleepy+octopus",
    },
    {
      what: 'designs: a misspelt word ("robto")',
      run: () => search.searchDesigns({ q: "robto" }),
      http: "/search?q=robto",
    },
    {
      what: 'designs: a misspelt word ("ligthouse")',
      run: () => search.searchDesigns({ q: "ligthouse" }),
      http: "/search?q=ligthouse",
    },
    { what: 'designs: a tag ("sea birds")', run: () => search.searchDesigns({ q: "sea birds" }) },
    {
      what: 'tag page ("sea birds"): designs',
      run: () => search.designsWithTag("sea birds"),
      http: "/tags/sea%20birds",
    },
    { what: 'tag page ("sea birds"): products', run: () => search.productsWithTag("sea birds") },
    { what: 'designs: a designer\'s name ("juniper")', run: () => search.searchDesigns({ q: "juniper" }) },
    {
      what: 'designers: a name ("okafor")',
      run: () => search.searchDesigners({ q: "okafor" }),
      http: "/search?q=okafor&in=designers",
    },
    {
      what: 'designers: a username ("member4242")',
      run: () => search.searchDesigners({ q: "member4242" }),
      http: "/search?q=member4242&in=designers",
    },
    { what: 'designers: a misspelt username ("membr4242")', run: () => search.searchDesigners({ q: "membr4242" }) },
    { what: 'designers: a username begun ("member42")', run: () => search.searchDesigners({ q: "member42" }) },
    {
      what: 'designs: "cat", filter in the shop',
      run: () => search.searchDesigns({ q: "cat", status: "in-shop" }),
      http: "/search?q=cat&status=in-shop",
    },
    { what: 'designs: "owl", filter one round', run: () => search.searchDesigns({ q: "owl", roundSlug: "round-3" }) },
    { what: 'designs: "owl", filter in a vote now', run: () => search.searchDesigns({ q: "owl", status: "voting" }) },
    { what: 'designs: "fox", newest first', run: () => search.searchDesigns({ q: "fox", sort: "newest" }) },
    { what: 'designs: "robot", second page', run: () => search.searchDesigns({ q: "robot" }, { after }) },
    { what: "designs: no words, newest (browse)", run: () => search.searchDesigns({}), http: "/search" },
    {
      what: 'products: a word ("whale")',
      run: () => search.searchProducts({ q: "whale" }),
      http: "/search?q=whale&in=products",
    },
    { what: 'products: "whale", best-selling', run: () => search.searchProducts({ q: "whale", sort: "best-selling" }) },
  ];

  for (const q of queries) {
    const result = await q.run();
    const rows = Array.isArray(result) ? result.length : (result as { items: unknown[] }).items.length;
    lines.push({ what: q.what, ...(await time(q.run)), rows, baseline: q.baseline });
  }
  print(`Through the domain functions (${ITERATIONS} runs each, one at a time)`, lines);

  if (process.env.BENCH_HTTP !== "0") {
    if (process.env.BENCH_SKIP_BUILD !== "1") {
      const built = spawnSync("npx", ["remix", "vite:build"], { encoding: "utf8" });
      if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
    }
    child = spawn(process.execPath, ["--max-semi-space-size=64", "--import", "tsx", "server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(PORT),
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: "4",
        WEB_CONCURRENCY: "1",
        LOG_REQUESTS: "false",
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
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      await response.arrayBuffer();
    };
    const httpLines: Line[] = [
      { what: "baseline: GET /healthz", ...(await time(() => get("/healthz"), ITERATIONS / 2)), baseline: true },
    ];
    for (const q of queries.filter((q) => q.http)) {
      httpLines.push({ what: `GET ${q.http}`, ...(await time(() => get(q.http!), ITERATIONS / 2)) });
    }
    print(`Over HTTP, production build (${ITERATIONS / 2} requests each, one at a time, whole HTML page)`, httpLines);
  }
  const { closeDatabase } = await import("~/lib/db.server");
  await closeDatabase();
} finally {
  if (child && child.exitCode === null) {
    const running = child;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
  }
  await sql.end({ timeout: 5 });
  if (process.env.BENCH_KEEP === "1") console.log(`Kept the database ${name}`);
  else await dropDatabase(server, name);
}
