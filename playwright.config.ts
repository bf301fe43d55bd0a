import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3200);
const CHROMIUM = process.env.CHROMIUM_PATH || undefined;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.test.ts",
  outputDir: "test-results",
  workers: 1, // 2 cores, shared with the server
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  use: { baseURL: `http://127.0.0.1:${PORT}`, trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: CHROMIUM,
          args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    // The real `npm start` path (scripts/start.ts) on a fresh database: migrations, reference data, demo seed.
    command: "rm -rf data/e2e && node_modules/.bin/tsx scripts/start.ts",
    env: { DATABASE_URL: "file:data/e2e/lms.db", PORT: String(PORT), HOST: "127.0.0.1", NODE_ENV: "production" },
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
