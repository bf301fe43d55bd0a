/**
 * Reports commands: roster import, coverage figures (the same function as the web pages), counter rebuild and
 * targets. `npm run cli -- reports:coverage --unit national --format json`.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Option, type Command } from "commander";
import { CliError, prepareDatabase, printRows } from "../prepare-db";

type Format = "json" | "table" | "csv";

function explain(e: unknown): never {
  if (e instanceof Response) {
    throw new CliError(e.status === 404 ? "There is no such unit or import." : e.status === 403 ? "That unit is outside the allowed scope." : `Refused (${e.status}).`);
  }
  if (e instanceof Error && ["ReportInputError", "RosterImportError", "TargetNotFoundError"].includes(e.name)) throw new CliError(e.message);
  throw e;
}

/** JSON with every percent written with one decimal (12 → 12.0), as the output format asks. */
export function coverageJson(rows: readonly object[]): string {
  return JSON.stringify(rows, null, 2).replace(/("percent": )(-?\d+)(?=[,\n])/g, "$1$2.0");
}

export function register(program: Command): void {
  program
    .command("reports:coverage")
    .description("Coverage of a unit's subtree against the targets (the figures the HR pages show).")
    .requiredOption("--unit <code>", 'org unit code, or "national"')
    .option("--target <code>", "one target (T-DS-100, T-DM-50, …)")
    .option("--as-of <date>", "YYYY-MM-DD (default: today in Viet Nam)")
    .addOption(new Option("--format <format>", "output format").choices(["json", "csv", "table"]).default("table"))
    .action(async (opts: { unit: string; target?: string; asOf?: string; format: Format }) => {
      const database = await prepareDatabase();
      const { coverageReport, parseAsOf } = await import("../../app/reports/coverage-report.server");
      const { COVERAGE_COLUMNS } = await import("../../app/reports/coverage");
      const { nationalScope } = await import("../../app/reports/scope.server");
      let rows;
      try {
        const asOf = parseAsOf(opts.asOf);
        const unitCode = opts.unit.toLowerCase() === "national" ? "VN" : opts.unit;
        rows = (await coverageReport(nationalScope(), { unitCode, targetCode: opts.target, asOf })).rows;
      } catch (e) {
        explain(e);
      }
      if (opts.format === "json") console.log(coverageJson(rows));
      else if (opts.format === "csv") {
        console.log(COVERAGE_COLUMNS.join(","));
        for (const r of rows) console.log(COVERAGE_COLUMNS.map((c) => (c === "percent" ? r.percent.toFixed(1) : (r[c] ?? ""))).join(","));
      } else printRows(rows.map((r) => ({ ...r, percent: r.percent.toFixed(1) })), "table");
      database.close();
    });

  program
    .command("reports:rebuild")
    .description("Recompute every coverage counter from people and certificates (one write).")
    .option("--check", "only compare the stored counters with a recomputation; exit 1 when they differ")
    .action(async (opts: { check?: boolean }) => {
      const database = await prepareDatabase();
      const c = await import("../../app/reports/counters.server");
      if (opts.check) {
        const day = await c.countersDay(database.read);
        if (day === null) throw new CliError("The counters have never been built; run reports:rebuild.");
        const stored = new Set(await c.storedCounterRows(database.read));
        const expected = new Set(await c.expectedCounterRows(database.read, day));
        const missing = [...expected].filter((r) => !stored.has(r));
        const extra = [...stored].filter((r) => !expected.has(r));
        if (missing.length === 0 && extra.length === 0) console.log(`The ${stored.size} counter rows (as of ${day}) equal a full recomputation.`);
        else {
          console.log(`Counters differ from a recomputation as of ${day}: ${missing.length} row(s) missing or different, ${extra.length} stale.`);
          for (const r of [...missing.slice(0, 10).map((x) => `expected ${x}`), ...extra.slice(0, 10).map((x) => `stored   ${x}`)]) console.log(`  ${r}`);
          process.exitCode = 1;
        }
      } else {
        const started = Date.now();
        const { day, rows } = await c.rebuildCounters();
        console.log(`Rebuilt ${rows} counter rows as of ${day} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      }
      database.close();
    });

  program
    .command("roster:import")
    .description("Import an HR roster (CSV or XLSX): preview, then commit all or nothing.")
    .argument("<file>", "CSV (UTF-8, with or without BOM) or XLSX")
    .requiredOption("--unit <code>", "the unit whose roster this is (people must be in its subtree)")
    .addOption(new Option("--mode <mode>", "full: people of the unit missing from the file are marked left").choices(["full", "partial"]).default("partial"))
    .option("--dry-run", "print the preview and change nothing")
    .addOption(new Option("--format <format>", "output format").choices(["json", "table"]).default("table"))
    .action(async (file: string, opts: { unit: string; mode: "full" | "partial"; dryRun?: boolean; format: "json" | "table" }) => {
      const { MAX_IMPORT_BYTES, previewRosterImport, commitRosterImport } = await import("../../app/reports/roster-import.server");
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new CliError(`Cannot read the file ${file}.`);
      }
      if (size > MAX_IMPORT_BYTES) throw new CliError(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it by unit.`);
      const database = await prepareDatabase();
      const { nationalScope } = await import("../../app/reports/scope.server");
      const actor = { userId: null, label: "cli" };
      const scope = nationalScope();
      let preview;
      try {
        preview = await previewRosterImport(scope, { unitCode: opts.unit, mode: opts.mode, fileName: path.basename(file), bytes: readFileSync(file) }, actor, { record: !opts.dryRun });
      } catch (e) {
        explain(e);
      }
      const counts = { new: preview.counts.new, changed: preview.counts.changed, leaving: preview.counts.leaving, unchanged: preview.counts.unchanged, errors: preview.counts.errors };
      const errors = preview.errors.map((e) => ({ row: e.row, column: e.column, value: e.value, reason_vi: e.reasonVi, reason_en: e.reasonEn }));
      let committed = false;
      if (!opts.dryRun && preview.counts.errors === 0) {
        try {
          await commitRosterImport(scope, preview.id!, actor);
          committed = true;
        } catch (e) {
          explain(e);
        }
      }
      if (opts.format === "json") {
        console.log(JSON.stringify({ import_id: preview.id, unit: preview.unit.code, mode: opts.mode, dry_run: Boolean(opts.dryRun), committed, counts, errors }, null, 2));
      } else {
        printRows([counts], "table");
        if (errors.length > 0) {
          console.log("");
          printRows(errors, "table");
        }
        console.log("");
        console.log(
          opts.dryRun
            ? "Dry run: nothing was changed."
            : committed
              ? `Imported into ${preview.unit.code} (${opts.mode}); import ${preview.id}.`
              : `Not imported: the file has ${preview.counts.errors} error(s). Fix them and run the command again.`,
        );
      }
      if (!opts.dryRun && !committed) process.exitCode = 1;
      database.close();
    });

  program
    .command("org:merge")
    .description("Merge an org unit into another (people and child units move; nothing is deleted; audited).")
    .requiredOption("--from <code>", "the unit that ceases to exist")
    .requiredOption("--into <code>", "the unit it is merged into")
    .action(async (opts: { from: string; into: string }) => {
      const database = await prepareDatabase();
      const { mergeUnit } = await import("../../app/org/merge.server");
      try {
        const r = await mergeUnit(opts.from, opts.into, { userId: null, label: "cli" });
        console.log(`Merged ${r.from} into ${r.into}: ${r.peopleMoved} people and ${r.unitsReattached} child unit(s) moved; ${r.from} is kept as merged.`);
      } catch (e) {
        if (e instanceof Error && e.name === "UnitMergeError") throw new CliError(e.message);
        throw e;
      }
      database.close();
    });

  program
    .command("targets:list")
    .description("The national targets the reports measure.")
    .addOption(new Option("--format <format>", "output format").choices(["json", "table"]).default("table"))
    .action(async (opts: { format: "json" | "table" }) => {
      const database = await prepareDatabase();
      const { loadTargets } = await import("../../app/reports/targets.server");
      const rows = (await loadTargets(database.read)).map((t) => ({ code: t.code, credential: t.credentialId, population: JSON.stringify(t.rule), percent: t.percent, deadline: t.deadline, active: t.active }));
      printRows(rows, opts.format);
      database.close();
    });

  program
    .command("targets:set")
    .description("Change a target's percent, deadline or active flag (audited).")
    .requiredOption("--code <code>", "target code")
    .option("--percent <n>", "0–100")
    .option("--deadline <date>", "YYYY-MM-DD")
    .addOption(new Option("--active <yes|no>", "whether reports show it").choices(["yes", "no"]))
    .action(async (opts: { code: string; percent?: string; deadline?: string; active?: "yes" | "no" }) => {
      const database = await prepareDatabase();
      const { loadTargets, updateTarget, TargetEditSchema } = await import("../../app/reports/targets.server");
      const current = (await loadTargets(database.read)).find((t) => t.code === opts.code);
      if (!current) throw new CliError(`There is no target with the code "${opts.code}".`);
      const parsed = TargetEditSchema.safeParse({
        code: opts.code,
        percent: opts.percent ?? current.percent,
        deadline: opts.deadline ?? current.deadline,
        active: opts.active === undefined ? current.active : opts.active === "yes",
      });
      if (!parsed.success) throw new CliError(`Invalid value: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")} (percent 0–100, deadline YYYY-MM-DD).`);
      const { changed } = await updateTarget(parsed.data, { userId: null, label: "cli" });
      console.log(changed ? `Target ${opts.code} updated.` : `Target ${opts.code} already had these values; nothing changed.`);
      database.close();
    });
}
