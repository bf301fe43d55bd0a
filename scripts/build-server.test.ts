import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { buildLessonScript, buildWorker } from "./build-server";
import { workerNodeFlags } from "./worker-flags";

test("the worker bundle is plain JS: our TypeScript inlined, packages and node builtins imported, no tsx", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "worker-bundle-"));
  try {
    const out = path.join(dir, "worker.js");
    await buildWorker(out);
    const js = await readFile(out, "utf8");
    const imports = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(imports).toContain("express");
    expect(imports).toContain("@remix-run/express");
    expect(imports.filter((i) => i.startsWith(".") || i.endsWith(".ts") || i.includes("tsx"))).toEqual([]);
    expect(js).toContain("listenOrExit");
    expect(js).toContain("function precompressed(");
    expect(js).not.toMatch(/\binterface\b|: string\)/); // no TypeScript syntax left
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("worker node flags: defaults, or LMS_WORKER_NODE_FLAGS split on spaces", () => {
  expect(workerNodeFlags("")).toEqual(workerNodeFlags(undefined));
  expect(workerNodeFlags("  --max-old-space-size=1024   --max-semi-space-size=4 ")).toEqual(["--max-old-space-size=1024", "--max-semi-space-size=4"]);
  expect(workerNodeFlags(undefined).some((f) => f.includes("tsx"))).toBe(false);
});

test("the lesson script: one small browser module with a hashed name, recorded for the server", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lesson-script-"));
  try {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path.join(dir, "server"), { recursive: true });
    const src = await buildLessonScript(dir);
    expect(src).toMatch(/^\/assets\/lesson-[A-Z0-9]+\.js$/);
    expect(JSON.parse(await readFile(path.join(dir, "server/lesson-script.json"), "utf8"))).toEqual({ src });
    const js = await readFile(path.join(dir, "client", src), "utf8");
    // The page's behaviour is in it, React is not (the plain lesson page has no hydration).
    expect(js).toContain("lms:section:");
    expect(js).toContain("lms:progress-queue");
    expect(js).toContain("/sw.js");
    expect(js).not.toMatch(/react-dom|__remixContext/);
    expect(js.length).toBeLessThan(12_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
