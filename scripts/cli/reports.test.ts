import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { COVERAGE_COLUMNS } from "~/reports/coverage";
import { coverageReport } from "~/reports/coverage-report.server";
import { nationalScope } from "~/reports/scope.server";
import { issueCertificate, makePeople } from "../../tests/factories/reports";
import { coverageJson } from "./reports";

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(path.resolve("node_modules/.bin/tsx"), ["scripts/cli.ts", ...args], { env: { ...process.env }, encoding: "utf8" }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

// Each command starts a tsx process (~3 s, more on a busy machine).
describe("npm run cli -- reports:*", { timeout: 120_000 }, () => {
  it("prints exactly the issue's keys, with the same figures as the web reports", async () => {
    const [a] = await makePeople([{ unitCode: "96", isItDx: true }, { unitCode: "96" }]);
    await issueCertificate({ personId: a!, credentialId: "basic_digital_skills", issuedAt: Date.now() - 3 * 86_400_000 });
    const { stdout } = await cli("reports:coverage", "--unit", "96", "--format", "json");
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Object.keys(r)).toEqual([...COVERAGE_COLUMNS]);
    expect(stdout).toMatch(/"percent": 50\.0,/);
    const web = await coverageReport(nationalScope(), { unitCode: "96" });
    expect(rows).toEqual(JSON.parse(JSON.stringify(web.rows)));
    const one = JSON.parse((await cli("reports:coverage", "--unit", "national", "--target", "T-DS-100", "--as-of", "2026-01-01", "--format", "json")).stdout) as { unit_code: string; holders: number }[];
    expect(one).toHaveLength(1);
    expect(one[0]!.unit_code).toBe("VN");
    const csv = (await cli("reports:coverage", "--unit", "96", "--format", "csv")).stdout.split("\n");
    expect(csv[0]).toBe(COVERAGE_COLUMNS.join(","));
    expect((await cli("reports:coverage", "--unit", "96", "--as-of", "2026-02-30")).code).toBe(1);
  });

  it("roster:import refuses a file with errors (exit 1), a dry run changes nothing, and rebuild --check agrees", async () => {
    const bad = await cli("roster:import", "tests/fixtures/roster/three-bad-rows.csv", "--unit", "01", "--format", "json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ committed: false, counts: { errors: 3 } });
    const dry = await cli("roster:import", "tests/fixtures/roster/three-bad-rows-fixed.csv", "--unit", "01", "--dry-run", "--format", "json");
    expect(JSON.parse(dry.stdout)).toMatchObject({ import_id: null, committed: false, counts: { new: 8 } });
    const real = await cli("roster:import", "tests/fixtures/roster/three-bad-rows-fixed.csv", "--unit", "01", "--format", "json");
    expect(JSON.parse(real.stdout)).toMatchObject({ committed: true, counts: { new: 8 } });
    const check = await cli("reports:rebuild", "--check");
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/equal a full recomputation/);
  });

  it("writes percents with one decimal", () => {
    expect(coverageJson([{ percent: 50 }, { percent: 12.5 }])).toBe('[\n  {\n    "percent": 50.0\n  },\n  {\n    "percent": 12.5\n  }\n]');
  });
});
