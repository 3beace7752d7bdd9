import { describe, expect, it } from "vitest";
import { createLoggedInUser } from "#tests/factories/index";
import { context, getRequest, settle } from "#tests/support/requests";
import { loader as adminIndexLoader } from "~/routes/admin._index";
import { loader as adminLayoutLoader } from "~/routes/admin";

describe("admin area", () => {
  for (const [name, loader] of [
    ["layout", adminLayoutLoader],
    ["overview", adminIndexLoader],
  ] as const) {
    it(`${name}: a member gets 403 and no data`, async () => {
      const member = await createLoggedInUser();
      const result = await settle(() =>
        loader({ request: getRequest("/admin", { cookie: member.cookie }), params: {}, context: context() }),
      );
      expect(result.status).toBe(403);
      expect(result.data).toBeUndefined();
    });

    it(`${name}: a visitor is sent to log in`, async () => {
      const result = await settle(() => loader({ request: getRequest("/admin"), params: {}, context: context() }));
      expect(result.status).toBe(302);
      expect(result.response!.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin");
    });
  }

  it("an admin sees the overview", async () => {
    const admin = await createLoggedInUser({ role: "admin", username: "boss" });
    await createLoggedInUser({ username: "someone" });
    const result = await settle(() =>
      adminIndexLoader({ request: getRequest("/admin", { cookie: admin.cookie }), params: {}, context: context() }),
    );
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ members: 2, admins: 1, activeSessions: 2 });
    expect(result.data.newest.map((m: { username: string }) => m.username).sort()).toEqual(["boss", "someone"]);
  });
});
