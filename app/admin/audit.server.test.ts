/**
 * /admin/audit: search by actor, action, object and Vietnam date range, 50 per page newest first, and the CSV
 * export of the same selection with formulas neutralised. Administrators only.
 */
import type { AppLoadContext } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "#db/schema";
import { getDatabase } from "~/db.server";
import { loader as auditLoader } from "~/routes/admin_.audit";
import { loader as exportLoader } from "~/routes/admin_.audit_.export";
import { newId } from "~/utils/ids";
import { makeUserWithSession } from "../../tests/factories/reports";
import { AUDIT_PAGE_SIZE, auditCsvRows, parseAuditQuery, searchAudit } from "./audit.server";

const ctx = {} as AppLoadContext;
const BASE = "http://localhost";
let admin: { userId: string; cookie: string };
let hr: { userId: string; cookie: string };
// 2026-03-01 00:30 in Hà Nội is 2026-02-28 17:30 UTC: it belongs to 1 March.
const MARCH_1_VN = Date.UTC(2026, 1, 28, 17, 30);

beforeAll(async () => {
  admin = await makeUserWithSession("admin.audit", "admin", "VN");
  hr = await makeUserWithSession("hr.audit", "hr", "01");
  const database = await getDatabase();
  const rows = Array.from({ length: 120 }, (_, i) => ({
    id: newId(),
    at: MARCH_1_VN + i * 60_000,
    actorLabel: i % 2 ? "user:nhansu.bo" : "user:quantri",
    action: i % 3 ? "certificate.revoke" : "role.grant",
    subjectType: i % 3 ? "certificate" : "user",
    subjectId: `obj-${i}`,
    beforeJson: JSON.stringify({ i }),
    afterJson: JSON.stringify({ i: i + 1 }),
  }));
  rows.push({ id: newId(), at: MARCH_1_VN - 3_600_000, actorLabel: "=HYPERLINK(\"http://evil\",\"x\")", action: "target.update", subjectType: "target", subjectId: "T-DS-100", beforeJson: null as unknown as string, afterJson: JSON.stringify({ percent: 100 }) });
  await database.write((tx) => tx.insert(auditLog).values(rows));
});

const get = (path: string, cookie: string) => new Request(BASE + path, { headers: { Cookie: cookie } });

describe("audit log search", () => {
  it("filters by actor, action prefix, object and Vietnam calendar dates", async () => {
    const q = (s: string) => {
      const p = parseAuditQuery(new URLSearchParams(s));
      if (!p.ok) throw new Error(p.fields.join());
      return searchAudit(p.query);
    };
    expect((await q("actor=nhansu.bo&from=2026-03-01&to=2026-03-01")).total).toBe(60);
    expect((await q("action=role.&from=2026-03-01&to=2026-03-01")).total).toBe(40);
    expect((await q("action=certificate.revoke&actor=quantri&from=2026-03-01&to=2026-03-01")).total).toBe(40);
    expect((await q("object=obj-7")).rows.map((r) => r.subjectId)).toEqual(["obj-7"]);
    // The event at 23:30 on 28 February (Hà Nội time) is not in 1 March.
    expect((await q("object=T-DS-100&from=2026-03-01")).total).toBe(0);
    expect((await q("object=T-DS-100&to=2026-02-28")).total).toBe(1);
    // % and _ are literal, not wildcards.
    expect((await q("actor=%25")).total).toBe(0);
  });

  it("pages 50 at a time, newest first", async () => {
    const p1 = await searchAudit({ from: "2026-03-01", to: "2026-03-01", page: 1 });
    const p3 = await searchAudit({ from: "2026-03-01", to: "2026-03-01", page: 3 });
    expect([p1.total, p1.pageCount, p1.rows.length, p3.rows.length]).toEqual([120, 3, AUDIT_PAGE_SIZE, 20]);
    expect(p1.rows[0]!.subjectId).toBe("obj-119");
    expect(p3.rows.at(-1)!.subjectId).toBe("obj-0");
  });

  it("answers 400 naming the wrong fields, and 403 to anyone but an administrator", async () => {
    const bad = (await auditLoader({ request: get("/admin/audit?from=2026-02-30&to=x&page=0", admin.cookie), params: {}, context: ctx })) as unknown as { init: { status: number }; data: { invalid: string[] } };
    expect(bad.init.status).toBe(400);
    expect(bad.data.invalid.sort()).toEqual(["from", "page", "to"]);
    const reversed = (await auditLoader({ request: get("/admin/audit?from=2026-03-02&to=2026-03-01", admin.cookie), params: {}, context: ctx })) as unknown as { init: { status: number } };
    expect(reversed.init.status).toBe(400);
    await expect(auditLoader({ request: get("/admin/audit", hr.cookie), params: {}, context: ctx })).rejects.toMatchObject({ status: 403 });
    await expect(exportLoader({ request: get("/admin/audit/export", hr.cookie), params: {}, context: ctx })).rejects.toMatchObject({ status: 403 });
    await expect(exportLoader({ request: get("/admin/audit/export?from=nope", admin.cookie), params: {}, context: ctx })).rejects.toMatchObject({ status: 400 });
  });

  it("exports the whole selection as CSV with a BOM, formulas neutralised", async () => {
    const res = (await exportLoader({ request: get("/admin/audit/export?to=2026-03-01", admin.cookie), params: {}, context: ctx })) as Response;
    expect(res.headers.get("Content-Type")).toMatch(/text\/csv/);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()));
    expect(text.startsWith("\uFEFFat_utc,actor,")).toBe(true);
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(1 + 121);
    const evil = lines.find((l) => l.includes("HYPERLINK"))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
  });

  it("exports past one batch without losing or repeating a row, even when many share the same instant", async () => {
    const database = await getDatabase();
    const at = Date.UTC(2025, 5, 1);
    const rows = Array.from({ length: 2_345 }, (_, i) => ({ id: newId(), at: at + Math.floor(i / 7) * 1000, actorLabel: "user:batch", action: "test.batch", subjectType: "test", subjectId: `b-${i}` }));
    for (let i = 0; i < rows.length; i += 500) await database.write((tx) => tx.insert(auditLog).values(rows.slice(i, i + 500)));
    const seen: string[] = [];
    for await (const r of auditCsvRows({ action: "test.batch", page: 1 })) seen.push(String(r[5]));
    expect(seen).toHaveLength(2_345);
    expect(new Set(seen).size).toBe(2_345);
  });
});
