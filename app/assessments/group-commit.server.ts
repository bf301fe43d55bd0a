/**
 * Group commit for the autosave hot path. At a deadline rush thousands of candidates save at once; one
 * `database.write` per save spends most of its time on the transaction itself (BEGIN IMMEDIATE, COMMIT, the
 * writer queue). Saves that arrive while the writer is busy are gathered and applied in the next single write,
 * each with its own checks, and every caller is answered only after that write committed, so an acknowledged
 * save is always durable. An unexpected database error fails the whole batch (every caller gets it and the
 * browser retries); expected refusals are results, not errors, so they never take the batch down.
 */
import type { Database, Tx } from "~/db.server";

export function createGroupCommit<I, O>(
  getDatabase: () => Promise<Database>,
  apply: (tx: Tx, item: I) => Promise<O>,
  maxBatch = 500,
) {
  type Waiting = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let waiting: Waiting[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    let batch: Waiting[] = [];
    try {
      const database = await getDatabase();
      const results = await database.write(async (tx) => {
        // Everything that queued up while this write waited for the writer joins it; later arrivals go next.
        batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        scheduled = false;
        if (waiting.length > 0) schedule();
        const out: O[] = [];
        for (const w of batch) out.push(await apply(tx, w.item));
        return out;
      });
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (e) {
      if (batch.length === 0) {
        // The write never started (database unavailable): fail what was waiting rather than hang it.
        batch = waiting;
        waiting = [];
        scheduled = false;
      }
      for (const w of batch) w.reject(e);
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    void flush();
  }

  return function submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
  };
}
