import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { follows, notifications } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, createUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { feedFor } from "~/domain/follows.server";
import { approveSubmission } from "~/domain/moderation.server";
import { db } from "~/lib/db.server";
import { action as designerAction, loader as designerLoader } from "~/routes/designers.$username";

describe("follows and the home feed", () => {
  it("follows a designer, hears of their next approved design, and sees it in the feed", async () => {
    const fan = await createLoggedInUser();
    const designer = await createUser({ username: "muralist" });
    const admin = await createUser({ role: "admin" });
    const act = (intent: string) => settle(() => designerAction({ request: formRequest("/designers/muralist", { intent }, { cookie: fan.cookie }), params: { username: "muralist" }, context: context() }));
    await act("follow");
    await act("follow");
    expect(await db.select().from(follows)).toHaveLength(1);
    const profile = await settle(() => designerLoader({ request: getRequest("/designers/muralist", { cookie: fan.cookie }), params: { username: "muralist" }, context: context() }));
    expect(profile.data).toMatchObject({ followers: 1, following: true });

    const round = await createRound({ phase: "submissions" });
    const id = await createSubmission({ round, designerId: designer.id, title: "Wall of Birds", seed: 970 });
    expect(await feedFor(fan.user.id)).toHaveLength(0);
    await approveSubmission(id, admin.id);
    expect(await db.select().from(notifications).where(eq(notifications.userId, fan.user.id))).toMatchObject([
      { kind: "new_design", title: '@muralist has a new design: "Wall of Birds"', url: `/submissions/${id}` },
    ]);
    expect(await feedFor(fan.user.id)).toMatchObject([{ kind: "design", id, designer: "muralist" }]);

    await act("unfollow");
    expect(await feedFor(fan.user.id)).toHaveLength(0);
  });

  it("shows new designs in rounds one has entered, not one's own", async () => {
    const me = await createUser();
    const other = await createUser();
    const admin = await createUser({ role: "admin" });
    const round = await createRound({ phase: "submissions" });
    await createSubmission({ round, designerId: me.id, seed: 971, moderate: { adminId: admin.id, decision: "approved" } });
    const theirs = await createSubmission({ round, designerId: other.id, seed: 972, moderate: { adminId: admin.id, decision: "approved" } });
    expect((await feedFor(me.id)).map((i) => i.id)).toEqual([theirs]);
  });

  it("cannot follow oneself", async () => {
    const me = await createLoggedInUser({ username: "narcissus" });
    await settle(() => designerAction({ request: formRequest("/designers/narcissus", { intent: "follow" }, { cookie: me.cookie }), params: { username: "narcissus" }, context: context() }));
    expect(await db.select().from(follows)).toHaveLength(0);
  });
});
