/**
 * The bad-input corpus over HTTP (tests/fixtures/bad-input/README.md): every item is sent to the production
 * server the way it would arrive, and must get a 4xx with a message naming what is wrong — never a 500, never a
 * hang (each request is bounded) — and must leave the stored data as it was (row counts compared).
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvHugeCell, csvManyRows, csvUtf16NoBom, pdfHuge, pdfXrefLoop, xlsxZipBomb } from "../fixtures/bad-input/generate";
import { bootServer, login, tableCounts, type TestServer } from "./harness";

let srv: TestServer;
let admin: string;
let learner: string;
const EN = "lang=en";
const TABLES = ["people", "users", "role_assignments", "certificates", "certificate_status_events", "attempts", "attempt_answers"];
let before: Record<string, number>;
const BOUND_MS = 60_000;

/**
 * The generated items are made before any request: generating the zip bomb blocks this process for seconds, and
 * a keep-alive connection the server closed meanwhile would then be reused (EPIPE) — a client artefact.
 */
const made = new Map<() => Uint8Array, Uint8Array>();
const generated = [csvUtf16NoBom, csvManyRows, csvHugeCell, () => xlsxZipBomb(100), pdfXrefLoop];
const bytesOf = (make: () => Uint8Array) => made.get(make) ?? make();

beforeAll(async () => {
  for (const g of generated) made.set(g, g());
  srv = await bootServer("bad-input", 2, { TRUST_PROXY: "loopback" });
  admin = `${await login(srv.baseUrl, "quantri")}; ${EN}`;
  learner = `${await login(srv.baseUrl, "hocvien")}; ${EN}`;
  before = await tableCounts(await srv.db(), TABLES);
});
afterAll(async () => {
  await srv?.stop();
});

interface Answer {
  status: number;
  text: string;
}
async function send(path: string, init: RequestInit & { cookie?: string; ip?: string } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  headers.set("Cookie", init.cookie ?? EN);
  // each request from its own address, so the /verify rate limit never answers instead of the check under test
  headers.set("X-Forwarded-For", init.ip ?? `203.0.113.${Math.floor(Math.random() * 250) + 1}`);
  const r = await fetch(`${srv.baseUrl}${path}`, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(BOUND_MS) });
  return { status: r.status, text: await r.text() };
}

const verifyUpload = (bytes: Uint8Array, name = "certificate.pdf") => {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], name, { type: "application/pdf" }));
  return send("/verify", { method: "POST", body: form });
};

/** Uploads a roster file (preview), then tries to commit it: the commit must be refused. */
async function importThenCommit(bytes: Uint8Array, name: string): Promise<{ preview: Answer; page: Answer; commit: Answer }> {
  const form = new FormData();
  form.set("unit", "01");
  form.set("mode", "partial");
  form.set("file", new File([new Uint8Array(bytes)], name));
  const r = await fetch(`${srv.baseUrl}/hr/import`, { method: "POST", headers: { Cookie: admin }, body: form, redirect: "manual", signal: AbortSignal.timeout(BOUND_MS) });
  const preview = { status: r.status, text: await r.text() };
  const location = r.headers.get("location") ?? "";
  const id = new URL(location || "/", srv.baseUrl).searchParams.get("id") ?? "";
  const page = await send(`/hr/import?id=${id}`, { cookie: admin });
  const commit = await send("/hr/import", { method: "POST", cookie: admin, body: new URLSearchParams({ intent: "commit", id }) });
  return { preview, page, commit };
}

const entity = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");

describe("roster uploads (CSV/XLSX): the preview lists the problem, the commit is refused with 409, nothing changes", () => {
  it.each<[string, () => Uint8Array, string, RegExp]>([
    ["Windows-1258 CSV", () => readFileSync("tests/fixtures/roster/windows-1258.csv"), "ansi.csv", /not UTF-8/],
    ["UTF-16 CSV without a BOM", csvUtf16NoBom, "utf16.csv", /not UTF-8/],
    ["formula injection =cmd|' /C calc'!A0", () => Buffer.from("Mã cán bộ,Họ và tên,Mã đơn vị,Loại,CNTT/CĐS,Lãnh đạo,Trạng thái\nHN-0901,=cmd|' /C calc'!A0,01,công chức,không,không,đang làm việc\n"), "formula.csv", /formula|=, \+, -|công thức/i],
    ["the formula-injection fixture", () => readFileSync("tests/fixtures/roster/formula-injection.csv"), "formula2.csv", /formula|công thức/i],
    ["1 M rows", csvManyRows, "million.csv", /rows|dòng/i],
    ["a 1 MB cell", csvHugeCell, "cell.csv", /long|too|dài/i],
    ["an XLSX zip bomb", generated[3]!, "bomb.xlsx", /.+/],
  ])("%s", async (_name, make, fileName, message) => {
    const t0 = Date.now();
    const { preview, page, commit } = await importThenCommit(bytesOf(make), fileName);
    expect(preview.status).toBe(302); // the preview is stored and shown, with its errors
    expect(page.status).toBe(200);
    expect(entity(page.text)).toMatch(message);
    expect(commit.status).toBe(409);
    expect(commit.text).toMatch(/nothing was saved|errors/i);
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
    expect(await tableCounts(await srv.db(), TABLES)).toEqual(before);
  });
});

describe("PDFs for /verify", () => {
  it.each<[string, () => Uint8Array, number, RegExp]>([
    ["not a PDF (a PNG)", () => Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), 400, /not a PDF/],
    ["a truncated PDF", () => Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), 400, /incomplete/],
    ["a crafted xref loop", pdfXrefLoop, 400, /PDF/],
    ["an empty file", () => new Uint8Array(), 400, /choose the PDF|empty/],
  ])("%s → %s", async (_name, make, status, message) => {
    const r = await verifyUpload(bytesOf(make));
    expect(r.status).toBe(status);
    expect(entity(r.text)).toMatch(message);
  });

  it("a 50 MB PDF is refused with 413 before it is read", async () => {
    const size = pdfHuge(50).length;
    const boundary = "----corpus";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`;
    const text = await new Promise<string>((resolve, reject) => {
      let got = "";
      const s = net.connect(Number(new URL(srv.baseUrl).port), "127.0.0.1", () => {
        s.write(`POST /verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${size + head.length}\r\n\r\n${head}`);
      });
      const guard = setTimeout(() => reject(new Error("no answer")), 10_000);
      s.on("data", (d) => (got += d.toString()));
      s.on("error", () => undefined);
      s.on("close", () => {
        clearTimeout(guard);
        resolve(got);
      });
    });
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toMatch(/larger than 5 MB/);
  });
});

describe("URLs and form fields", () => {
  const serial = (value: string, name?: string) => send("/verify", { method: "POST", body: new URLSearchParams(name === undefined ? { serial: value } : { serial: value, name }) });
  it.each<[string, () => Promise<Answer>, number | number[], RegExp]>([
    ["an overlong serial (5,000 characters)", () => serial("A".repeat(5000)), 400, /serial/i],
    ["a serial with a NUL byte", () => serial("KNS-2025\u0000-000001-X"), 400, /not in the right form/],
    ["a serial with an RTL override", () => serial("\u202eKNS-2025-000001-X"), 400, /not in the right form/],
    ["a serial in the wrong type (a file part instead of text)", () => {
      const f = new FormData();
      f.set("serial", new File(["KNS"], "x.txt"));
      return send("/verify", { method: "POST", body: f });
    }, 400, /choose the PDF|serial/i],
    ["an autosave body of the wrong types", () => send("/exam/abcdefghij1234567890/save", { method: "POST", cookie: learner, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ questionId: 5, selected: "x", seq: "later" }) }), 400, /invalid|not valid|could not/i],
    ["an autosave body that is not JSON", () => send("/exam/abcdefghij1234567890/save", { method: "POST", cookie: learner, headers: { "Content-Type": "application/json" }, body: "{not json" }), 400, /.+/],
    ["an autosave with a NUL in the question id", () => send("/exam/abcdefghij1234567890/save", { method: "POST", cookie: learner, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ questionId: "q\u00001", selected: ["a"], seq: 1 }) }), [400, 404], /.+/],
    ["a login with a NUL in the username", () => send("/login", { method: "POST", body: new URLSearchParams({ username: "quan\u0000tri", password: "x" }) }), 400, /.+/],
    ["a login with an overlong username", () => send("/login", { method: "POST", body: new URLSearchParams({ username: "a".repeat(10_000), password: "x" }) }), 400, /.+/],
    ["invalid UTF-8 in a course path", () => send("/courses/%FF%FE"), 400, /not UTF-8/],
    ["invalid UTF-8 in a verify token path", () => send("/v/%C0%AF%FF"), 400, /not UTF-8/],
    ["invalid UTF-8 in an HR unit path", () => send("/hr/units/%FF", { cookie: admin }), 400, /not UTF-8/],
    ["an NFD unit code in an HR path", () => send(`/hr/units/${encodeURIComponent("Hà Nội".normalize("NFD"))}`, { cookie: admin }), 404, /.+/],
  ])("%s", async (_name, run, status, message) => {
    const r = await run();
    expect([status].flat(), `${r.status}: ${r.text.slice(0, 200)}`).toContain(r.status);
    expect(entity(r.text)).toMatch(message);
  });

  it("an NFD name on a roster import is stored as NFC (the same person as the NFC spelling)", async () => {
    const nfd = "Nguyễn Thị Ánh".normalize("NFD");
    const form = new FormData();
    form.set("unit", "01");
    form.set("mode", "partial");
    form.set("file", new File([`Mã cán bộ,Họ và tên,Mã đơn vị,Loại,CNTT/CĐS,Lãnh đạo,Trạng thái\nHN-NFD-1,${nfd},01,công chức,không,không,đang làm việc\n`], "nfd.csv"));
    const r = await fetch(`${srv.baseUrl}/hr/import`, { method: "POST", headers: { Cookie: admin }, body: form, redirect: "manual" });
    const id = new URL(r.headers.get("location")!, srv.baseUrl).searchParams.get("id")!;
    expect((await send("/hr/import", { method: "POST", cookie: admin, body: new URLSearchParams({ intent: "commit", id }) })).status).toBe(302);
    const rows = await (await srv.db()).readClient.execute({ sql: "SELECT full_name FROM people WHERE staff_code = ?", args: ["HN-NFD-1"] });
    expect(String(rows.rows[0]!.full_name)).toBe("Nguyễn Thị Ánh".normalize("NFC"));
    before = await tableCounts(await srv.db(), TABLES); // this one was meant to be stored
  });

  it("nothing refused above changed the stored data, and the server never answered 500", async () => {
    expect(await tableCounts(await srv.db(), TABLES)).toEqual(before);
    const log = readFileSync(srv.server.logFile, "utf8");
    expect(log).not.toMatch(/ 500 |Unexpected Server Error|URIError|\n    at /);
  });
});
