/**
 * Every report, list, export and import route, called as an HR officer of another unit: 403 or 404, never data.
 * And the same routes for the officer of the unit, so a test that only ever sees errors cannot pass by accident.
 */
import { readFileSync } from "node:fs";
import type { AppLoadContext } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { loader as adminTargetsLoader, action as adminTargetsAction } from "~/routes/admin_.targets";
import { action as importAction, loader as importLoader } from "~/routes/hr.import";
import { loader as importErrorsLoader } from "~/routes/hr.import_.errors";
import { loader as homeLoader } from "~/routes/hr._index";
import { loader as unitLoader } from "~/routes/hr.units.$code";
import { loader as communesLoader } from "~/routes/hr.units.$code_.communes";
import { loader as exportLoader } from "~/routes/hr.units.$code_.export";
import { loader as missingLoader } from "~/routes/hr.units.$code_.missing";
import { loader as printLoader } from "~/routes/hr.units.$code_.print";
import { issueCertificate, makePeople, makeUnit, makeUserWithSession } from "../../tests/factories/reports";
import { previewRosterImport } from "./roster-import.server";
import { scopeFromGrants } from "./scope.server";

const BASE = "http://localhost";
const ctx = {} as AppLoadContext;
let hanoi: { userId: string; cookie: string };
let camau: { userId: string; cookie: string };
let learner: { userId: string; cookie: string };
let admin: { userId: string; cookie: string };
let hanoiImportId: string;

function get(path: string, cookie: string): Request {
  return new Request(BASE + path, { headers: { Cookie: cookie } });
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    const r = await p;
    if (r instanceof Response) return r.status;
    const init = (r as { init?: { status?: number } } | null)?.init;
    return init?.status ?? 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

async function body(p: Promise<unknown>): Promise<string> {
  const r = await p;
  if (r instanceof Response) return new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(await r.arrayBuffer()));
  return JSON.stringify(r);
}

beforeAll(async () => {
  await makeUnit("01-RPT", "01");
  await makeUnit("96-RPT", "96");
  const [a, b] = await makePeople([
    { unitCode: "01-RPT", fullName: "Nguyễn Thị Hà Nội", staffCode: "HN-SEC-1" },
    { unitCode: "01-RPT", fullName: "Trần Văn Thủ Đô", staffCode: "HN-SEC-2", isItDx: true },
    { unitCode: "96-RPT", fullName: "Lê Thị Cà Mau", staffCode: "CM-SEC-1" },
    { unitCode: "00070", fullName: "Phạm Văn Xã", staffCode: "HN-SEC-3", category: "commune_official" },
  ]);
  await issueCertificate({ personId: a!, issuedAt: Date.now() - 86_400_000 });
  void b;
  hanoi = await makeUserWithSession("hr.hanoi", "hr", "01");
  camau = await makeUserWithSession("hr.camau", "hr", "96");
  learner = await makeUserWithSession("hocvien.x", "learner", "01");
  admin = await makeUserWithSession("admin.x", "admin", "VN");
  const preview = await previewRosterImport(
    scopeFromGrants([{ role: "hr", unitId: "ou-01", unitCode: "01", unitPath: "/VN/01/" }], { id: hanoi.userId, label: "user:hr.hanoi" }),
    { unitCode: "01", mode: "partial", fileName: "three-bad-rows.csv", bytes: readFileSync("tests/fixtures/roster/three-bad-rows.csv") },
    { userId: hanoi.userId, label: "user:hr.hanoi" },
  );
  hanoiImportId = preview.id!;
});

const unitRoutes = [
  ["unit page", (r: Request, code: string) => unitLoader({ request: r, params: { code }, context: ctx })],
  ["missing list", (r: Request, code: string) => missingLoader({ request: r, params: { code }, context: ctx })],
  ["commune view", (r: Request, code: string) => communesLoader({ request: r, params: { code }, context: ctx })],
  ["print summary", (r: Request, code: string) => printLoader({ request: r, params: { code }, context: ctx })],
] as const;

const exports = [
  "table=coverage&format=csv",
  "table=children&format=xlsx",
  "table=missing&format=csv&target=T-DS-100",
  "table=communes&format=csv",
] as const;

describe("an HR officer of another unit", () => {
  it.each(unitRoutes)("gets 403 on the %s of a unit outside their subtree", async (_name, call) => {
    expect(await status(call(get("/x", camau.cookie), "01"))).toBe(403);
    expect(await status(call(get("/x", camau.cookie), "01-RPT"))).toBe(403);
    expect(await status(call(get("/x", camau.cookie), "VN"))).toBe(403);
    // The officer of the unit sees it.
    expect(await status(call(get("/x", hanoi.cookie), "01"))).toBe(200);
  });

  it.each(exports)("gets 403 on the export %s of a unit outside their subtree", async (q) => {
    const call = (cookie: string) => exportLoader({ request: get(`/hr/units/01/export?${q}`, cookie), params: { code: "01" }, context: ctx });
    expect(await status(call(camau.cookie))).toBe(403);
    expect(await status(call(hanoi.cookie))).toBe(200);
  });

  it("cannot narrow their own unit's missing list to a unit elsewhere", async () => {
    const r = get("/hr/units/96/missing?sub=01-RPT&target=T-DS-100", camau.cookie);
    expect(await status(missingLoader({ request: r, params: { code: "96" }, context: ctx }))).toBe(403);
    const e = get("/hr/units/96/export?table=missing&format=csv&target=T-DS-100&sub=01-RPT", camau.cookie);
    expect(await status(exportLoader({ request: e, params: { code: "96" }, context: ctx }))).toBe(403);
  });

  it("sees only their own subtree on the HR home, and no name from elsewhere in their exports", async () => {
    const home = await body(homeLoader({ request: get("/hr", camau.cookie), params: {}, context: ctx }));
    expect(home).toContain('"code":"96"');
    expect(home).not.toContain('"code":"01"');
    const csv = await body(exportLoader({ request: get("/hr/units/96/export?table=missing&format=csv&target=T-DS-100", camau.cookie), params: { code: "96" }, context: ctx }));
    expect(csv).toContain("Lê Thị Cà Mau");
    expect(csv).not.toContain("Hà Nội");
    const own = await body(exportLoader({ request: get("/hr/units/01/export?table=missing&format=csv&target=T-DS-100", hanoi.cookie), params: { code: "01" }, context: ctx }));
    expect(own.startsWith("\uFEFF")).toBe(true);
    expect(own).toContain("Trần Văn Thủ Đô");
    expect(own).not.toContain("Nguyễn Thị Hà Nội"); // certified
    expect(own).not.toContain("Cà Mau");
  });

  it("cannot see, export or commit another unit's import, nor import into it", async () => {
    expect(await status(importLoader({ request: get(`/hr/import?id=${hanoiImportId}`, camau.cookie), params: {}, context: ctx }))).toBe(404);
    expect(await status(importErrorsLoader({ request: get(`/hr/import/errors?id=${hanoiImportId}&format=csv`, camau.cookie), params: {}, context: ctx }))).toBe(404);
    const commit = new Request(`${BASE}/hr/import`, {
      method: "POST",
      headers: { Cookie: camau.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "commit", id: hanoiImportId }),
    });
    expect(await status(importAction({ request: commit, params: {}, context: ctx }))).toBe(404);
    expect(await status(importLoader({ request: get(`/hr/import?id=${hanoiImportId}`, hanoi.cookie), params: {}, context: ctx }))).toBe(200);
    const errorsCsv = await body(importErrorsLoader({ request: get(`/hr/import/errors?id=${hanoiImportId}&format=csv`, hanoi.cookie), params: {}, context: ctx }));
    expect(errorsCsv).toContain("giáo viên");

    const form = new FormData();
    form.set("unit", "01");
    form.set("mode", "partial");
    form.set("file", new File([readFileSync("tests/fixtures/roster/three-bad-rows-fixed.csv")], "roster.csv", { type: "text/csv" }));
    const upload = new Request(`${BASE}/hr/import`, { method: "POST", headers: { Cookie: camau.cookie }, body: form });
    expect(await status(importAction({ request: upload, params: {}, context: ctx }))).toBe(403);
  });

  it("refuses an upload over 20 MB with a clear message", async () => {
    const form = new FormData();
    form.set("unit", "01");
    form.set("mode", "partial");
    form.set("file", new File([new Uint8Array(20 * 1024 * 1024 + 10).fill(65)], "big.csv", { type: "text/csv" }));
    const upload = new Request(`${BASE}/hr/import`, { method: "POST", headers: { Cookie: hanoi.cookie }, body: form });
    const r = (await importAction({ request: upload, params: {}, context: ctx })) as { data: { error: string }; init: { status: number } };
    expect(r.init.status).toBe(413);
    expect(r.data.error).toMatch(/20 MB/);
  });
});

describe("the HR home's data", () => {
  it("carries each granted unit's own rows and the units most at risk, not every child unit's rows", async () => {
    const data = (await homeLoader({ request: get("/hr", hanoi.cookie), params: {}, context: ctx })) as unknown as {
      overview: { report: Record<string, unknown> & { rows: { unit_code: string }[] }; atRisk: { unit: { code: string } }[] }[];
    };
    expect(data.overview).toHaveLength(1);
    const [{ report, atRisk }] = data.overview as [(typeof data.overview)[number]];
    expect(Object.keys(report).sort()).toEqual(["asOf", "countersDay", "rows", "targets", "unit"]);
    expect(report.rows.every((r) => r.unit_code === "01")).toBe(true);
    expect(atRisk.map((a) => a.unit.code)).toContain("01-RPT");
  });
});

describe("other roles", () => {
  it("a learner gets 403 on every HR route", async () => {
    expect(await status(homeLoader({ request: get("/hr", learner.cookie), params: {}, context: ctx }))).toBe(403);
    expect(await status(unitLoader({ request: get("/x", learner.cookie), params: { code: "01" }, context: ctx }))).toBe(403);
    expect(await status(exportLoader({ request: get("/x?table=coverage&format=csv", learner.cookie), params: { code: "01" }, context: ctx }))).toBe(403);
    expect(await status(importLoader({ request: get("/hr/import", learner.cookie), params: {}, context: ctx }))).toBe(403);
  });

  it("an anonymous visitor is sent to log in", async () => {
    expect(await status(unitLoader({ request: get("/x", ""), params: { code: "01" }, context: ctx }))).toBe(302);
  });

  it("only an administrator edits targets, and the change is audited", async () => {
    expect(await status(adminTargetsLoader({ request: get("/admin/targets", hanoi.cookie), params: {}, context: ctx }))).toBe(403);
    const post = (cookie: string) =>
      new Request(`${BASE}/admin/targets`, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ code: "T-DM-50", percent: "60", deadline: "2027-12-31", active: "on" }),
      });
    expect(await status(adminTargetsAction({ request: post(hanoi.cookie), params: {}, context: ctx }))).toBe(403);
    expect(await status(adminTargetsAction({ request: post(admin.cookie), params: {}, context: ctx }))).toBe(302); // post/redirect/get with a "saved" notice
    const page = await body(adminTargetsLoader({ request: get("/admin/targets", admin.cookie), params: {}, context: ctx }));
    expect((JSON.parse(page) as { targets: { code: string; percent: number }[] }).targets.find((x) => x.code === "T-DM-50")?.percent).toBe(60);
    const { getDatabase } = await import("~/db.server");
    const { auditLog } = await import("#db/schema");
    const rows = await (await getDatabase()).read.select().from(auditLog);
    expect(rows.some((r) => r.action === "target.update" && r.afterJson?.includes('"percent":60') && r.beforeJson?.includes('"percent":50'))).toBe(true);
  });
});
