import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildIsStale } from "./build-state";

function tree() {
  const root = mkdtempSync(path.join(os.tmpdir(), "build-state-"));
  mkdirSync(path.join(root, "app/routes"), { recursive: true });
  writeFileSync(path.join(root, "app/routes/x.tsx"), "x");
  return root;
}

function build(root: string, at: Date) {
  mkdirSync(path.join(root, "build/server"), { recursive: true });
  mkdirSync(path.join(root, "build/content"), { recursive: true });
  for (const f of ["build/server/index.js", "build/content/index.json"]) {
    writeFileSync(path.join(root, f), "{}");
    utimesSync(path.join(root, f), at, at);
  }
}

describe("buildIsStale", () => {
  it("asks for a build when there is none", () => {
    expect(buildIsStale(tree())).toBe("no production build");
  });

  it("accepts a build newer than every source and rejects one older than an edited source", () => {
    const root = tree();
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(root, "app/routes/x.tsx"), old, old);
    utimesSync(path.join(root, "app/routes"), old, old);
    utimesSync(path.join(root, "app"), old, old);
    build(root, new Date());
    expect(buildIsStale(root)).toBe(false);
    build(root, new Date(Date.now() - 120_000));
    expect(buildIsStale(root)).toBe("app changed since the last build");
  });
});

describe("buildIsStale and the worker bundle", () => {
  it("rebuilds when the Express server the workers bundle changed", () => {
    const root = tree();
    const old = new Date(Date.now() - 60_000);
    for (const p of ["app/routes/x.tsx", "app/routes", "app"]) utimesSync(path.join(root, p), old, old);
    mkdirSync(path.join(root, "scripts"));
    writeFileSync(path.join(root, "scripts/server.ts"), "x");
    utimesSync(path.join(root, "scripts/server.ts"), old, old);
    build(root, new Date(Date.now() - 30_000));
    expect(buildIsStale(root)).toBe(false);
    writeFileSync(path.join(root, "scripts/server.ts"), "y");
    expect(buildIsStale(root)).toBe("scripts/server.ts changed since the last build");
  });
});
