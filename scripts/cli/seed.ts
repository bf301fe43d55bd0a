/**
 * `npm run cli -- seed:national --people 2500000 --seed 42 [--db path]`: the synthetic national roster
 * (db/seed/national.ts). Prints a progress bar on stderr and a summary (or JSON with --format json) on stdout.
 */
import type { Command } from "commander";
import { DEFAULT_AS_OF, MAX_PEOPLE, seedNational } from "../../db/seed/national";
import { createProgressBar, formatDuration } from "../bench/progress";
import { CliError, prepareDatabase } from "../prepare-db";

function wholeNumber(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value.replace(/[_,]/g, ""));
    if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${name} must be a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}, got "${value}".`);
    return n;
  };
}

/** `--db` takes a path (data/national.db) or a URL (file:…, libsql://…) and becomes DATABASE_URL. */
export function databaseUrlFromOption(db: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(db) && !/^[a-z]:[\\/]/i.test(db) ? db : `file:${db}`;
}

export function register(program: Command) {
  program
    .command("seed:national")
    .description("Add a reproducible synthetic national roster (departments, people, certificates, counters) for load tests.")
    .option("--people <n>", `number of people (1 to ${MAX_PEOPLE.toLocaleString("en")})`, wholeNumber("--people", 1, MAX_PEOPLE), 2_500_000)
    .option("--seed <n>", "random seed: the same seed gives the same roster", wholeNumber("--seed", 0, 2 ** 32 - 1), 42)
    .option("--db <path>", "database file or URL (default: DATABASE_URL, else data/lms.db)")
    .option("--as-of <date>", "certificates are issued up to this date (YYYY-MM-DD)", DEFAULT_AS_OF)
    .option("--no-sign", "store the marker unsigned-synthetic instead of real Ed25519 signatures (faster)")
    .option("--threads <n>", "signing worker threads (default: cores - 1)", wholeNumber("--threads", 0, 64))
    .option("--format <format>", "summary as table or json", "table")
    .action(async (opts: { people: number; seed: number; db?: string; asOf: string; sign: boolean; threads?: number; format: string }) => {
      if (opts.db) process.env.DATABASE_URL = databaseUrlFromOption(opts.db);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new CliError(`--as-of must be a date written YYYY-MM-DD, got "${opts.asOf}".`);
      const started = performance.now();
      const database = await prepareDatabase();
      const bar = createProgressBar();
      let summary;
      try {
        summary = await seedNational(database, {
          people: opts.people,
          seed: opts.seed,
          asOf: opts.asOf,
          sign: opts.sign,
          signerThreads: opts.threads,
          onProgress: (phase, done, total) => bar.update(phase, done, total),
        });
      } catch (e) {
        bar.end();
        if (e instanceof RangeError) throw new CliError(e.message);
        throw e;
      } finally {
        database.close();
      }
      bar.end();
      const totalMs = performance.now() - started;
      const out = { ...summary, database: database.url, totalMs: Math.round(totalMs), peoplePerSecond: Math.round(summary.people / (totalMs / 1000)), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
      if (opts.format === "json") {
        console.log(JSON.stringify(out));
        return;
      }
      const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
      console.log(`National roster written to ${database.url} in ${formatDuration(totalMs)} (${out.peoplePerSecond.toLocaleString("en")} people/s, peak RSS ${out.maxRssMb} MB).`);
      console.log(`  seed ${summary.seed}, as of ${summary.asOf}; digest ${summary.digest}`);
      console.log(`  ${summary.people.toLocaleString("en")} people in ${summary.unitsWithPeople.toLocaleString("en")} units (${summary.departments.toLocaleString("en")} new departments)`);
      console.log(`  categories: ${Object.entries(summary.shares.category).map(([k, v]) => `${k} ${pct(v)}`).join(", ")}; IT/DX ${pct(summary.shares.itDx)}, leaders ${pct(summary.shares.leader)}, left ${pct(summary.shares.left)}`);
      console.log(`  ${summary.certificates.toLocaleString("en")} certificates (${Object.entries(summary.certificatesByCredential).map(([k, v]) => `${k} ${v.toLocaleString("en")}`).join(", ")})`);
      console.log(`  ${summary.expired.toLocaleString("en")} expired, ${summary.renewed.toLocaleString("en")} renewals, ${summary.revoked.toLocaleString("en")} revoked; ${summary.signed ? `signed with synthetic key ${summary.keyId}` : "NOT signed (unsigned-synthetic)"}`);
      console.log(`  ${summary.counters.toLocaleString("en")} coverage counter rows, exact for today (as after reports:rebuild); phases (ms): ${Object.entries(summary.timingsMs).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    });
}
