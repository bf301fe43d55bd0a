/**
 * Bundles the production worker entry (scripts/worker.ts → build/server/worker.js): our own TypeScript (the
 * Express server, precompressed assets) compiled to one ESM file; packages stay external and load from
 * node_modules. Workers then run with plain `node` instead of through tsx's module hooks (ADR 0009).
 * Also bundles the lesson page's one script (app/courses/lesson.entry.client.ts → build/client/assets/lesson-<hash>.js,
 * ADR 0017) and records its URL in build/server/lesson-script.json for the server.
 *   tsx scripts/build-server.ts [OUTFILE]
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/** The lesson script for browsers: one minified ES module with a content hash in its name. Returns its URL. */
export async function buildLessonScript(buildDir = path.resolve("build")): Promise<string> {
  const result = await build({
    entryPoints: [path.resolve(import.meta.dirname, "../app/courses/lesson.entry.client.ts")],
    outdir: path.join(buildDir, "client/assets"),
    entryNames: "lesson-[hash]",
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: ["es2020"],
    metafile: true,
    logLevel: "warning",
  });
  const out = Object.keys(result.metafile.outputs).find((f) => f.endsWith(".js"));
  if (!out) throw new Error("esbuild produced no lesson script");
  const src = `/assets/${path.basename(out)}`;
  writeFileSync(path.join(buildDir, "server/lesson-script.json"), JSON.stringify({ src }) + "\n");
  return src;
}

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
  console.log(`lesson script → ${await buildLessonScript(path.resolve("build"))}`);
}
