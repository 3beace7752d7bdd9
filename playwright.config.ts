import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./tests/e2e/chromium";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
const executablePath = await findChromium();

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
    },
  },
});
