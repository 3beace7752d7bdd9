import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rounds, submissions } from "#db/schema";
import { createLoggedInUser, createRound, createSubmission, roundFormFields } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { action as moderationAction } from "~/routes/admin.moderation";
import { action as adminRoundAction, loader as adminRoundLoader } from "~/routes/admin.rounds.$id";
import { action as newRoundAction } from "~/routes/admin.rounds.new";
import { loader as roundLoader } from "~/routes/rounds.$slug";
import { loader as ballotsLoader } from "~/routes/rounds.$slug_.ballots[.]csv";
import { loader as resultsLoader } from "~/routes/rounds.$slug_.results";
import { action as submitAction, loader as submitLoader } from "~/routes/rounds.$slug_.submit";
import { action as uploadAction } from "~/routes/rounds.$slug_.upload";
import { action as submissionAction, loader as submissionLoader } from "~/routes/submissions.$id";
import { action as editAction, loader as editLoader } from "~/routes/submissions.$id_.edit";
import { action as voteAction, loader as voteLoader } from "~/routes/vote.$slug";

// What Remix hands a route for "/rounds/%00": the decoded NUL byte, which PostgreSQL cannot take.
const NUL = "\u0000";

describe("round and submission addresses that cannot name anything", () => {
  it("answers 404 for a NUL byte or a malformed slug, before any query", async () => {
    const member = await createLoggedInUser();
    const loaders = [
      [roundLoader, "/rounds/%00"],
      [resultsLoader, "/rounds/%00/results"],
      [ballotsLoader, "/rounds/%00/ballots.csv"],
      [voteLoader, "/vote/%00"],
      [submitLoader, "/rounds/%00/submit"],
    ] as const;
    for (const [loader, path] of loaders) {
      for (const slug of [NUL, "Not A Slug", "x".repeat(300)]) {
        const result = await settle(() =>
          loader({ request: getRequest(path, { cookie: member.cookie }), params: { slug }, context: context() }),
        );
        expect(result.status, `${path} with ${JSON.stringify(slug.slice(0, 12))}`).toBe(404);
      }
    }
    for (const action of [voteAction, submitAction, uploadAction]) {
      const result = await settle(() =>
        action({
          request: formRequest(
            "/vote/%00",
            { submissionId: crypto.randomUUID(), score: "3" },
            { cookie: member.cookie },
          ),
          params: { slug: NUL },
          context: context(),
        }),
      );
      expect(result.status).toBe(404);
    }
  });

  it("answers 404 for an id that is not a uuid", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    for (const id of [NUL, "not-a-uuid", "12345678-1234-1234-1234-12345678901%", "'; drop table rounds; --"]) {
      for (const loader of [submissionLoader, editLoader]) {
        const result = await settle(() =>
          loader({
            request: getRequest("/submissions/x", { cookie: admin.cookie }),
            params: { id },
            context: context(),
          }),
        );
        expect(result.status).toBe(404);
      }
      const page = await settle(() =>
        adminRoundLoader({
          request: getRequest("/admin/rounds/x", { cookie: admin.cookie }),
          params: { id },
          context: context(),
        }),
      );
      expect(page.status).toBe(404);
      const posted = await settle(() =>
        adminRoundAction({
          request: formRequest("/admin/rounds/x", { intent: "finalize" }, { cookie: admin.cookie }),
          params: { id },
          context: context(),
        }),
      );
      expect(posted.status).toBe(404);
    }
  });
});

describe("forms of the round pages refuse garbage with a 4xx", () => {
  it("refuses a ballot whose design id is not a uuid", async () => {
    const round = await createRound({ phase: "voting" });
    const voter = await createLoggedInUser();
    const result = await settle(() =>
      voteAction({
        request: formRequest(`/vote/${round.slug}`, { submissionId: NUL, score: "3" }, { cookie: voter.cookie }),
        params: { slug: round.slug },
        context: context(),
      }),
    );
    expect(result.status).toBe(400);
  });

  it("refuses unknown intents on every multi-form page", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const round = await createRound({ phase: "voting" });
    const id = crypto.randomUUID();
    const posts = [
      () =>
        moderationAction({
          request: formRequest("/admin/moderation", { intent: "nuke" }, { cookie: admin.cookie }),
          params: {},
          context: context(),
        }),
      () =>
        moderationAction({
          request: formRequest("/admin/moderation", {}, { cookie: admin.cookie }),
          params: {},
          context: context(),
        }),
      () =>
        adminRoundAction({
          request: formRequest(`/admin/rounds/${round.id}`, { intent: "delete-everything" }, { cookie: admin.cookie }),
          params: { id: round.id },
          context: context(),
        }),
      () =>
        adminRoundAction({
          request: formRequest(
            `/admin/rounds/${round.id}`,
            { intent: "schedule", change: "rewind" },
            { cookie: admin.cookie },
          ),
          params: { id: round.id },
          context: context(),
        }),
      () =>
        submissionAction({
          request: formRequest(`/submissions/${id}`, { intent: "publish" }, { cookie: admin.cookie }),
          params: { id },
          context: context(),
        }),
      () =>
        submissionAction({
          request: formRequest(`/submissions/${id}`, { intent: "critique", wanted: NUL }, { cookie: admin.cookie }),
          params: { id },
          context: context(),
        }),
      () =>
        voteAction({
          request: formRequest(`/vote/${round.slug}`, { intent: "erase", submissionId: id }, { cookie: admin.cookie }),
          params: { slug: round.slug },
          context: context(),
        }),
    ];
    for (const post of posts) expect((await settle(post)).status).toBe(400);
    // The schedule refusal did not move the clock.
    const [row] = await db.select().from(rounds).where(eq(rounds.id, round.id));
    expect(row!.votingClosesAt.toISOString()).toBe(round.votingClosesAt.toISOString());
  });

  it("refuses control characters in a round's text, on the field, and creates nothing", async () => {
    const admin = await createLoggedInUser({ role: "admin" });
    const result = await settle(() =>
      newRoundAction({
        request: formRequest("/admin/rounds/new", roundFormFields({ title: `Night${NUL}shift` }), {
          cookie: admin.cookie,
        }),
        params: {},
        context: context(),
      }),
    );
    expect(result.status).toBe(400);
    expect(result.data.result.error.title).toEqual(["Remove the invisible control characters from this text"]);
    expect(await db.select().from(rounds).where(eq(rounds.slug, "night-shift"))).toHaveLength(0);
  });

  it("refuses a NUL byte in a design's new title and in a rejection reason; the design stays as it was", async () => {
    const round = await createRound({ phase: "submissions" });
    const designer = await createLoggedInUser();
    const admin = await createLoggedInUser({ role: "admin" });
    const id = await createSubmission({ round, designerId: designer.user.id, title: "Harbour lights" });
    const edited = await settle(() =>
      editAction({
        request: formRequest(
          `/submissions/${id}/edit`,
          { title: `Harbour${NUL}`, description: "" },
          { cookie: designer.cookie },
        ),
        params: { id },
        context: context(),
      }),
    );
    expect(edited.status).toBe(400);
    const rejected = await settle(() =>
      moderationAction({
        request: formRequest(
          "/admin/moderation",
          { intent: "reject", submissionId: id, reason: `Off brief${NUL}entirely` },
          { cookie: admin.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(rejected.status).toBe(400);
    expect(rejected.data).toEqual({
      submissionId: id,
      errors: ["Remove the invisible control characters from this text"],
    });
    const [row] = await db.select().from(submissions).where(eq(submissions.id, id));
    expect(row).toMatchObject({ title: "Harbour lights", status: "pending" });
  });
});
