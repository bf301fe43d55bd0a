/**
 * `npm run courses:build` (scripts/build-content.ts): compile courses/ into build/content/, print every error as
 * `file:line: message`, exit 1 on any error. Kept here (not in the script) so tests can run it in-process.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileCourses, formatContentError, type ExamValidator } from "./compile.server";

export type BuildIo = { out: (line: string) => void; err: (line: string) => void };

const USAGE = "usage: tsx scripts/build-content.ts [--courses DIR] [--out DIR] [--laws FILE]";

/** parseExamYaml from app/assessments/exam-schema.ts when that module exists (it is built separately). */
export async function findExamValidator(): Promise<ExamValidator | undefined> {
  const file = fileURLToPath(new URL("../assessments/exam-schema.ts", import.meta.url));
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { parseExamYaml?: ExamValidator };
  return typeof mod.parseExamYaml === "function" ? mod.parseExamYaml : undefined;
}

export async function runBuildContent(argv: string[], io: BuildIo, validateExam?: ExamValidator | null): Promise<number> {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const m = /^--(courses|out|laws)(?:=(.*))?$/.exec(flag);
    if (!m) {
      io.err(`unknown argument "${flag}"\n${USAGE}`);
      return 2;
    }
    const value = m[2] ?? argv[++i];
    if (!value) {
      io.err(`${flag} needs a value\n${USAGE}`);
      return 2;
    }
    opts[m[1]!] = value;
  }
  const started = performance.now();
  const validator = validateExam === null ? undefined : (validateExam ?? (await findExamValidator()));
  const outDir = opts.out ?? "build/content";
  const result = await compileCourses({
    coursesDir: opts.courses ?? "courses",
    outDir,
    lawsFile: opts.laws,
    validateExam: validator,
  });
  for (const e of result.errors) io.err(formatContentError(e));
  for (const w of result.warnings) io.err(`warning: ${formatContentError(w)}`);
  if (result.errors.length > 0) {
    io.err(`${result.errors.length} error(s); nothing was written to ${outDir}`);
    return 1;
  }
  const lessons = result.courses.reduce((n, c) => n + c.lessons.length, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const warn = result.warnings.length ? `, ${result.warnings.length} warning(s)` : "";
  const exams = validator ? "" : " (exam.yml not checked: app/assessments/exam-schema.ts not found)";
  io.out(`${result.courses.length} courses, ${lessons} lessons compiled in ${seconds} s → ${path.normalize(outDir)}${warn}${exams}`);
  return 0;
}
