import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./tests/e2e/chromium";
import { PRINTFUL_DOUBLE } from "./tests/support/printful-double";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
const executablePath = await findChromium();

/**
 * Fulfilment goes to the runner's Printful double (scripts/e2e.ts), set up as
 * a shop owner sets up the real service; nothing sends on a timer, so a test
 * decides when an order goes. Without the double, fulfilment stays manual.
 */
const printfulEnv: Record<string, string> = process.env.E2E_PRINTFUL_URL
  ? {
      PRINTFUL_API_URL: process.env.E2E_PRINTFUL_URL,
      PRINTFUL_API_KEY: PRINTFUL_DOUBLE.apiKey,
      PRINTFUL_STORE_ID: PRINTFUL_DOUBLE.storeId,
      PRINTFUL_WEBHOOK_SECRET: PRINTFUL_DOUBLE.webhookSecret,
      FULFILMENT_TICK_SECONDS: "0",
      // Printful downloads print files from links built on the public origin.
      APP_ORIGIN: baseURL,
    }
  : {};

// Run through `npm run test:e2e`, which finds a browser, builds, and gives the
// run a fresh database; DATABASE_URL then points at it for server and tests.
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  expect: { timeout: 7_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    },
  ],
  webServer: {
    command: "npx tsx server.ts",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      LOG_REQUESTS: "false",
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      // PGlite behind its socket multiplexes connections; one keeps statements in order.
      DATABASE_POOL_SIZE: process.env.E2E_DATABASE_POOL_SIZE ?? "10",
      DATA_DIR: process.env.E2E_DATA_DIR ?? "./data/e2e",
      // Rounds finalize when a test says so (the admin's button or the cron script), never on the server's
      // own 30 s timer: it raced the integrity spec's "Finalize now" and won once in CI.
      ROUNDS_TICK_SECONDS: "0",
      ...printfulEnv,
    },
  },
});
