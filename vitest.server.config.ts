/**
 * Server-level tests (tests/server): crash safety under SIGKILL, request limits, headers and the bad-input corpus
 * over HTTP. Each starts the production server (scripts/start.ts on build/), so `npm test` runs them after the
 * build, before Playwright (scripts/test.ts). One file at a time: they each run a server on the 2 shared cores.
 */
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/server/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
