/**
 * Node flags of production workers (scripts/start.ts). Plain node, no tsx hooks; see ADR 0009 for the heap sizes.
 * `LMS_WORKER_NODE_FLAGS` (space-separated) replaces them, e.g. "--max-old-space-size=1024" for a big box.
 */
export const DEFAULT_WORKER_FLAGS: readonly string[] = [];

export function workerNodeFlags(override = process.env.LMS_WORKER_NODE_FLAGS): string[] {
  if (override !== undefined && override.trim() !== "") return override.trim().split(/\s+/);
  return [...DEFAULT_WORKER_FLAGS];
}
