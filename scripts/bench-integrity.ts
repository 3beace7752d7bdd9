/**
 * `npm run bench:integrity`: the integrity view's queries against a round at
 * the size we design for, in a PostgreSQL database of its own (BENCH_DATABASE_URL,
 * else TEST_DATABASE_URL, else the local server) that it drops afterwards.
 *
 * Loads 5,000 designs and 500,000 ballots (BENCH_VOTERS voters of
 * BENCH_BALLOTS_PER_VOTER ballots each, designs and scores drawn by hash),
 * 2,000 sign-ups with network hashes, then plants a ring of 20 accounts with
 * identical ballots, and times each part of the view (best of 3).
 */
import { adminQuery, dropDatabase, withDatabase } from "#tests/setup/test-database";

const DESIGNS = Number(process.env.BENCH_DESIGNS ?? 5000);
const VOTERS = Number(process.env.BENCH_VOTERS ?? 20_000);
const PER_VOTER = Number(process.env.BENCH_BALLOTS_PER_VOTER ?? 25);
const server =
  process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const name = `crowdthread_bench_integrity_${process.pid}`;
await adminQuery(server, (sql) => sql.unsafe(`create database "${name}"`));
process.env.DATABASE_URL = withDatabase(server, name);
process.env.DATABASE_POOL_SIZE = "4";

try {
  const { createDatabase } = await import("#db/client");
  const migrator = createDatabase({ url: process.env.DATABASE_URL, poolSize: 1 });
  await migrator.migrate();
  await migrator.close();
  const { sql } = await import("drizzle-orm");
  const { db, closeDatabase } = await import("~/lib/db.server");
  const integrity = await import("~/domain/integrity.server");
  const { voidedBallotCount } = await import("~/domain/ballot-voids.server");
  const { createVotingRing, PLACEHOLDER_ARTWORK } = await import("#tests/factories/index");

  const load = performance.now();
  const images = JSON.stringify(PLACEHOLDER_ARTWORK);
  await db.execute(sql`insert into users (email, username, password_hash, created_at)
    select 'v' || g || '@bench.test', 'v' || g, 'x', now() - ((g % 60) || ' days')::interval from generate_series(1, ${VOTERS}) g`);
  await db.execute(
    sql`insert into users (email, username, password_hash) select 'd' || g || '@bench.test', 'd' || g, 'x' from generate_series(1, 1000) g`,
  );
  await db.execute(sql`insert into rounds (slug, title, submissions_open_at, voting_opens_at, voting_closes_at)
    values ('bench', 'Bench', now() - interval '20 days', now() - interval '6 days', now() + interval '1 day')`);
  await db.execute(sql`insert into submissions (round_id, designer_id, title, status, images, artwork_width, artwork_height, perceptual_hash)
    select (select id from rounds), d.id, 'Design ' || g, 'approved', ${images}::jsonb, 4500, 5400, lpad(to_hex(g), 16, '0')
    from generate_series(1, ${DESIGNS}) g join (select id, row_number() over () as n from users where username like 'd%') d on d.n = 1 + g % 1000`);
  // Voter u scores PER_VOTER designs spread over the round, at times spread over the six days of voting so far.
  await db.execute(sql`insert into ballots (round_id, submission_id, voter_id, score, created_at, updated_at)
    select (select id from rounds), s.id, u.id, abs(hashtext(s.id::text || u.id::text)) % 6,
      now() - ((abs(hashtext(u.id::text)) % 518400) || ' seconds')::interval, now()
    from (select id, row_number() over (order by id) - 1 as n from users where username like 'v%') u
    cross join generate_series(0, ${PER_VOTER - 1}) k
    join (select id, row_number() over (order by id) - 1 as n from submissions) s
      on s.n = (u.n * 7919 + k * 199) % ${DESIGNS}`);
  await db.execute(sql`insert into signup_networks (user_id, network_hash, created_at)
    select id, md5((row_number() over ()) % 500 || 'net'), now() - ((row_number() over ()) % 200 || ' hours')::interval
    from users where username like 'v%' limit 2000`);
  const [round] = (await db.execute(sql`select id, slug, voter_min_scored from rounds`)) as unknown as [
    { id: string; slug: string; voter_min_scored: number },
  ];
  const designs = (await db.execute(sql`select id from submissions order by id limit 6`)) as unknown as {
    id: string;
  }[];
  await createVotingRing({
    roundId: round.id,
    submissionIds: designs.map((d) => d.id),
    scores: [5, 0, 0, 0, 0, 0],
    size: 20,
    prefix: "ring",
  });
  await db.execute(sql`vacuum analyze`);
  const [{ n }] = (await db.execute(sql`select count(*)::int as n from ballots`)) as unknown as [{ n: number }];
  console.log(
    `loaded ${n} ballots, ${DESIGNS} designs, ${VOTERS} voters in ${((performance.now() - load) / 1000).toFixed(1)} s`,
  );

  const full = await integrity.findRoundForIntegrity(round.id);
  const time = async <T>(label: string, run: () => Promise<T>, describe: (v: T) => string) => {
    let best = Infinity;
    let value: T | undefined;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      value = await run();
      best = Math.min(best, performance.now() - start);
    }
    console.log(`${label.padEnd(34)} ${best.toFixed(0).padStart(6)} ms   ${describe(value!)}`);
  };
  await time(
    "ballots per hour",
    () => integrity.ballotsPerHour(full!),
    (v) => `${v.length} hours`,
  );
  await time(
    "ballot sources",
    () => integrity.ballotSources(round.id),
    (v) => JSON.stringify(v),
  );
  await time(
    "co-voting groups",
    () => integrity.coVotingGroups(round.id),
    (v) => `${v.length} group(s), sizes ${v.map((g) => g.accounts.length).join(",")}`,
  );
  await time(
    "sign-up bursts",
    () => integrity.signupBursts(full!),
    (v) => `${v.length} bursts`,
  );
  await time(
    "voter weights (today's rule)",
    () => integrity.voterWeightsForIntegrity(full!),
    (v) => `${v.size} voters`,
  );
  const weights = await integrity.voterWeightsForIntegrity(full!);
  await time(
    "designs leaning on low weight",
    () => integrity.designsLeaningOnLowWeight(round.id, weights),
    (v) => `${v.length} designs`,
  );
  await time(
    "voided ballot count",
    () => voidedBallotCount(round.id),
    (v) => `${v}`,
  );
  await closeDatabase();
} finally {
  await dropDatabase(server, name);
}
