import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pauseRequested, testPause } from "./test-pause.server";

describe("crash-test pause point", () => {
  it("is ignored outside NODE_ENV=test, even with the variables set", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pause-"));
    const env: NodeJS.ProcessEnv = { NODE_ENV: "production", LMS_TEST_PAUSE_AT: "roster.commit", LMS_TEST_PAUSE_DIR: dir, LMS_TEST_PAUSE_MS: "5000" };
    expect(pauseRequested("roster.commit", env)).toBe(false);
    const t0 = Date.now();
    await testPause("roster.commit", env);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(existsSync(path.join(dir, "roster.commit"))).toBe(false);
  });

  it("under NODE_ENV=test pauses only at the named point and leaves a marker file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pause-"));
    const env: NodeJS.ProcessEnv = { NODE_ENV: "test", LMS_TEST_PAUSE_AT: "roster.commit", LMS_TEST_PAUSE_DIR: dir, LMS_TEST_PAUSE_MS: "50" };
    expect(pauseRequested("certificates.bulk", env)).toBe(false);
    await testPause("certificates.bulk", env);
    expect(existsSync(path.join(dir, "certificates.bulk"))).toBe(false);
    await testPause("roster.commit", env);
    expect(existsSync(path.join(dir, "roster.commit"))).toBe(true);
  });
});
