/**
 * Work done once per process after migrations and reference data, before the first request is served
 * (called from getDatabase). Keep it idempotent and fast: it runs on every start of every worker.
 */
import type { Database } from "#db/client";

export async function onDatabaseReady(_database: Database): Promise<void> {
  // Course sync from build/content is added here by the course engine.
}
