/**
 * Bundles the production worker entry (scripts/worker.ts → build/server/worker.js): our own TypeScript (the
 * Express server, precompressed assets) compiled to one ESM file; packages stay external and load from
 * node_modules. Workers then run with plain `node` instead of through tsx's module hooks (ADR 0009).
 *   tsx scripts/build-server.ts [OUTFILE]
 */
import path from "node:path";
import { build } from "esbuild";

export async function buildWorker(outfile = path.resolve("build/server/worker.js")): Promise<void> {
  await build({
    entryPoints: [path.resolve(import.meta.dirname, "worker.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const out = path.resolve(process.argv[2] ?? "build/server/worker.js");
  await buildWorker(out);
  console.log(`worker bundle → ${path.relative(process.cwd(), out)}`);
}
