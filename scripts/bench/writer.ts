/**
 * Child process of the "writes" scenario: opens the database through db/client.ts like a server worker does and
 * runs `concurrency` loops of one-row write transactions (a lucia session insert, the app's most common write)
 * through `database.write`, from `startAt` for `durationMs` (and at most `maxWrites`). Prints one JSON line with
 * the latencies, then deletes the rows it wrote. Several of these run at once to contend across processes.
 */
import { eq, like } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { sessions, users } from "../../db/schema";

interface WriterJob {
  startAt: number;
  durationMs: number;
  concurrency: number;
  maxWrites: number;
  username: string;
  tag: string;
}

const job = JSON.parse(process.env.BENCH_WRITER_JOB ?? "{}") as WriterJob;
const database = await openDatabase(process.env.DATABASE_URL);
const [user] = await database.read.select({ id: users.id }).from(users).where(eq(users.username, job.username));
if (!user) throw new Error(`writer: no user ${job.username}`);

const latencies: number[] = [];
const errors: string[] = [];
let issued = 0;
await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - Date.now())));
const started = performance.now();
const deadline = Date.now() + job.durationMs;
const expiresAt = Math.floor(Date.now() / 1000) + 3600;

async function loop(k: number) {
  let i = 0;
  while (Date.now() < deadline && issued < job.maxWrites) {
    issued++;
    const id = `bench-${job.tag}-${k}-${i++}`;
    const t = performance.now();
    try {
      await database.write((tx) => tx.insert(sessions).values({ id, userId: user!.id, expiresAt }));
      latencies.push(performance.now() - t);
    } catch (e) {
      errors.push(e instanceof Error ? e.message.split("\n")[0]! : String(e));
    }
  }
}
await Promise.all(Array.from({ length: job.concurrency }, (_, k) => loop(k)));
const elapsedMs = performance.now() - started;
await database.write((tx) => tx.delete(sessions).where(like(sessions.id, `bench-${job.tag}-%`)));
database.close();
process.stdout.write(`${JSON.stringify({ writes: latencies.length, errors: errors.length, errorSample: errors.slice(0, 3), elapsedMs, latencies })}\n`);
