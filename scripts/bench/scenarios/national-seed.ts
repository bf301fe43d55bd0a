import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../server";
import type { BenchRow, Scenario } from "../types";

/** The 2.5 M-person target of issue 8 must load in under 5 minutes. */
const NATIONAL_PEOPLE = 2_500_000;
const NATIONAL_BUDGET_S = 300;

/**
 * Times `npm run cli -- seed:national --people N` (default 200,000; `npm run bench national-seed -- --people
 * 2500000` for the full size) into its own database file, which is deleted afterwards. Reports people/s and the
 * projected time for 2.5 M people at that rate. Runs the CLI exactly as a person would, as a child process.
 */
export default {
  name: "national-seed",
  description: "seed:national into a separate database (--people, default 200,000), people/s",
  needsServer: false,
  async run(ctx) {
    const people = ctx.options.people;
    const dir = mkdtempSync(path.join(ROOT, ".cache/bench/national-"));
    try {
      const summary = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", path.join(ROOT, "scripts/cli.ts"), "seed:national", "--people", String(people), "--seed", "42", "--db", path.join(dir, "national.db"), "--format", "json"],
          { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, DATABASE_URL: "" } },
        );
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        const guard = setTimeout(() => child.kill("SIGKILL"), 30 * 60_000); // bounded even at 3.5 M people
        child.on("exit", (code) => {
          clearTimeout(guard);
          if (code !== 0) return reject(new Error(`seed:national exited with code ${code}`));
          try {
            resolve(JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>);
          } catch (e) {
            reject(e);
          }
        });
      });
      const totalS = Number(summary.totalMs) / 1000;
      const seedS = Object.values(summary.timingsMs as Record<string, number>).reduce((a, b) => a + b, 0) / 1000;
      const rate = people / seedS;
      // Start-up (tsx, migrations, reference tree) is paid once; the rows scale with N.
      const projected = totalS - seedS + NATIONAL_PEOPLE / rate;
      const rows: BenchRow[] = [
        { scenario: "national-seed", metric: "people", value: people, unit: "count" },
        { scenario: "national-seed", metric: "certificates", value: Number(summary.certificates), unit: "count" },
        { scenario: "national-seed", metric: "wall time (CLI start to exit)", value: totalS, unit: "s" },
        { scenario: "national-seed", metric: "people/s while seeding", value: rate, unit: "people/s", target: `≥ ${Math.ceil(NATIONAL_PEOPLE / NATIONAL_BUDGET_S)}` },
        { scenario: "national-seed", metric: "projected time for 2.5 M (linear)", value: projected, unit: "s", target: `< ${NATIONAL_BUDGET_S}` },
        { scenario: "national-seed", metric: "peak RSS of the CLI", value: Number(summary.maxRssMb), unit: "MB" },
      ];
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
} satisfies Scenario;
