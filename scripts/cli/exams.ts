/**
 * Exam commands: `exam:sweep` closes and grades every attempt whose time ran out (with the answers saved; a pass
 * issues its certificate in the same write), `exam:items` prints a course's item analysis.
 */
import { Option, type Command } from "commander";
import { CliError, printRows } from "../prepare-db";

type Format = "json" | "table" | "csv";
const formatOption = () => new Option("--format <format>", "output format").choices(["table", "json", "csv"]).default("table");

export function register(program: Command): void {
  program
    .command("exam:sweep")
    .description("Close and grade every exam attempt whose deadline (plus the grace period) has passed.")
    .option("--limit <n>", "close at most this many attempts", "10000")
    .action(async (opts: { limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive whole number, not "${opts.limit}".`);
      const { getDatabase } = await import("../../app/db.server");
      const { closeExpiredAttempts } = await import("../../app/assessments/attempts.server");
      const result = await closeExpiredAttempts({ limit, reason: "sweep" });
      console.log(`Closed and graded ${result.closed} expired attempt(s); ${result.passed} passed and received a certificate.`);
      (await getDatabase()).close();
    });

  program
    .command("exam:items")
    .description("Item analysis of a course's exam over every graded attempt (facility, discrimination, flags).")
    .requiredOption("--course <slug>", "course slug, e.g. ky-nang-so-co-ban")
    .addOption(formatOption())
    .action(async (opts: { course: string; format: Format }) => {
      const { getDatabase } = await import("../../app/db.server");
      const { courseItemAnalysis } = await import("../../app/assessments/reports.server");
      const { NATIONAL_ROOT_CODE } = await import("../../db/reference");
      const national = [{ role: "admin" as const, unitId: "", unitCode: NATIONAL_ROOT_CODE, unitPath: `/${NATIONAL_ROOT_CODE}/`, unitNameVi: "", unitNameEn: null }];
      const analysis = await courseItemAnalysis(national, opts.course);
      if (!analysis) throw new CliError(`There is no course with an exam called "${opts.course}" in the compiled content.`);
      printRows(
        analysis.items.map((i) => ({
          question: i.id,
          topic: i.topic,
          type: i.type,
          drawn: i.n,
          facility: i.facility,
          discrimination: i.discrimination,
          options: i.options.map((o) => `${o.id}${o.correct ? "*" : ""}:${o.count}`).join(" "),
          flags: i.flags.join(","),
        })),
        opts.format,
      );
      if (opts.format === "table") console.log(`${analysis.attempts} graded attempt(s), ${analysis.passes} passed; * marks the key.`);
      (await getDatabase()).close();
    });
}
