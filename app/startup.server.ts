/**
 * Work done once per process after migrations and reference data, before the first request is served
 * (called from getDatabase). Keep it idempotent and fast: it runs on every start of every worker.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Database } from "#db/client";
import { contentDir, ContentBuildError } from "./courses/content.server";
import { syncCourses } from "./courses/sync.server";

export async function onDatabaseReady(database: Database): Promise<void> {
  await syncCourseContent(database);
}

/**
 * Courses and their versions from build/content (a read-only no-op when nothing changed). Unit tests run on a
 * bare database unless they point LMS_CONTENT_DIR at content of their own, so a local build never leaks into
 * them. Missing or broken content is reported, not fatal: the rest of the app keeps working.
 */
async function syncCourseContent(database: Database): Promise<void> {
  if (process.env.VITEST && !process.env.LMS_CONTENT_DIR) return;
  const dev = process.env.NODE_ENV === "development";
  if (!dev && !existsSync(path.join(contentDir(), "index.json"))) {
    console.warn(`Courses not synced: ${path.join(contentDir(), "index.json")} not found (run \`npm run courses:build\`).`);
    return;
  }
  try {
    await syncCourses(database);
  } catch (e) {
    if (!(e instanceof ContentBuildError)) throw e;
    console.warn(`Courses not synced: ${e.message}`);
  }
}
