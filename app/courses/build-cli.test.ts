import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { runBuildContent } from "./build-cli.server";

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
};
const FIX = "tests/fixtures/courses";

test("prints every error as file:line: message, writes nothing and exits 1", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lms-cli-"));
  const { io, out, err } = capture();
  const code = await runBuildContent(["--courses", `${FIX}/multi`, "--out", path.join(dir, "c"), "--laws", "courses/README.md"], io, null);
  expect(code).toBe(1);
  expect(out).toEqual([]);
  expect(err).toContain(`${FIX}/multi/khoa-b/lessons/01-bai-mot.vi.mdx:7: broken link "./03-bai-ba": this course has no lesson 03-bai-ba (lessons: 01-bai-mot)`);
  expect(err.filter((l) => /^tests\/fixtures\/courses\/multi\/\S+(:\d+)?: /.test(l))).toHaveLength(5);
  expect(err.at(-1)).toBe(`5 error(s); nothing was written to ${path.join(dir, "c")}`);
  expect(existsSync(path.join(dir, "c"))).toBe(false);
  await rm(dir, { recursive: true, force: true });
});

test("a clean build prints warnings and a one-line summary and exits 0", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lms-cli-"));
  const { io, out, err } = capture();
  const code = await runBuildContent([`--courses=${FIX}/missing-language`, `--out=${path.join(dir, "c")}`, "--laws", "courses/README.md"], io, null);
  expect(code).toBe(0);
  expect(err).toEqual([expect.stringMatching(/^warning: .*02-chi-tieng-viet\.vi\.mdx: lesson 02-chi-tieng-viet has no English file/)]);
  expect(out).toEqual([expect.stringMatching(/^1 courses, 2 lessons compiled in \d+\.\d s → .*, 1 warning\(s\) \(exam\.yml not checked/)]);
  expect(existsSync(path.join(dir, "c/index.json"))).toBe(true);
  await rm(dir, { recursive: true, force: true });
});

test("bad arguments exit 2 with usage", async () => {
  for (const argv of [["--nope"], ["--courses"]]) {
    const { io, err } = capture();
    expect(await runBuildContent(argv, io, null)).toBe(2);
    expect(err.join("\n")).toContain("usage: tsx scripts/build-content.ts");
  }
});
