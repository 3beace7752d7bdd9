/**
 * Route fuzz (issue 10): every module in app/routes, read from the directory
 * at run time, gets its loader requested and its action posted with real and
 * garbage params, search params and forms, as a visitor, a member and an
 * admin. Bad input must get a 4xx: no 5xx (a thrown error is a 500), and no
 * console.error. A failure lists every failing request, not only the first.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import {
  carts,
  cartItems,
  comments,
  emailChanges,
  ledgerEntries,
  notifications,
  orderItems,
  orders,
  passwordResets,
  payoutRequests,
  products,
  productVariants,
  reports,
  rounds,
  follows,
} from "#db/schema";
import {
  createBallot,
  createRound,
  createSubmission,
  createUser,
  roundClockFor,
  DEFAULT_PASSWORD,
} from "#tests/factories/index";
import { context } from "#tests/support/requests";
import {
  answer,
  buildRequest,
  describeBody,
  describeParams,
  describeValue,
  GARBAGE_PARAMS,
  GARBAGE_SEARCH_VALUES,
  GENERIC_SEARCH_NAMES,
  HUGE,
  namesReadBy,
  routeFiles,
  ROUTES_DIR,
  type Body,
  type RouteFile,
} from "#tests/support/route-fuzz";
import { finalizeRound } from "~/domain/finalize.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { createSession } from "~/lib/session.server";
import { forgetSingleton } from "~/lib/singleton.server";
import { hashSecret, randomSecret } from "~/lib/tokens.server";

type Role = "anonymous" | "member" | "admin";
type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<unknown>;
  action?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<unknown>;
};

/**
 * Answers of 5xx that are right, each with its reason. Empty: no route here
 * talks to a third party that the tests leave unreachable (payments use the
 * local provider, mail the outbox), so a 503 would be a bug too.
 */
const ALLOWED_5XX: { file: string; status: number; reason: string }[] = [];

/**
 * Routes fuzzed with a caveat, written down rather than skipped:
 * - webhooks.stripe.ts: garbage cannot carry a valid Stripe signature, so it
 *   must be refused with a 4xx. Unconfigured it answers 404 before reading
 *   anything, so it is fuzzed with Stripe configured (below): then a missing
 *   or forged signature must be a 400. No request reaches Stripe's API
 *   (verifying a signature is local).
 * - images.$.ts and $.tsx: the splat gets a real image key and garbage.
 */
const ROUTE_ENV: Record<string, Record<string, string>> = {
  "webhooks.stripe.ts": { STRIPE_SECRET_KEY: "sk_test_route_fuzz", STRIPE_WEBHOOK_SECRET: "whsec_route_fuzz" },
  // Configured, so garbage reaches the token check (a 403) instead of the "not configured" 404.
  "webhooks.printful.ts": {
    PRINTFUL_API_KEY: "pf_route_fuzz_token_0123456789",
    PRINTFUL_WEBHOOK_SECRET: "pf_route_fuzz_secret_0123456789",
    PRINTFUL_API_URL: "http://127.0.0.1:9",
  },
};

async function withRouteEnv<T>(file: string, run: () => Promise<T>): Promise<T> {
  const extra = ROUTE_ENV[file];
  if (!extra) return run();
  const saved = Object.fromEntries(Object.keys(extra).map((key) => [key, process.env[key]]));
  Object.assign(process.env, extra);
  resetEnvCache();
  forgetSingleton("stripe");
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvCache();
    forgetSingleton("stripe");
  }
}
const ROUTES = routeFiles();

// Keeps the run bounded on a 2-core machine: at most this many intents per route are fuzzed one by one.
const MAX_INTENTS = 10;
const MAX_FIELDS = 24;

/** Real rows for the routes to find, owned by someone other than the member where it matters. */
async function createWorld() {
  const admin = await createUser({ role: "admin", username: "fuzz_admin" });
  const member = await createUser({ username: "fuzz_member" });
  const designer = await createUser({ username: "fuzz_designer" });

  // A round in voting with an approved design by the designer.
  const voting = await createRound({ phase: "submissions", slug: "fuzz-voting", minVotes: 1, voterMinScored: 1 });
  const votingDesign = await createSubmission({
    round: voting,
    designerId: designer.id,
    seed: 11,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await db.update(rounds).set(roundClockFor("voting")).where(eq(rounds.id, voting.id));

  // A finalized round whose winner is in the shop.
  const finalized = await createRound({
    phase: "submissions",
    slug: "fuzz-finalized",
    minVotes: 1,
    voterMinScored: 1,
    winnersCount: 1,
    prizeCents: 5000,
    royaltyBps: 1500,
  });
  const winner = await createSubmission({
    round: finalized,
    designerId: designer.id,
    seed: 22,
    moderate: { adminId: admin.id, decision: "approved" },
  });
  await createBallot({ roundId: finalized.id, submissionId: winner, voterId: admin.id, score: 5, wouldBuy: true });
  await createBallot({ roundId: finalized.id, submissionId: winner, voterId: member.id, score: 4 });
  await db.update(rounds).set(roundClockFor("closed")).where(eq(rounds.id, finalized.id));
  await finalizeRound(finalized.id);

  // A round open for entries, with the member's own design waiting for moderation.
  const open = await createRound({ phase: "submissions", slug: "fuzz-open" });
  const memberDesign = await createSubmission({ round: open, designerId: member.id, seed: 33 });

  const [product] = await db.select().from(products).where(eq(products.submissionId, winner)).limit(1);
  if (!product) throw new Error("finalizing the round made no product");
  const [variant] = await db.select().from(productVariants).where(eq(productVariants.productId, product.id)).limit(1);
  if (!variant) throw new Error("the product has no variant");

  const shipping = {
    shippingName: "Ada Lovelace",
    shippingLine1: "12 Analytical Way",
    shippingCity: "London",
    shippingPostalCode: "N1 9GU",
    shippingCountry: "GB",
  };
  const orderFor = async (buyerId: string, status: "pending_payment" | "paid") => {
    const [order] = await db
      .insert(orders)
      .values({
        buyerId,
        status,
        currency: "usd",
        subtotalCents: variant.priceCents,
        amountDueCents: variant.priceCents,
        provider: "local",
        paidAt: status === "paid" ? new Date() : null,
        ...shipping,
      })
      .returning({ id: orders.id });
    await db.insert(orderItems).values({
      orderId: order!.id,
      productId: product.id,
      variantId: variant.id,
      designerId: designer.id,
      title: product.title,
      productType: product.type,
      size: variant.size,
      unitPriceCents: variant.priceCents,
      quantity: 1,
      royaltyBps: product.royaltyBps,
    });
    return order!.id;
  };
  const memberOrder = await orderFor(member.id, "pending_payment");
  const otherOrder = await orderFor(designer.id, "paid");

  const [cart] = await db.insert(carts).values({ userId: member.id }).returning({ id: carts.id });
  await db.insert(cartItems).values({ cartId: cart!.id, variantId: variant.id, quantity: 2 });

  const [memberNotice] = await db
    .insert(notifications)
    .values({ userId: member.id, kind: "results", title: "Results are in", url: "/rounds/fuzz-finalized/results" })
    .returning({ id: notifications.id });
  const [otherNotice] = await db
    .insert(notifications)
    .values({ userId: designer.id, kind: "results", title: "You won", url: "/rounds/fuzz-finalized/results" })
    .returning({ id: notifications.id });

  await db
    .insert(ledgerEntries)
    .values({ userId: designer.id, kind: "royalty", amountCents: 9000, currency: "usd", causeKey: "fuzz:royalty" });
  const [payout] = await db
    .insert(payoutRequests)
    .values({ userId: designer.id, amountCents: 2500, currency: "usd", provider: "local" })
    .returning({ id: payoutRequests.id });
  await db
    .insert(ledgerEntries)
    .values({ userId: designer.id, kind: "payout", amountCents: -2500, currency: "usd", causeKey: "fuzz:payout" });

  const [comment] = await db
    .insert(comments)
    .values({ submissionId: votingDesign, authorId: designer.id, body: "Thanks for looking!" })
    .returning({ id: comments.id });
  const [report] = await db
    .insert(reports)
    .values({ reporterId: member.id, subjectType: "submission", subjectId: votingDesign, reason: "spam" })
    .returning({ id: reports.id });
  await db.insert(follows).values({ followerId: member.id, designerId: designer.id });

  const resetId = randomSecret();
  const resetSecret = randomSecret();
  await db.insert(passwordResets).values({
    id: resetId,
    tokenHash: hashSecret(resetSecret),
    userId: member.id,
    expiresAt: new Date(Date.now() + 3600_000),
  });
  const changeId = randomSecret();
  const changeSecret = randomSecret();
  await db.insert(emailChanges).values({
    id: changeId,
    tokenHash: hashSecret(changeSecret),
    userId: member.id,
    newEmail: "fuzz_member_new@example.test",
    expiresAt: new Date(Date.now() + 3600_000),
  });

  const imageKey = product.mockupKey.replace(/^public\//, "");

  /** Real values for a route param, by the static segment before it (`orders` for `orders.$id`). */
  const paramValues: Record<string, string[]> = {
    "rounds:slug": [voting.slug, finalized.slug, open.slug],
    "vote:slug": [voting.slug, finalized.slug],
    "designers:username": [designer.username, member.username],
    "orders:id": [memberOrder, otherOrder],
    "admin.orders:id": [otherOrder, memberOrder],
    "submissions:id": [votingDesign, memberDesign, winner],
    "notifications:id": [memberNotice!.id, otherNotice!.id],
    "admin.rounds:id": [voting.id, finalized.id, open.id],
    "shop:productId": [product.id],
    "confirm-email:token": [`${changeId}.${changeSecret}`],
    "reset-password:token": [`${resetId}.${resetSecret}`],
    "images:*": [imageKey],
    ":*": ["no/such/page"],
  };
  /** For a param the table does not know (a new route), every kind of real id and name. */
  const anyReal = [votingDesign, voting.id, memberOrder, product.id, memberNotice!.id, voting.slug, designer.username];

  /** Real values for form fields, mostly other people's things. */
  const fieldValues: Record<string, string> = {
    submissionid: votingDesign,
    productid: product.id,
    variantid: variant.id,
    orderid: otherOrder,
    reportid: report!.id,
    commentid: comment!.id,
    parentid: comment!.id,
    payoutid: payout!.id,
    notificationid: otherNotice!.id,
    roundid: voting.id,
    userid: designer.id,
    designerid: designer.id,
    memberid: designer.id,
    subjectid: votingDesign,
    id: votingDesign,
    slug: finalized.slug,
    username: designer.username,
    email: designer.email,
    newemail: designer.email,
    password: DEFAULT_PASSWORD + "!",
    token: `${resetId}.${resetSecret}`,
    score: "5",
    quantity: "1",
    redirectto: "/",
  };

  return {
    users: { admin, member, designer },
    paramValues,
    anyReal,
    fieldValues,
    round: { voting, finalized, open },
  };
}

type World = Awaited<ReturnType<typeof createWorld>>;

type Probe = {
  method: "GET" | "POST";
  params: Record<string, string>;
  search?: [string, string][];
  body?: Body;
  headers?: Record<string, string>;
};

function realParamSets(route: RouteFile, world: World): Record<string, string>[] {
  if (route.params.length === 0) return [{}];
  const lists = route.params.map(
    (name) => world.paramValues[`${route.paramContext[name] ?? ""}:${name}`] ?? world.anyReal,
  );
  const count = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(route.params.map((name, p) => [name, lists[p]![i % lists[p]!.length]!])),
  );
}

function garbageParamSets(route: RouteFile, real: Record<string, string>): Record<string, string>[] {
  // Each param in turn gets each garbage value, the others stay real.
  return route.params.flatMap((name) => Object.values(GARBAGE_PARAMS).map((value) => ({ ...real, [name]: value })));
}

function getProbes(route: RouteFile, world: World): Probe[] {
  const names = namesReadBy(route.source);
  const real = realParamSets(route, world);
  const probes: Probe[] = [];
  for (const params of real) {
    probes.push({ method: "GET", params });
    // Every generic and module-read name at once, one garbage kind at a time.
    const allNames = [...new Set([...GENERIC_SEARCH_NAMES, ...names.search])];
    for (const value of Object.values(GARBAGE_SEARCH_VALUES))
      probes.push({ method: "GET", params, search: allNames.map((n) => [n, value]) });
    // Repeated names (an array where one value is expected).
    probes.push({
      method: "GET",
      params,
      search: allNames.flatMap(
        (n) =>
          [
            [n, "1"],
            [n, "\u0000"],
          ] as [string, string][],
      ),
    });
  }
  // Each name the module reads, alone, so an early 400 on another name cannot hide it.
  for (const name of names.search)
    for (const value of ["\u0000", "a".repeat(300), "-1", `'"<>`])
      probes.push({ method: "GET", params: real[0]!, search: [[name, value]] });
  for (const params of garbageParamSets(route, real[0]!)) probes.push({ method: "GET", params });
  return probes;
}

function postProbes(route: RouteFile, world: World): Probe[] {
  const names = namesReadBy(route.source);
  const fields = names.fields.slice(0, MAX_FIELDS);
  const intents = names.intents.slice(0, MAX_INTENTS);
  const realFor = (field: string) => world.fieldValues[field.toLowerCase()] ?? "hello";
  const real = realParamSets(route, world);
  const params = real[0]!;
  const withIntent = (intent: string | null, entries: [string, string][]): [string, string][] =>
    intent === null ? entries : [["intent", intent], ...entries];
  const wrongTypes = ["-1", "NaN", "1e309", "true", "{}", "[]", "0x1F", "9007199254740993"];

  const probes: Probe[] = [
    { method: "POST", params },
    { method: "POST", params, body: { kind: "urlencoded", entries: [] } },
    { method: "POST", params, body: { kind: "urlencoded", entries: [["intent", "definitely-not-an-intent"]] } },
    { method: "POST", params, body: { kind: "urlencoded", entries: [["intent", "\u0000"]] } },
    { method: "POST", params, body: { kind: "urlencoded", entries: [["intent", HUGE]] } },
    { method: "POST", params, body: { kind: "multipart", entries: [], file: true } },
    {
      method: "POST",
      params,
      body: { kind: "raw", contentType: "application/json", text: JSON.stringify({ intent: intents[0] ?? "x" }) },
    },
    { method: "POST", params, body: { kind: "raw", contentType: "text/plain", text: "\u0000garbage\u0000" } },
    // A webhook-looking post with a forged signature (any route must refuse it as it would any body).
    {
      method: "POST",
      params,
      headers: { "Stripe-Signature": "t=1,v1=deadbeef" },
      body: {
        kind: "raw",
        contentType: "application/json",
        text: JSON.stringify({ id: "evt_fuzz", type: "checkout.session.completed", data: { object: {} } }),
      },
    },
    {
      method: "POST",
      params,
      headers: { "Stripe-Signature": "garbage" },
      body: { kind: "raw", contentType: null, text: "{" },
    },
    {
      method: "POST",
      params,
      body: { kind: "raw", contentType: "application/x-www-form-urlencoded", text: "intent=%E0%A4%A&%=%%&a=%00" },
    },
    {
      method: "POST",
      params,
      body: { kind: "raw", contentType: "multipart/form-data; boundary=nope", text: "--nope\r\ngarbage" },
    },
  ];
  // No intent at all is tried too: a route's main form often has none (add to cart beside the comment intents).
  for (const intent of [null, ...intents]) {
    const realEntries = fields.map((f) => [f, realFor(f)] as [string, string]);
    probes.push(
      // Missing fields.
      { method: "POST", params, body: { kind: "urlencoded", entries: withIntent(intent, []) } },
      // Real values, other people's ids.
      { method: "POST", params, body: { kind: "urlencoded", entries: withIntent(intent, realEntries) } },
      // NUL bytes and control characters.
      {
        method: "POST",
        params,
        body: {
          kind: "urlencoded",
          entries: withIntent(
            intent,
            fields.map((f) => [f, `a\u0000b\u0007`]),
          ),
        },
      },
      // Huge strings.
      {
        method: "POST",
        params,
        body: {
          kind: "urlencoded",
          entries: withIntent(
            intent,
            fields.map((f) => [f, HUGE]),
          ),
        },
      },
      // Wrong types.
      {
        method: "POST",
        params,
        body: {
          kind: "urlencoded",
          entries: withIntent(
            intent,
            fields.map((f, i) => [f, wrongTypes[i % wrongTypes.length]!]),
          ),
        },
      },
      // Arrays: every name twice.
      {
        method: "POST",
        params,
        body: {
          kind: "urlencoded",
          entries: [
            ...withIntent(intent, realEntries),
            ...withIntent(
              intent === null ? null : "definitely-not-an-intent",
              fields.map((f) => [f, "\u0000"]),
            ),
          ],
        },
      },
      // Multipart where urlencoded is expected (and an upload that is no image).
      { method: "POST", params, body: { kind: "multipart", entries: withIntent(intent, realEntries), file: true } },
    );
  }
  // Garbage params with an otherwise plausible form.
  const plausible = withIntent(
    intents[0] ?? null,
    fields.map((f) => [f, realFor(f)]),
  );
  for (const garbage of garbageParamSets(route, params))
    probes.push({ method: "POST", params: garbage, body: { kind: "urlencoded", entries: plausible } });
  return probes;
}

/** Loaders are read-only, so they run this many at a time; actions run one by one (no races between posts). */
const GET_BATCH = 4;

function describeProbe(route: RouteFile, role: Role, probe: Probe): string {
  const query = probe.search?.length
    ? `query ${probe.search
        .slice(0, 4)
        .map(([k, v]) => `${k}=${describeValue(v)}`)
        .join("&")}${probe.search.length > 4 ? `&…+${probe.search.length - 4}` : ""}`
    : "";
  return [
    `${route.file} ${role} ${probe.method}`,
    `params ${describeParams(probe.params)}`,
    query,
    probe.body ? `body ${describeBody(probe.body)}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

function loggedText(calls: unknown[][]): string {
  return calls.map((c) => c.map(String).join(" ").split("\n")[0]).join(" | ");
}

async function fuzzAs(
  role: Role,
  world: World,
): Promise<{ failures: string[]; count: number; statuses: Map<number, number> }> {
  const failures: string[] = [];
  // How the answers spread, printed so a reader sees the fuzz reaches past the 4xx guards (2xx and 3xx too).
  const statuses = new Map<number, number>();
  let count = 0;
  const errorSpy = vi.mocked(console.error);
  for (const route of ROUTES) {
    const module = (await import(/* @vite-ignore */ `${ROUTES_DIR}/${route.file}`)) as RouteModule;
    // A fresh session per route: a logout or "sign out everywhere" post must not end the others.
    const user = role === "member" ? world.users.member : role === "admin" ? world.users.admin : null;
    const cookie = user ? `ct_session=${encodeURIComponent(await createSession(user.id, "fuzz"))}` : undefined;

    const send = (probe: Probe) => {
      count += 1;
      const handler = probe.method === "GET" ? module.loader! : module.action!;
      const request = buildRequest({
        method: probe.method,
        path: route.pathFor(probe.params),
        search: probe.search,
        body: probe.body,
        headers: probe.headers,
        cookie,
      });
      // A different client address each time, so rate limits do not answer in place of the route.
      const ip = `198.51.${(count >> 8) & 255}.${count & 255}`;
      return answer(() => handler({ request, params: probe.params, context: context(ip) }));
    };

    const batches: Probe[][] = [];
    const gets = module.loader ? getProbes(route, world) : [];
    for (let i = 0; i < gets.length; i += GET_BATCH) batches.push(gets.slice(i, i + GET_BATCH));
    if (module.action) for (const probe of postProbes(route, world)) batches.push([probe]);

    for (const batch of batches) {
      const errorsBefore = errorSpy.mock.calls.length;
      const results = await withRouteEnv(route.file, () => Promise.all(batch.map(send)));
      const logged = errorSpy.mock.calls.slice(errorsBefore);
      batch.forEach((probe, i) => {
        const result = results[i]!;
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        const allowed = ALLOWED_5XX.some((a) => a.file === route.file && a.status === result.status);
        if (result.status >= 500 && !allowed)
          failures.push(
            `${describeProbe(route, role, probe)} → ${result.status}${result.error ? ` ${result.error}` : ""}`,
          );
      });
      if (logged.length === 0) continue;
      if (batch.length === 1) {
        failures.push(`${describeProbe(route, role, batch[0]!)} → console.error: ${loggedText(logged)}`);
        continue;
      }
      // Several loaders ran at once: ask each again alone to name the one that logs.
      let named = false;
      for (const probe of batch) {
        const before = errorSpy.mock.calls.length;
        await withRouteEnv(route.file, () => send(probe));
        const again = errorSpy.mock.calls.slice(before);
        if (again.length > 0) {
          named = true;
          failures.push(`${describeProbe(route, role, probe)} → console.error: ${loggedText(again)}`);
        }
      }
      if (!named)
        failures.push(
          `one of [${batch.map((p) => describeProbe(route, role, p)).join(" ; ")}] → console.error: ${loggedText(logged)}`,
        );
    }
  }
  return { failures, count, statuses };
}

describe(`route fuzz: ${ROUTES.length} modules read from app/routes`, () => {
  it("reads the flat route names into params and URLs", async () => {
    const { parseRouteFile } = await import("#tests/support/route-fuzz");
    const pathOf = (file: string, params: Record<string, string> = {}) => parseRouteFile(file).pathFor(params);
    expect(parseRouteFile("rounds.$slug_.feed[.]xml.ts").params).toEqual(["slug"]);
    expect(pathOf("rounds.$slug_.feed[.]xml.ts", { slug: "a" })).toBe("/rounds/a/feed.xml");
    expect(pathOf("account_.export[.]json.ts")).toBe("/account/export.json");
    expect(pathOf("_index.tsx")).toBe("/");
    expect(pathOf("admin.rounds._index.tsx")).toBe("/admin/rounds");
    expect(parseRouteFile("images.$.ts").params).toEqual(["*"]);
    expect(pathOf("images.$.ts", { "*": "a/b.webp" })).toBe("/images/a/b.webp");
    expect(pathOf("orders.$id_.pay.tsx", { id: "\u0000" })).toBe("/orders/%00/pay");
    expect(parseRouteFile("admin.rounds.$id.tsx").paramContext).toEqual({ id: "admin.rounds" });
    // The judge of an answer: a thrown error, a 5xx data() or a body that fails while streaming are all 500s.
    const { data } = await import("@remix-run/node");
    expect(await answer(() => Promise.reject(new Error("boom")))).toEqual({ status: 500, error: "Error: boom" });
    expect(await answer(() => Promise.reject(new Response("gone", { status: 404 })))).toEqual({ status: 404 });
    expect((await answer(async () => data({}, { status: 503 }))).status).toBe(503);
    const broken = new ReadableStream({
      pull(controller) {
        controller.error(new Error("stream broke"));
      },
    });
    expect((await answer(async () => new Response(broken))).status).toBe(500);
    // Every module imports, and each one without a loader or an action is a static page with nothing
    // to request (named here, so a route is never left out silently).
    const staticPages: string[] = [];
    for (const route of ROUTES) {
      const module = (await import(/* @vite-ignore */ `${ROUTES_DIR}/${route.file}`)) as RouteModule;
      if (!module.loader && !module.action) staticPages.push(route.file);
    }
    console.log(`[route fuzz] static pages, nothing to request: ${staticPages.join(", ") || "none"}`);
    expect(staticPages.length).toBeLessThan(ROUTES.length / 4);
  });

  // One test for the three roles: the rows (uploads, a finalized round's mockups) are made once, not per role.
  it("as a visitor, a member and an admin: no loader or action answers 5xx or logs console.error, whatever the params, query or form", async () => {
    const started = Date.now();
    const world = await createWorld();
    console.log(`[route fuzz] rows created in ${Date.now() - started} ms`);
    const report: string[] = [];
    let total = 0;
    let failing = 0;
    for (const role of ["anonymous", "member", "admin"] as const) {
      const { failures, count, statuses } = await fuzzAs(role, world);
      const spread = [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(" ");
      console.log(
        `[route fuzz] ${role}: ${count} requests to ${ROUTES.length} route modules, ${failures.length} failing (${spread})`,
      );
      expect(count).toBeGreaterThan(ROUTES.length * 5);
      total += count;
      failing += failures.length;
      if (failures.length > 0) report.push(`as ${role}, ${failures.length} of ${count}:`, ...failures);
    }
    console.log(`[route fuzz] ${total} requests in ${Date.now() - started} ms`);
    // The message lists every failing request; comparing the count keeps a second copy (a diff) out of the report.
    expect(failing, `${failing} of ${total} requests failed:\n${report.join("\n")}\n`).toBe(0);
  }, 180_000);

  it("garbage cookies (session, guest cart, toast) change no answer into a 5xx, on the root or any page", async () => {
    const cookies = [
      "ct_session=%00.a",
      "ct_session=abc%00def.ghi",
      `ct_session=${"a".repeat(5000)}.${"b".repeat(5000)}`,
      "ct_session=a.b.c",
      "ct_session=%E0%A4%A",
      "ct_session=' or 1=1 --",
      "ct_cart=%00",
      "ct_cart=eyJub3QiOiJzaWduZWQifQ%3D%3D.forged",
      "ct_toast=%00",
      "ct_session=%00; ct_cart=%00; ct_toast=%00",
    ];
    // The root loader runs on every page; then each route whose address needs no param.
    const modules: { name: string; path: string; module: RouteModule }[] = [
      { name: "root.tsx", path: "/", module: (await import("~/root")) as RouteModule },
    ];
    for (const route of ROUTES.filter((r) => r.params.length === 0)) {
      const module = (await import(/* @vite-ignore */ `${ROUTES_DIR}/${route.file}`)) as RouteModule;
      if (module.loader) modules.push({ name: route.file, path: route.pathFor({}), module });
    }
    const wrong: string[] = [];
    for (const { name, path, module } of modules) {
      for (const cookie of cookies) {
        const request = buildRequest({ method: "GET", path, cookie });
        const errorsBefore = vi.mocked(console.error).mock.calls.length;
        const result = await answer(() => module.loader!({ request, params: {}, context: context() }));
        const logged = vi.mocked(console.error).mock.calls.length - errorsBefore;
        if (result.status >= 500 || logged > 0)
          wrong.push(`${name} with Cookie: ${cookie.slice(0, 60)} → ${result.status} ${result.error ?? ""}`);
      }
    }
    expect(modules.length).toBeGreaterThan(10);
    expect(wrong.length, `${wrong.length} answers failed:\n${wrong.join("\n")}\n`).toBe(0);
  }, 60_000);

  it("a NUL byte (%00) in a round, vote, designer or shop address answers 404 or 400", async () => {
    const user = await createUser({ username: "nul_member" });
    const member = `ct_session=${encodeURIComponent(await createSession(user.id, "fuzz"))}`;
    // A filter that names a thing (a designer, a round) cannot fall back: 404 or 400. The enumerated
    // ones (type, sort) may instead fall back to their default (COMMON.md's `.catch("newest")`), so
    // a 200 is allowed there; a 5xx or console.error is not.
    const cases: {
      file: string;
      path: string;
      params: Record<string, string>;
      search?: [string, string][];
      fallback?: true;
    }[] = [
      { file: "designers.$username.tsx", path: "/designers/%00", params: { username: "\u0000" } },
      { file: "rounds.$slug.tsx", path: "/rounds/%00", params: { slug: "\u0000" } },
      { file: "rounds.$slug_.results.tsx", path: "/rounds/%00/results", params: { slug: "\u0000" } },
      { file: "rounds.$slug_.feed[.]xml.ts", path: "/rounds/%00/feed.xml", params: { slug: "\u0000" } },
      { file: "rounds.$slug_.ballots[.]csv.ts", path: "/rounds/%00/ballots.csv", params: { slug: "\u0000" } },
      { file: "rounds.$slug_.results[.]json.ts", path: "/rounds/%00/results.json", params: { slug: "\u0000" } },
      { file: "vote.$slug.tsx", path: "/vote/%00", params: { slug: "\u0000" } },
      { file: "shop._index.tsx", path: "/shop", params: {}, search: [["designer", "\u0000"]] },
      { file: "shop._index.tsx", path: "/shop", params: {}, search: [["round", "\u0000"]] },
      { file: "shop._index.tsx", path: "/shop", params: {}, search: [["type", "\u0000"]], fallback: true },
      { file: "shop._index.tsx", path: "/shop", params: {}, search: [["sort", "\u0000"]], fallback: true },
    ];
    const wrong: string[] = [];
    for (const c of cases) {
      const module = (await import(/* @vite-ignore */ `${ROUTES_DIR}/${c.file}`)) as RouteModule;
      for (const cookie of [undefined, member]) {
        const request = buildRequest({ method: "GET", path: c.path, search: c.search, cookie });
        const errorsBefore = vi.mocked(console.error).mock.calls.length;
        const result = await answer(() => module.loader!({ request, params: c.params, context: context() }));
        const logged = vi.mocked(console.error).mock.calls.length - errorsBefore;
        const shown = `${c.path}${c.search ? `?${c.search[0]![0]}=%00` : ""} (${cookie ? "member" : "anonymous"})`;
        const fine = c.fallback ? [200, 400, 404] : [400, 404];
        if (!fine.includes(result.status) || logged > 0)
          wrong.push(
            `${shown} → ${result.status}${result.error ? ` ${result.error}` : ""}${logged ? " + console.error" : ""}`,
          );
      }
    }
    expect(wrong.length, `${wrong.length} answers were not 404/400:\n${wrong.join("\n")}\n`).toBe(0);
  }, 60_000);
});
