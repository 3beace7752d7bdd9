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
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "eighty" })).toThrow(
      /DATABASE_URL: DATABASE_URL must start with postgres/,
    );
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ COOKIE_SECRET: "short" })).toThrow(/COOKIE_SECRET must be at least 32 characters/);
    expect(() => parseEnv({ SMTP_URL: "mail.example.com:587" })).toThrow(/SMTP_URL: SMTP_URL must look like smtp:\/\//);
    expect(() => parseEnv({ SMTP_URL: "smtps://user:pass@mail.example.com:465" })).toThrow(
      /APP_ORIGIN: SMTP_URL is set, so APP_ORIGIN is needed too/,
    );
    expect(
      parseEnv({ SMTP_URL: "smtps://user:pass@mail.example.com:465", APP_ORIGIN: "https://shop.example" }).SMTP_URL,
    ).toBe("smtps://user:pass@mail.example.com:465");
  });

  it("needs Printful's webhook secret with its API key, and a public origin in production", () => {
    expect(() => parseEnv({ PRINTFUL_API_KEY: "pf_0123456789abcdefghij" })).toThrow(
      /PRINTFUL_WEBHOOK_SECRET: PRINTFUL_API_KEY is set, so PRINTFUL_WEBHOOK_SECRET is needed too/,
    );
    expect(() => parseEnv({ PRINTFUL_API_KEY: "pf_0123456789abcdefghij", PRINTFUL_WEBHOOK_SECRET: "short" })).toThrow(
      /PRINTFUL_WEBHOOK_SECRET must be at least 24 characters/,
    );
    const printful = {
      PRINTFUL_API_KEY: "pf_0123456789abcdefghij",
      PRINTFUL_WEBHOOK_SECRET: "a-long-enough-secret-for-urls_42",
    };
    expect(() => parseEnv({ ...printful, NODE_ENV: "production" })).toThrow(/APP_ORIGIN: PRINTFUL_API_KEY is set/);
    expect(() => parseEnv({ ...printful, PRINTFUL_STORE_ID: "my store" })).toThrow(/PRINTFUL_STORE_ID must be/);
    expect(parseEnv(printful).PRINTFUL_API_URL).toBe("https://api.printful.com");
  });

  it("refuses several processes on PGlite, and S3 without credentials", () => {
    expect(() => parseEnv({ WEB_CONCURRENCY: "2" })).toThrow(
      /WEB_CONCURRENCY: WEB_CONCURRENCY above 1 needs DATABASE_URL/,
    );
    expect(parseEnv({ WEB_CONCURRENCY: "2", DATABASE_URL: "postgres://db/x" }).WEB_CONCURRENCY).toBe(2);
    expect(() => parseEnv({ S3_BUCKET: "art" })).toThrow(/S3_ACCESS_KEY_ID: S3_BUCKET is set/);
  });

  it("takes Stripe Tax only with a Stripe key, and leaves it off by default", () => {
    expect(parseEnv({}).STRIPE_AUTOMATIC_TAX).toBe(false);
    expect(() => parseEnv({ STRIPE_AUTOMATIC_TAX: "true" })).toThrow(
      /STRIPE_AUTOMATIC_TAX: STRIPE_AUTOMATIC_TAX is on/,
    );
    const stripe = { STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" };
    expect(parseEnv({ ...stripe, STRIPE_AUTOMATIC_TAX: "true" }).STRIPE_AUTOMATIC_TAX).toBe(true);
  });

  it("treats an empty value as unset and normalises APP_ORIGIN", () => {
    const env = parseEnv({ DATABASE_URL: "", APP_ORIGIN: "https://shop.example/some/path" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.APP_ORIGIN).toBe("https://shop.example");
  });

  it("takes a metrics token of 16 or more printable characters, and leaves /metrics off without one", () => {
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(() => parseEnv({ METRICS_TOKEN: "too-short" })).toThrow(
      /METRICS_TOKEN: METRICS_TOKEN must be at least 16 characters/,
    );
    expect(() => parseEnv({ METRICS_TOKEN: "sixteen chars ok" })).toThrow(
      /METRICS_TOKEN: METRICS_TOKEN must be printable ASCII without spaces/,
    );
    expect(parseEnv({ METRICS_TOKEN: "0123456789abcdef" }).METRICS_TOKEN).toBe("0123456789abcdef");
  });
});
