/**
 * Entry of a production worker process (WEB_CONCURRENCY > 1). Bundled to build/server/worker.js by
 * scripts/build-server.ts and started by scripts/start.ts with plain `node`, without tsx (ADR 0009).
 */
import { listenOrExit } from "./server";

await listenOrExit(Number(process.env.PORT || 3000), process.env.HOST || "127.0.0.1");
