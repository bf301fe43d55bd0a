/**
 * `npm start`: builds if build/ is missing, prepares the database (migrations, reference data, the demo seed
 * once on a brand-new database), prints the demo logins, then serves on HOST:PORT (127.0.0.1:3000 by default).
 * WEB_CONCURRENCY > 1 forks one worker per process after the database is ready; sessions live in the database,
 * so any worker can serve any request.
 */
import cluster from "node:cluster";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { buildIsStale } from "./build-state";
import { serveClusterWriteLock } from "../db/cluster-write-lock";
import { demoAccounts, isDemoSeeded, seedDemo } from "../db/seed/demo";
import { exitOnConfigError, prepareDatabase } from "./prepare-db";
import { BUILD_DIR, listenOrExit } from "./server";
import { workerNodeFlags } from "./worker-flags";

process.env.NODE_ENV ??= "production";
const HOST = process.env.HOST || "127.0.0.1";
const PORT = Number(process.env.PORT || 3000);
const WORKERS = Math.max(1, Number(process.env.WEB_CONCURRENCY || 1));

function ensureBuild() {
  const stale = buildIsStale(path.dirname(BUILD_DIR));
  if (!stale) return;
  console.log(`Building (${stale}; about half a minute)…`);
  const r = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) {
    console.error("Error: the build failed (see the messages above); fix them and run npm start again.");
    process.exit(1);
  }
}

function printAccounts(created: boolean) {
  const accounts = demoAccounts();
  console.log(created ? "Demo data created. Demo logins (one per role):" : "Demo logins (demo data created at first start):");
  const w = Math.max(...accounts.map((a) => a.username.length));
  for (const a of accounts) console.log(`  ${a.role.padEnd(8)} ${a.username.padEnd(w)}  password: ${a.password}   (${a.displayName}, scope ${a.scope})`);
}

async function primary() {
  // The database first: a wrong DATABASE_URL or an unwritable data directory fails in one sentence, at once.
  const database = await prepareDatabase().catch(exitOnConfigError);
  ensureBuild();
  if (process.env.DEMO_SEED !== "0") {
    const created = await seedDemo(database);
    if (created) printAccounts(true);
    else if (await isDemoSeeded(database)) printAccounts(false);
    else console.log("Existing database without demo data: demo seed skipped.");
  }
  database.close();
  console.log(`Database: ${database.url}`);
  if (WORKERS > 1) {
    // Workers take turns to write through this process (db/cluster-write-lock.ts) instead of busy-waiting in SQLite.
    serveClusterWriteLock();
    // Workers accept connections themselves (ADR 0016). Node's default round robin has the primary accept every
    // connection and pass it to a worker over IPC, three messages per connection: at an exam rush, where thousands
    // of candidates each open connections within seconds, that was ~8 % of the workers' CPU. The kernel's spread is
    // less even, but a busy worker accepts less, so new connections go to the one with time to serve them.
    // NODE_CLUSTER_SCHED_POLICY=rr brings round robin back.
    if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
    setupWorkers();
    for (let i = 0; i < WORKERS; i++) cluster.fork();
    cluster.on("exit", (worker, code, signal) => {
      console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another.`);
      cluster.fork();
    });
    console.log(`Serving on http://${HOST}:${PORT} with ${WORKERS} workers`);
  } else {
    await listenOrExit(PORT, HOST);
    console.log(`Serving on http://${HOST}:${PORT}`);
  }
}

/**
 * Workers run the plain-JS bundle build/server/worker.js (scripts/build-server.ts) with plain `node`: loading the
 * server build through tsx's module hooks cost each worker ~100 MB of resident memory for nothing (ADR 0009).
 * An older build without the bundle falls back to forking this script under tsx.
 */
function setupWorkers() {
  const entry = path.join(BUILD_DIR, "server/worker.js");
  if (!existsSync(entry)) return;
  cluster.setupPrimary({ exec: entry, execArgv: workerNodeFlags() });
}

if (cluster.isPrimary) await primary();
else await listenOrExit(PORT, HOST);
