import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting Crowdthread reads, validated once. With no variables at all the
 * app runs on PGlite under ./data with the local providers; each real service
 * is switched on by setting its variables.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: positiveInt.max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    APP_ORIGIN: z
      .url({ protocol: /^https?$/, error: "APP_ORIGIN must be an http(s) URL such as https://crowdthread.example" })
      .optional()
      .transform((v) => (v ? new URL(v).origin : undefined)),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
      .optional(),
    // Four: more connections than the database has cores only queue inside PostgreSQL (ADR 011, third pass).
    DATABASE_POOL_SIZE: positiveInt.max(200).default(4),
    WEB_CONCURRENCY: positiveInt.max(64).default(1),
    DATA_DIR: z.string().min(1).default("./data"),
    PGLITE_DATA_DIR: z.string().min(1).optional(),
    COOKIE_SECRET: z.string().min(32, "COOKIE_SECRET must be at least 32 characters").optional(),
    SESSION_INACTIVITY_DAYS: positiveInt.max(400).default(30),
    TRUST_PROXY: bool.default(false),
    LOGIN_RATE_LIMIT: positiveInt.default(10),
    LOGIN_RATE_WINDOW_MINUTES: positiveInt.default(15),
    SIGNUP_RATE_LIMIT: positiveInt.default(5),
    SIGNUP_RATE_WINDOW_MINUTES: positiveInt.default(60),
    LOG_REQUESTS: bool.default(true),
    VOTER_MIN_ACCOUNT_AGE_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 365)
      .default(24),
    BALLOTS_PER_MINUTE: positiveInt.default(30),
    ROUNDS_TICK_SECONDS: z.coerce.number().int().min(0).default(30),
    STRIPE_SECRET_KEY: z.string().startsWith("sk_", "STRIPE_SECRET_KEY must be a secret key (sk_…)").optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "STRIPE_WEBHOOK_SECRET must start with whsec_").optional(),
    STRIPE_API_HOST: z.string().min(1).optional(),
    STRIPE_API_PORT: z.coerce.number().int().positive().optional(),
    STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
    /** Stripe Tax works out the tax in Checkout instead of the admins' rates (it must be set up in Stripe). */
    STRIPE_AUTOMATIC_TAX: bool.default(false),
    PRINTFUL_API_KEY: z.string().min(20, "PRINTFUL_API_KEY must be a Printful private token").optional(),
    PRINTFUL_STORE_ID: z
      .string()
      .regex(/^\d{1,12}$/, "PRINTFUL_STORE_ID must be the store's number")
      .optional(),
    PRINTFUL_WEBHOOK_SECRET: z
      .string()
      .min(24, "PRINTFUL_WEBHOOK_SECRET must be at least 24 characters (it authenticates Printful's webhook)")
      .regex(/^[A-Za-z0-9_-]+$/, "PRINTFUL_WEBHOOK_SECRET must be letters, digits, - and _ (it travels in a URL)")
      .optional(),
    PRINTFUL_API_URL: z
      .url({ protocol: /^https?$/, error: "PRINTFUL_API_URL must be an http(s) URL" })
      .default("https://api.printful.com"),
    FULFILMENT_TICK_SECONDS: z.coerce.number().int().min(0).default(30),
    REPORTS_PER_HOUR: positiveInt.default(10),
    /** Supports (and withdrawals) of round proposals a member may give in an hour. */
    PROPOSAL_SUPPORTS_PER_HOUR: positiveInt.default(60),
    /** Round proposals a member may publish in a day (each runs its mood images through the pipeline). */
    PROPOSALS_PER_DAY: positiveInt.default(5),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
      .optional(),
    MAIL_FROM: z.string().min(3).default("Crowdthread <no-reply@crowdthread.localhost>"),
    MAIL_TICK_SECONDS: z.coerce.number().int().min(0).default(5),
    MAIL_MAX_ATTEMPTS: positiveInt.max(20).default(6),
    PASSWORD_RESETS_PER_HOUR: positiveInt.default(5),
    PAYOUT_MINIMUM_CENTS: z.coerce.number().int().min(1).default(2000),
    REFUND_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
    UPLOAD_MAX_MB: positiveInt.max(200).default(25),
    IMAGE_MAX_PIXELS: positiveInt.default(60_000_000),
    IMAGE_CONCURRENCY: positiveInt.max(16).default(2),
    /** How often a server looks for AVIF renditions still to make (left by a crash, a script or another server); 0 turns its worker off. */
    AVIF_TICK_SECONDS: z.coerce.number().int().min(0).default(30),
    S3_BUCKET: z.string().min(1).optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_ENDPOINT: z.url({ error: "S3_ENDPOINT must be a URL such as https://s3.example.com" }).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    S3_PUBLIC_URL: z.url({ error: "S3_PUBLIC_URL must be a URL" }).optional(),
    METRICS_TOKEN: z
      .string()
      .min(16, "METRICS_TOKEN must be at least 16 characters (the scraper sends it as a bearer token)")
      .regex(/^[\x21-\x7e]+$/, "METRICS_TOKEN must be printable ASCII without spaces (it travels in an HTTP header)")
      .optional(),
  })
  .refine((env) => env.WEB_CONCURRENCY === 1 || env.DATABASE_URL, {
    path: ["WEB_CONCURRENCY"],
    message: "WEB_CONCURRENCY above 1 needs DATABASE_URL: PGlite is a single-process database",
  })
  .refine((env) => !env.STRIPE_SECRET_KEY || env.STRIPE_WEBHOOK_SECRET, {
    path: ["STRIPE_WEBHOOK_SECRET"],
    message: "STRIPE_SECRET_KEY is set, so STRIPE_WEBHOOK_SECRET is needed too (orders are marked paid by the webhook)",
  })
  .refine((env) => !env.STRIPE_AUTOMATIC_TAX || env.STRIPE_SECRET_KEY, {
    path: ["STRIPE_AUTOMATIC_TAX"],
    message: "STRIPE_AUTOMATIC_TAX is on, so STRIPE_SECRET_KEY is needed too (Stripe Tax works in Stripe Checkout)",
  })
  .refine((env) => !env.PRINTFUL_API_KEY || env.PRINTFUL_WEBHOOK_SECRET, {
    path: ["PRINTFUL_WEBHOOK_SECRET"],
    message:
      "PRINTFUL_API_KEY is set, so PRINTFUL_WEBHOOK_SECRET is needed too (orders are marked shipped by the webhook)",
  })
  .refine((env) => !env.PRINTFUL_API_KEY || env.APP_ORIGIN || env.NODE_ENV !== "production", {
    path: ["APP_ORIGIN"],
    message: "PRINTFUL_API_KEY is set, so APP_ORIGIN is needed too (Printful downloads the print files from there)",
  })
  .refine((env) => !env.SMTP_URL || env.APP_ORIGIN, {
    path: ["APP_ORIGIN"],
    message: "SMTP_URL is set, so APP_ORIGIN is needed too (the links in emails point there)",
  })
  .refine((env) => !env.S3_BUCKET || (env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY), {
    path: ["S3_ACCESS_KEY_ID"],
    message: "S3_BUCKET is set, so S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are needed too",
  });

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Parses process.env; throws an Error naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as unset, as a shell's `FOO= npm start` intends.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Test hook: forget the parsed environment so a changed process.env is read again. */
export function resetEnvCache() {
  cached = undefined;
}

/** The only values that reach the browser. */
export function getPublicEnv() {
  const env = getEnv();
  return { mode: env.NODE_ENV } as const;
}
