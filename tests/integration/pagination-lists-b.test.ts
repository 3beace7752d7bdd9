import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { nearDuplicates, orders, payoutRequests, submissions } from "#db/schema";
import {
  createLoggedInUser,
  createManyAuditLines,
  createManyNotifications,
  createManyOrders,
  createManyPayouts,
  createManyReports,
  createManySubmissions,
  createRound,
  createUser,
} from "#tests/factories/index";
import { collectPages } from "#tests/support/pages";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { decisionCursor, moderationQueue, queueCursor, recentDecisions } from "~/domain/moderation.server";
import { notificationCursor, notificationsFor } from "~/domain/notifications.server";
import { allOrdersForAdmin, orderCursor, ordersForBuyer } from "~/domain/orders.server";
import { payoutsForAdmin, payoutCursor, payoutsFor } from "~/domain/payouts.server";
import { openReports, reportCursor } from "~/domain/reports.server";
import { db } from "~/lib/db.server";
import { cursorParam, encodeCursor, PAGE_SIZE } from "~/lib/pagination.server";
import { loader as buyerPayoutsLoader } from "~/routes/account_.payouts";
import { action as moderationAction, loader as moderationLoader } from "~/routes/admin.moderation";
import { action as adminOrdersAction, loader as adminOrdersLoader } from "~/routes/admin.orders";
import { action as adminPayoutsAction, loader as adminPayoutsLoader } from "~/routes/admin.payouts";
import { loader as notificationsLoader } from "~/routes/notifications";
import { loader as buyerOrdersLoader } from "~/routes/orders._index";

/**
 * The documented order of rows made by the list factories (or
 * createManySubmissions): by creation time, pairs sharing one, ties broken by
 * id. `created` is every id in creation order; `keep` picks the listed ones
 * by their creation index (a status filter).
 */
function documentedOrder(created: string[], direction: "asc" | "desc", keep: (i: number) => boolean = () => true) {
  const rows = created.map((id, i) => ({ id, i, t: Math.floor(i / 2) })).filter((r) => keep(r.i));
  rows.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ascending = rows.map((r) => r.id);
  return direction === "asc" ? ascending : ascending.reverse();
}

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Listed = { id: string; [field: string]: unknown };
type ListPage = { items: Listed[]; next: string | null };

function load(loader: Loader, path: string, cookie?: string) {
  return settle(() => loader({ request: getRequest(path, { cookie }), params: {}, context: context() }));
}

/**
 * Follows a route's own "More" links (its `next` cursors in `param`) from
 * `path` to the end of the list; fails on a repeat or a status other than 200.
 */
async function walkRoute(loader: Loader, path: string, cookie: string, pick: (data: any) => ListPage, param = "after") {
  const items: Listed[] = [];
  const sizes: number[] = [];
  let next: string | null = null;
  for (let n = 0; n < 100; n++) {
    const url: string = next ? `${path}${path.includes("?") ? "&" : "?"}${param}=${next}` : path;
    const result = await load(loader, url, cookie);
    expect(result.status, url).toBe(200);
    const page = pick(result.data);
    items.push(...page.items);
    sizes.push(page.items.length);
    next = page.next;
    if (!next) break;
  }
  const ids = items.map((i) => i.id);
  expect(new Set(ids).size, "no item repeats across pages").toBe(ids.length);
  return { items, ids, sizes };
}

const GARBAGE_CURSORS = ["%00", "not-base64!", encodeCursor(["x", "y"]), encodeCursor([1]), "e30"];

async function expectGarbageRefused(loader: Loader, path: string, cookie: string, param = "after") {
  for (const after of GARBAGE_CURSORS) {
    const result = await load(loader, `${path}${path.includes("?") ? "&" : "?"}${param}=${after}`, cookie);
    expect(result.status, `${param}=${after}`).toBe(400);
  }
}

async function expectMembersRefused(loader: Loader, path: string) {
  const member = await createLoggedInUser();
  const refused = await load(loader, path, member.cookie);
  expect(refused.status).toBe(403);
  expect(refused.data).toBeUndefined();
  const visitor = await load(loader, path);
  expect(visitor.status).toBe(302);
}

/** The page a row's place leads to starts at that row. */
async function expectPlacesLead(items: Listed[], read: (place: string | null) => Promise<{ items: Listed[] }>) {
  for (const item of items) {
    const page = await read(item.place as string | null);
    expect(page.items[0]?.id).toBe(item.id);
  }
}

describe("moderation queue, a page at a time", () => {
  async function queueOf(count: number) {
    const round = await createRound({ phase: "submissions" });
    const designers = await Promise.all([1, 2].map(() => createUser()));
    const ids = await createManySubmissions({
      roundId: round.id,
      designerIds: designers.map((d) => d.id),
      count,
      status: "pending",
    });
    // Decided designs never wait in the queue.
    const decided = await createManySubmissions({ roundId: round.id, designerIds: [designers[0]!.id], count: 3 });
    return { round, ids, decided };
  }

  it("walks pending designs oldest first, ties broken by id, with each page's own look-alikes", async () => {
    const { ids, decided } = await queueOf(23);
    // Every fifth pending design resembles an earlier, approved one.
    const flagged = ids.filter((_, i) => i % 5 === 0);
    await db
      .insert(nearDuplicates)
      .values(flagged.map((id, i) => ({ submissionId: id, earlierSubmissionId: decided[i % 3]!, distance: i })));

    const pages: Awaited<ReturnType<typeof moderationQueue>>[] = [];
    const { ids: read, sizes } = await collectPages(queueCursor, async (after) => {
      const page = await moderationQueue({ after, size: 5 });
      pages.push(page);
      return page;
    });
    expect(read).toEqual(documentedOrder(ids, "asc"));
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    const items = pages.flatMap((p) => p.items);
    for (const item of items) {
      const i = flagged.indexOf(item.id);
      expect(
        item.nearDuplicates.map((d) => d.earlierId),
        item.title,
      ).toEqual(i < 0 ? [] : [decided[i % 3]]);
    }
    await expectPlacesLead(items.slice(4, 12), (place) =>
      moderationQueue({ after: place ? cursorParam(queueCursor).parse(place) : undefined, size: 5 }),
    );
  });

  it("shows a page of the queue with the whole count, and a decision returns to the decided design's page", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const { ids } = await queueOf(PAGE_SIZE + 6);
    const { items, sizes } = await walkRoute(moderationLoader, "/admin/moderation", admin.cookie, (d) => d.queue);
    expect(items.map((i) => i.id)).toEqual(documentedOrder(ids, "asc"));
    expect(sizes).toEqual([PAGE_SIZE, 6]);
    const first = await load(moderationLoader, "/admin/moderation", admin.cookie);
    expect(first.data.waiting).toBe(PAGE_SIZE + 6);

    // Approving the 27th design, from the second page, comes back to the page that starts after the 26th.
    const target = items[26]!;
    const decided = await settle(() =>
      moderationAction({
        request: formRequest(
          "/admin/moderation",
          { intent: "approve", submissionId: target.id, place: target.place as string },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(decided.status).toBe(302);
    const back = decided.response!.headers.get("Location")!;
    expect(back).toBe(`/admin/moderation?after=${target.place}`);
    const landed = await load(moderationLoader, back, admin.cookie);
    expect(landed.data.queue.items.map((s: Listed) => s.id)).toEqual(items.slice(27).map((i) => i.id));
    expect(landed.data.waiting).toBe(PAGE_SIZE + 5);
    const [row] = await db.select().from(submissions).where(eq(submissions.id, target.id));
    expect(row?.status).toBe("approved");

    // A decision on the first design goes back to the start; a place that is not a cursor is refused.
    const onFirst = await settle(() =>
      moderationAction({
        request: formRequest(
          "/admin/moderation",
          {
            intent: "reject",
            submissionId: items[0]!.id,
            reason: "Not the brief at all",
            confirmed: `reject:${items[0]!.id}`,
          },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(onFirst.response!.headers.get("Location")).toBe("/admin/moderation");
    const badPlace = await settle(() =>
      moderationAction({
        request: formRequest(
          "/admin/moderation",
          { intent: "approve", submissionId: items[1]!.id, place: "not-base64!" },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(badPlace.status).toBe(400);
    const [untouched] = await db.select().from(submissions).where(eq(submissions.id, items[1]!.id));
    expect(untouched?.status).toBe("pending");
  });

  it("pages open reports and past decisions each on their own cursor", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const reporter = await createUser();
    const reported = await createUser();
    const open = await createManyReports({ reporterId: reporter.id, subjectId: reported.id, count: PAGE_SIZE + 5 });
    await createManyReports({ reporterId: reporter.id, subjectId: reported.id, count: 3, status: "resolved" });
    const decisions = await createManyAuditLines({ actorId: admin.user.id, count: PAGE_SIZE + 3 });
    // Other admin actions are not moderation decisions.
    await createManyAuditLines({ actorId: admin.user.id, count: 4, actions: ["payout.paid", "report.resolved"] });
    const { ids: queueIds } = await queueOf(PAGE_SIZE + 2);

    const { ids: readReports } = await collectPages(reportCursor, (after) => openReports({ after, size: 4 }));
    expect(readReports).toEqual(documentedOrder(open, "asc"));
    const { ids: readDecisions } = await collectPages(decisionCursor, (after) => recentDecisions({ after, size: 4 }));
    expect(readDecisions).toEqual(documentedOrder(decisions, "desc"));

    const viaReports = await walkRoute(
      moderationLoader,
      "/admin/moderation",
      admin.cookie,
      (d) => d.reports,
      "reportsAfter",
    );
    expect(viaReports.ids).toEqual(documentedOrder(open, "asc"));
    expect(viaReports.items.every((r) => r.href === `/designers/${reported.username}`)).toBe(true);
    const viaDecisions = await walkRoute(
      moderationLoader,
      "/admin/moderation",
      admin.cookie,
      (d) => d.decisions,
      "decisionsAfter",
    );
    expect(viaDecisions.ids).toEqual(documentedOrder(decisions, "desc"));

    // Turning the reports' page leaves the queue on its first page, and the other way round.
    const first = await load(moderationLoader, "/admin/moderation", admin.cookie);
    expect(first.data.openCount).toBe(PAGE_SIZE + 5);
    const reportsTurned = await load(
      moderationLoader,
      `/admin/moderation?reportsAfter=${first.data.reports.next}`,
      admin.cookie,
    );
    expect(reportsTurned.data.queue.items.map((s: Listed) => s.id)).toEqual(
      documentedOrder(queueIds, "asc").slice(0, PAGE_SIZE),
    );
    expect(reportsTurned.data.reports.items.map((r: Listed) => r.id)).toEqual(
      documentedOrder(open, "asc").slice(PAGE_SIZE),
    );
    expect(reportsTurned.data.laterPages).toEqual({ queue: false, reports: true, decisions: false });

    // Closing a report on the second page returns to that page.
    const target = viaReports.items[PAGE_SIZE + 1]!;
    const closed = await settle(() =>
      moderationAction({
        request: formRequest(
          "/admin/moderation",
          { intent: "dismiss-report", reportId: target.id, place: target.place as string },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(closed.response!.headers.get("Location")).toBe(`/admin/moderation?reportsAfter=${target.place}`);
  });

  it("answers a cursor it did not make with a 400, on each of its lists, and refuses members", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    await queueOf(3);
    for (const param of ["after", "reportsAfter", "decisionsAfter"])
      await expectGarbageRefused(moderationLoader, "/admin/moderation", admin.cookie, param);
    await expectMembersRefused(moderationLoader, "/admin/moderation");
    await expectMembersRefused(moderationLoader, `/admin/moderation?after=not-base64!`);
  });
});

describe("admin orders, a page at a time", () => {
  const STATUSES = ["paid", "pending_payment", "refunded", "paid", "cancelled"] as const;
  const isPaid = (i: number) => STATUSES[i % STATUSES.length] === "paid";

  it("walks every order newest first, ties broken by id, each with its own items", async () => {
    const buyers = await Promise.all([1, 2].map(() => createUser()));
    const ids = await createManyOrders({ buyerIds: buyers.map((b) => b.id), count: 23, statuses: STATUSES });
    const { ids: read, sizes } = await collectPages(orderCursor, (after) => allOrdersForAdmin({ after, size: 6 }));
    expect(read).toEqual(documentedOrder(ids, "desc"));
    expect(sizes).toEqual([6, 6, 6, 5]);
    const { ids: readPaid } = await collectPages(orderCursor, (after) =>
      allOrdersForAdmin({ status: "paid", after, size: 4 }),
    );
    expect(readPaid).toEqual(documentedOrder(ids, "desc", isPaid));
  });

  it("keeps the status filter across pages, and a change returns to the order's page on its tab", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const buyer = await createUser();
    const ids = await createManyOrders({ buyerIds: [buyer.id], count: 3 * PAGE_SIZE + 10, statuses: STATUSES });
    const all = await walkRoute(adminOrdersLoader, "/admin/orders", admin.cookie, (d) => d.orders);
    expect(all.ids).toEqual(documentedOrder(ids, "desc"));
    expect(all.sizes).toEqual([PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, 10]);

    const onlyPaid = await walkRoute(adminOrdersLoader, "/admin/orders?status=paid", admin.cookie, (d) => d.orders);
    expect(onlyPaid.ids).toEqual(documentedOrder(ids, "desc", isPaid));
    expect(onlyPaid.items.every((o) => o.status === "paid")).toBe(true);
    expect(onlyPaid.sizes.length).toBeGreaterThan(1);

    const target = onlyPaid.items[PAGE_SIZE + 2]!;
    const updated = await settle(() =>
      adminOrdersAction({
        request: formRequest(
          "/admin/orders?status=paid",
          { intent: "fulfilment", orderId: target.id, fulfilment: "in_production", place: target.place as string },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(updated.status).toBe(302);
    const back = updated.response!.headers.get("Location")!;
    expect(back).toBe(`/admin/orders?status=paid&after=${target.place}`);
    const landed = await load(adminOrdersLoader, back, admin.cookie);
    expect(landed.data.orders.items[0]).toMatchObject({ id: target.id, fulfilment: "in_production" });
    expect(landed.data.isLaterPage).toBe(true);
    const [row] = await db.select().from(orders).where(eq(orders.id, target.id));
    expect(row?.fulfilment).toBe("in_production");
  });

  it("answers a cursor it did not make with a 400 and refuses members", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    await expectGarbageRefused(adminOrdersLoader, "/admin/orders", admin.cookie);
    await expectGarbageRefused(adminOrdersLoader, "/admin/orders?status=paid", admin.cookie);
    await expectMembersRefused(adminOrdersLoader, "/admin/orders");
    await expectMembersRefused(adminOrdersLoader, "/admin/orders?after=not-base64!");
  });
});

describe("admin payouts, a page at a time", () => {
  const STATUSES = ["requested", "paid", "requested", "rejected", "failed"] as const;

  it("shows waiting requests first by default, longest waiting first; other tabs newest first", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const designers = await Promise.all([1, 2].map(() => createUser()));
    const ids = await createManyPayouts({
      userIds: designers.map((d) => d.id),
      count: 3 * PAGE_SIZE + 7,
      statuses: STATUSES,
    });
    const inStatus = (status: string) => (i: number) => STATUSES[i % STATUSES.length] === status;

    const waiting = await walkRoute(adminPayoutsLoader, "/admin/payouts", admin.cookie, (d) => d.payouts);
    expect(waiting.ids).toEqual(documentedOrder(ids, "asc", inStatus("requested")));
    expect(waiting.sizes.length).toBeGreaterThan(1);
    const all = await walkRoute(adminPayoutsLoader, "/admin/payouts?status=all", admin.cookie, (d) => d.payouts);
    expect(all.ids).toEqual(documentedOrder(ids, "desc"));
    const paid = await walkRoute(adminPayoutsLoader, "/admin/payouts?status=paid", admin.cookie, (d) => d.payouts);
    expect(paid.ids).toEqual(documentedOrder(ids, "desc", inStatus("paid")));
    expect(paid.items.every((p) => p.status === "paid")).toBe(true);

    const { ids: read } = await collectPages(payoutCursor, (after) =>
      payoutsForAdmin({ status: "requested", after, size: 5 }),
    );
    expect(read).toEqual(documentedOrder(ids, "asc", inStatus("requested")));
    await expectPlacesLead(waiting.items.slice(3, 9), (place) =>
      payoutsForAdmin({
        status: "requested",
        after: place ? cursorParam(payoutCursor).parse(place) : undefined,
        size: 5,
      }),
    );
  });

  it("marks a waiting request paid and returns to the page it was on", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const designer = await createUser();
    const ids = await createManyPayouts({ userIds: [designer.id], count: PAGE_SIZE + 8 });
    const waiting = await walkRoute(adminPayoutsLoader, "/admin/payouts", admin.cookie, (d) => d.payouts);
    expect(waiting.ids).toEqual(documentedOrder(ids, "asc"));
    const target = waiting.items[PAGE_SIZE + 3]!;
    const done = await settle(() =>
      adminPayoutsAction({
        request: formRequest(
          "/admin/payouts",
          { payoutId: target.id, intent: "paid", note: "bank transfer 4471", place: target.place as string },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    const back = done.response!.headers.get("Location")!;
    expect(back).toBe(`/admin/payouts?after=${target.place}`);
    const landed = await load(adminPayoutsLoader, back, admin.cookie);
    expect(landed.data.payouts.items.map((p: Listed) => p.id)).toEqual(waiting.ids.slice(PAGE_SIZE + 4));
    const [row] = await db.select().from(payoutRequests).where(eq(payoutRequests.id, target.id));
    expect(row?.status).toBe("paid");

    // On another tab, the tab is kept; a note that does not pass still returns to the request's page.
    const declined = await settle(() =>
      adminPayoutsAction({
        request: formRequest(
          "/admin/payouts?status=all",
          { payoutId: waiting.ids[2]!, intent: "reject", note: "  ", place: waiting.items[2]!.place as string },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(declined.response!.headers.get("Location")).toBe(
      `/admin/payouts?status=all&after=${waiting.items[2]!.place}`,
    );
  });

  it("answers a cursor it did not make with a 400 and refuses members", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    await expectGarbageRefused(adminPayoutsLoader, "/admin/payouts", admin.cookie);
    await expectGarbageRefused(adminPayoutsLoader, "/admin/payouts?status=all", admin.cookie);
    await expectMembersRefused(adminPayoutsLoader, "/admin/payouts");
    await expectMembersRefused(adminPayoutsLoader, "/admin/payouts?after=not-base64!");
  });
});

describe("a member's own lists, a page at a time", () => {
  it("walks a member's notifications newest first, only theirs, and counts every unread one", async () => {
    const member = await createLoggedInUser();
    const other = await createUser();
    const ids = await createManyNotifications({ userId: member.user.id, count: PAGE_SIZE + 9 });
    await createManyNotifications({ userId: other.id, count: 5 });
    const { ids: read } = await collectPages(notificationCursor, (after) =>
      notificationsFor(member.user.id, { after, size: 5 }),
    );
    expect(read).toEqual(documentedOrder(ids, "desc"));
    const walked = await walkRoute(notificationsLoader, "/notifications", member.cookie, (d) => d.items);
    expect(walked.ids).toEqual(documentedOrder(ids, "desc"));
    expect(walked.sizes).toEqual([PAGE_SIZE, 9]);
    const first = await load(notificationsLoader, "/notifications", member.cookie);
    expect(first.data.unread).toBe(PAGE_SIZE + 9);
    await expectGarbageRefused(notificationsLoader, "/notifications", member.cookie);
  });

  it("walks a buyer's orders newest first, only theirs", async () => {
    const buyer = await createLoggedInUser();
    const other = await createUser();
    const ids = await createManyOrders({ buyerIds: [buyer.user.id], count: PAGE_SIZE + 4 });
    await createManyOrders({ buyerIds: [other.id], count: 6 });
    const { ids: read } = await collectPages(orderCursor, (after) => ordersForBuyer(buyer.user.id, { after, size: 7 }));
    expect(read).toEqual(documentedOrder(ids, "desc"));
    const walked = await walkRoute(buyerOrdersLoader, "/orders", buyer.cookie, (d) => d.orders);
    expect(walked.ids).toEqual(documentedOrder(ids, "desc"));
    expect(walked.sizes).toEqual([PAGE_SIZE, 4]);
    await expectGarbageRefused(buyerOrdersLoader, "/orders", buyer.cookie);
  });

  it("walks a designer's payout requests newest first, only theirs", async () => {
    const designer = await createLoggedInUser();
    const other = await createUser();
    const ids = await createManyPayouts({
      userIds: [designer.user.id],
      count: PAGE_SIZE + 2,
      statuses: ["paid", "rejected"],
    });
    await createManyPayouts({ userIds: [other.id], count: 4 });
    const { ids: read } = await collectPages(payoutCursor, (after) => payoutsFor(designer.user.id, { after, size: 5 }));
    expect(read).toEqual(documentedOrder(ids, "desc"));
    const walked = await walkRoute(buyerPayoutsLoader, "/account/payouts", designer.cookie, (d) => d.history);
    expect(walked.ids).toEqual(documentedOrder(ids, "desc"));
    expect(walked.sizes).toEqual([PAGE_SIZE, 2]);
    await expectGarbageRefused(buyerPayoutsLoader, "/account/payouts", designer.cookie);
  });
});
