/**
 * Bench scenario "roster-import": an HR officer (nhansu.bo, scope G06) imports a 100,000-row roster CSV through
 * the web page, exactly as a browser does: the multipart upload that checks the file and stores the preview
 * (POST /hr/import), the preview page (GET /hr/import?id=…), then the commit (POST intent=commit), which applies
 * every row and moves the coverage counters in one write. Target (issue 8): each step < 10 s.
 *
 * The rows are new people spread over G06's departments (staff codes unique to the run, so a kept database can be
 * benchmarked again); afterwards the database must hold the import as committed and every one of its people.
 */
import { and, count, eq, gte, like, lt } from "drizzle-orm";
import { openDatabase } from "../../../db/client";
import { orgUnits, people, rosterImports } from "../../../db/schema";
import type { BenchRow, Scenario } from "../types";

const NAME = "roster-import";
export const ROWS = 100_000;
const UNIT = "G06";
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Ngọc", "Quang", "Thu", "Xuân"];
const GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Hùng", "Khánh", "Lan", "Long", "Mai", "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Yến"];
const CATEGORIES = ["công chức", "công chức", "công chức", "viên chức", "viên chức", "cán bộ"];

/**
 * A roster CSV as HR offices send it (UTF-8 with BOM, Vietnamese headers and values): `rows` people with staff
 * codes `<prefix>000001…`, spread over `unitCodes`; about 3 % IT/DX staff and 8 % leaders.
 */
export function rosterCsv(rows: number, unitCodes: readonly string[], prefix: string): Uint8Array<ArrayBuffer> {
  if (unitCodes.length === 0) throw new Error("rosterCsv: no unit codes");
  const lines = ["\uFEFFMã cán bộ,Họ và tên,Mã đơn vị,Loại,CNTT/CĐS,Lãnh đạo,Trạng thái"];
  for (let i = 0; i < rows; i++) {
    const name = `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i >> 4) % MIDDLE.length]} ${GIVEN[(i * 7) % GIVEN.length]}`;
    lines.push(
      `${prefix}${String(i + 1).padStart(6, "0")},${name},${unitCodes[i % unitCodes.length]},${CATEGORIES[i % CATEGORIES.length]},${i % 33 === 0 ? "có" : "không"},${i % 12 === 0 ? "có" : "không"},đang làm việc`,
    );
  }
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

export default {
  name: NAME,
  description: "Roster import of 100,000 rows over HTTP as nhansu.bo: upload + preview, preview page, commit (< 10 s each)",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const row = (metric: string, value: number, unit: string, target?: string) => rows.push({ scenario: NAME, metric, value, unit, ...(target ? { target } : {}) });
    const cookie = await ctx.login("nhansu.bo");
    const prefix = `RI${Date.now().toString(36).toUpperCase()}-`;
    const database = await openDatabase(ctx.dbUrl);
    try {
      const [g06] = await database.read.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.code, UNIT));
      if (!g06) throw new Error(`roster-import: the unit ${UNIT} is missing from the bench database`);
      const departments = await database.read
        .select({ code: orgUnits.code })
        .from(orgUnits)
        .where(and(gte(orgUnits.path, g06.path), lt(orgUnits.path, g06.path.slice(0, -1) + "0"), eq(orgUnits.kind, "department")));
      const bytes = rosterCsv(ROWS, departments.length > 0 ? departments.map((d) => d.code) : [UNIT], prefix);
      row("file size", bytes.byteLength / 1024 / 1024, "MB");
      ctx.log(`${ROWS.toLocaleString("en")} rows over ${Math.max(1, departments.length)} unit(s), ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB`);

      // 1. Upload: the server parses and checks every row, compares with the roster and stores the preview.
      let id = "";
      const previewMs = await ctx.timeIt("upload + preview", async () => {
        const form = new FormData();
        form.set("unit", UNIT);
        form.set("mode", "partial");
        form.set("file", new Blob([bytes], { type: "text/csv" }), "roster-100k.csv");
        const r = await fetch(`${ctx.baseUrl}/hr/import`, { method: "POST", body: form, headers: { cookie }, redirect: "manual", signal: AbortSignal.timeout(300_000) });
        const location = r.headers.get("location") ?? "";
        await r.arrayBuffer();
        const m = /[?&]id=([^&]+)/.exec(location);
        if (r.status !== 302 || !m) throw new Error(`roster-import: the upload answered ${r.status} ${location}`);
        id = decodeURIComponent(m[1]!);
      });
      row("upload + preview", previewMs / 1000, "s", "< 10");

      // 2. The preview page the officer reads before committing.
      const pageMs = await ctx.timeIt("preview page", async () => {
        const r = await fetch(`${ctx.baseUrl}/hr/import?id=${encodeURIComponent(id)}`, { headers: { cookie }, signal: AbortSignal.timeout(120_000) });
        const html = await r.text();
        if (r.status !== 200) throw new Error(`roster-import: the preview page answered ${r.status}`);
        row("preview page size", html.length / 1024, "KB");
      });
      row("preview page", pageMs, "ms");

      // 3. Commit: every row written and the counters moved, all or nothing.
      const commitMs = await ctx.timeIt("commit", async () => {
        const r = await fetch(`${ctx.baseUrl}/hr/import`, {
          method: "POST",
          body: new URLSearchParams({ intent: "commit", id }),
          headers: { cookie },
          redirect: "manual",
          signal: AbortSignal.timeout(600_000),
        });
        await r.arrayBuffer();
        if (r.status !== 302) throw new Error(`roster-import: the commit answered ${r.status}`);
      });
      row("commit", commitMs / 1000, "s", "< 10");
      row("commit rate", ROWS / Math.max(commitMs / 1000, 0.001), "rows/s");

      // Nothing lost: the import is committed and every row is a person now.
      const [imp] = await database.read.select({ status: rosterImports.status }).from(rosterImports).where(eq(rosterImports.id, id));
      const [{ n } = { n: 0 }] = await database.read.select({ n: count() }).from(people).where(like(people.staffCode, `${prefix}%`));
      row("people missing after commit", ROWS - n, "count", "= 0");
      row("errors", imp?.status === "committed" ? 0 : 1, "count", "= 0");
      return rows;
    } finally {
      database.close();
    }
  },
} satisfies Scenario;
