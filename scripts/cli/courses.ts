/**
 * Course commands: `courses:sync` (what every server start does: build/content → courses + course_versions) and
 * `courses:list` (courses, current version, number of versions kept).
 */
import type { Command } from "commander";
import { count, eq } from "drizzle-orm";
import { courses, courseVersions } from "../../db/schema";
import { syncCourses } from "../../app/courses/sync.server";
import { CliError, prepareDatabase, printRows } from "../prepare-db";

export function register(program: Command): void {
  program
    .command("courses:sync")
    .description("Sync compiled courses (build/content, or LMS_CONTENT_DIR) into the database; old versions are kept.")
    .action(async () => {
      const database = await prepareDatabase();
      try {
        const report = await syncCourses(database);
        const changes = [
          report.versionsAdded.length ? `new versions: ${report.versionsAdded.join(", ")}` : "",
          report.coursesChanged.length ? `updated: ${report.coursesChanged.join(", ")}` : "",
          report.retired.length ? `retired: ${report.retired.join(", ")}` : "",
        ].filter(Boolean);
        console.log(`${report.courses} courses in the build; ${changes.length ? changes.join("; ") : "nothing changed"}.`);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (/not found|format/.test(message)) throw new CliError(message.split("\n")[0]!);
        throw e;
      } finally {
        database.close();
      }
    });

  program
    .command("courses:list")
    .description("List the courses in the database with their current version and the number of versions kept.")
    .option("--format <format>", "table, json or csv", "table")
    .action(async (opts: { format: string }) => {
      if (!["table", "json", "csv"].includes(opts.format)) throw new CliError(`Unknown format "${opts.format}"; use table, json or csv.`);
      const database = await prepareDatabase();
      const rows = await database.read
        .select({
          slug: courses.id,
          title: courses.titleVi,
          audience: courses.audience,
          credential: courses.credentialId,
          status: courses.status,
          version: courseVersions.contentHash,
        })
        .from(courses)
        .leftJoin(courseVersions, eq(courseVersions.id, courses.currentVersionId))
        .orderBy(courses.sortOrder, courses.id);
      const counts = await database.read.select({ courseId: courseVersions.courseId, n: count() }).from(courseVersions).groupBy(courseVersions.courseId);
      const versions = new Map(counts.map((c) => [c.courseId, c.n]));
      printRows(rows.map((r) => ({ ...r, versions: versions.get(r.slug) ?? 0 })), opts.format as "table" | "json" | "csv");
      database.close();
    });
}
