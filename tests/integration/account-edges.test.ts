import { describe, expect, it } from "vitest";
import { createLoggedInUser } from "#tests/factories/index";
import { context, formRequest, getRequest, settle } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { reports, users } from "#db/schema";
import { action as accountAction } from "~/routes/account";
import { loader as designerLoader, action as designerAction } from "~/routes/designers.$username";
import { action as loginAction } from "~/routes/login";
import { loader as openNotification } from "~/routes/notifications.$id";
import { action as notificationsAction } from "~/routes/notifications";
import { action as reportAction } from "~/routes/report";
import { loader as resetLoader } from "~/routes/reset-password.$token";
import { action as settingsAction } from "~/routes/settings";
import { action as signupAction } from "~/routes/signup";

const NUL = "\u0000";

describe("account and community routes at the edge", () => {
  it("answers 404 for a designer or notification address that cannot name one", async () => {
    const member = await createLoggedInUser();
    for (const username of [NUL, "x'--", "é".repeat(300)]) {
      const page = await settle(() =>
        designerLoader({ request: getRequest(`/designers/x`), params: { username }, context: context() }),
      );
      expect(page.status).toBe(404);
      const posted = await settle(() =>
        designerAction({
          request: formRequest("/designers/x", { intent: "follow" }, { cookie: member.cookie }),
          params: { username },
          context: context(),
        }),
      );
      expect(posted.status).toBe(404);
    }
    for (const id of [NUL, "not-a-uuid", "-1"]) {
      const opened = await settle(() =>
        openNotification({
          request: getRequest("/notifications/x", { cookie: member.cookie }),
          params: { id },
          context: context(),
        }),
      );
      expect(opened.status).toBe(404);
    }
  });

  it("shows a reset link with a NUL byte as not valid (410), like any dead link", async () => {
    const page = await settle(() =>
      resetLoader({ request: getRequest("/reset-password/x"), params: { token: `abc${NUL}.def` }, context: context() }),
    );
    expect(page.status).toBe(410);
  });

  it("refuses control characters in log-in and sign-up fields with a 400 and stores nothing", async () => {
    const login = await settle(() =>
      loginAction({
        request: formRequest("/login", { email: `a${NUL}@example.com`, password: `pass${NUL}word` }),
        params: {},
        context: context(),
      }),
    );
    expect(login.status).toBe(400);
    const signup = await settle(() =>
      signupAction({
        request: formRequest("/signup", {
          email: "nul@example.com",
          username: `nul${NUL}`,
          password: "analytical engine 1843",
        }),
        params: {},
        context: context(),
      }),
    );
    expect(signup.status).toBe(400);
    expect(await db.select().from(users)).toHaveLength(0);
  });

  it("a log-in whose redirectTo cannot be read still logs in, and goes home", async () => {
    const member = await createLoggedInUser({ email: "edge@example.com" });
    const result = await settle(() =>
      loginAction({
        request: formRequest("/login", {
          email: "edge@example.com",
          password: "correct horse battery",
          redirectTo: `/cart${NUL}`,
        }),
        params: {},
        context: context(),
      }),
    );
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe("/");
    expect(member.user.id).toBeTruthy();
  });

  it("answers an unknown or missing intent with a 400 on every multi-form route", async () => {
    const member = await createLoggedInUser();
    type Action = (args: Parameters<typeof settingsAction>[0]) => Promise<unknown>;
    const post = (action: Action, path: string, fields: Record<string, string>, params = {}) =>
      settle(() =>
        action({ request: formRequest(path, fields, { cookie: member.cookie }), params, context: context() }),
      );
    for (const fields of [{}, { intent: "drop-tables" }, { intent: NUL }] as Record<string, string>[]) {
      expect((await post(settingsAction, "/settings", fields)).status).toBe(400);
      expect((await post(accountAction, "/account", fields)).status).toBe(400);
      expect((await post(notificationsAction, "/notifications", fields)).status).toBe(400);
      expect(
        (await post(designerAction, `/designers/${member.user.username}`, fields, { username: member.user.username }))
          .status,
      ).toBe(400);
    }
  });

  it("a report with a NUL in its note or return address is refused and goes back home", async () => {
    const member = await createLoggedInUser();
    const sent = await settle(() =>
      reportAction({
        request: formRequest(
          "/report",
          {
            subjectType: "user",
            subjectId: member.user.id,
            reason: "spam",
            note: `bad${NUL}`,
            redirectTo: `/designers/x${NUL}`,
          },
          { cookie: member.cookie },
        ),
        params: {},
        context: context(),
      }),
    );
    expect(sent.status).toBe(302);
    expect(sent.response!.headers.get("Location")).toBe("/");
    expect(await db.select().from(reports)).toHaveLength(0);
  });
});
