import { describe, expect, it } from "vitest";
import { parseEnv } from "~/lib/env.server";

describe("parseEnv", () => {
  it("runs with nothing set: PGlite under ./data, port 3000", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe("./data");
    expect(env.PORT).toBe(3000);
    expect(env.NODE_ENV).toBe("development");
  });

  it("names each malformed variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "eighty" })).toThrow(/DATABASE_URL: DATABASE_URL must start with postgres/);
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ COOKIE_SECRET: "short" })).toThrow(/COOKIE_SECRET must be at least 32 characters/);
  });

  it("treats an empty value as unset and normalises APP_ORIGIN", () => {
    const env = parseEnv({ DATABASE_URL: "", APP_ORIGIN: "https://shop.example/some/path" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.APP_ORIGIN).toBe("https://shop.example");
  });
});
