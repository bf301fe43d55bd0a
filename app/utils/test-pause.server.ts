/**
 * A pause point for the crash tests (tests/server/crash.test.ts): lets a test stop the server with SIGKILL at a
 * known moment INSIDE a write transaction, after part of the work is written and before it commits.
 *
 * Honoured only when NODE_ENV=test and LMS_TEST_PAUSE_AT names this point; everywhere else it returns at once
 * and does nothing (a production server ignores the variables). When honoured it creates the file
 * `<LMS_TEST_PAUSE_DIR>/<point>` (so the test knows the write is under way) and then waits
 * LMS_TEST_PAUSE_MS (default 60 s) — long enough for the test to kill the process.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export type PausePoint = "roster.commit" | "certificates.bulk";

export function pauseRequested(point: PausePoint, env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === "test" && env.LMS_TEST_PAUSE_AT === point && !!env.LMS_TEST_PAUSE_DIR;
}

export async function testPause(point: PausePoint, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!pauseRequested(point, env)) return;
  const dir = env.LMS_TEST_PAUSE_DIR!;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, point), String(process.pid));
  const ms = Number(env.LMS_TEST_PAUSE_MS ?? 60_000);
  await new Promise((r) => setTimeout(r, Number.isFinite(ms) && ms > 0 ? ms : 60_000));
}
