/**
 * Certificates end to end on the production server (fresh demo database in data/e2e):
 * a certificate is issued to the learner (CLI: recognition of prior learning — the exam flow issues through the
 * same issue module), the learner downloads the signed PDF, the QR link (read from the PDF) says valid, the
 * ministry HR revokes it with a reason, the link then says revoked, and the province HR is refused (403).
 */
import AxeBuilder from "@axe-core/playwright";
import { createClient } from "@libsql/client";
import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { inspectCertificatePdf } from "../../app/certificates/pdf-check.server";
import { DEMO, login, watchConsole } from "./utils";

const DB_URL = "file:data/e2e/lms.db";
const SHOTS = "tests/artifacts/certificates";

function cli(args: string[]): string {
  return execFileSync("node_modules/.bin/tsx", ["scripts/cli.ts", ...args], { env: { ...process.env, DATABASE_URL: DB_URL }, encoding: "utf8" });
}

async function staffCodeOf(username: string): Promise<string> {
  const client = createClient({ url: DB_URL });
  try {
    const r = await client.execute({ sql: "select p.staff_code from people p join users u on u.person_id = p.id where u.username = ?", args: [username] });
    return String(r.rows[0]!.staff_code);
  } finally {
    client.close();
  }
}

async function shoot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, h] of [
    [360, 780],
    [1280, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/${name}-${w}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function noAxeViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

test.describe.configure({ mode: "serial" });

test.describe("certificates", () => {
  let serial = "";
  let token = "";

  test.beforeAll(() => {
    // keys:create first, as an administrator would (the demo PAdES signer is made with it).
    const key = JSON.parse(cli(["keys:create", "--issuer", "G06", "--demo", "--format", "json"])) as { kid: string };
    expect(key.kid).toMatch(/^G06-\d{4}-[0-9a-f]{4}$/);
  });

  test("a certificate issued to the learner is downloadable as a signed PDF and its QR link says valid", async ({ page }) => {
    const problems = watchConsole(page);
    const issued = JSON.parse(
      cli(["cert:issue", "--staff-code", await staffCodeOf(DEMO.learner), "--credential", "basic_digital_skills", "--issued-on", "2026-01-15", "--source", "Nền tảng học trực tuyến quốc gia, chứng chỉ số 2026-0042", "--format", "json"]),
    ) as { serial: string };
    serial = issued.serial;
    expect(serial).toMatch(/^KNS-2026-\d{6}-[0-9A-Z]$/);

    await login(page, DEMO.learner);
    await page.getByRole("navigation").getByRole("link", { name: "Chứng nhận của tôi" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chứng nhận của tôi");
    const card = page.locator(".cert-card", { hasText: serial });
    await expect(card.getByRole("heading", { name: "Kỹ năng số cơ bản" })).toBeVisible();
    await expect(card.locator(".cert-status")).toHaveText("Còn hiệu lực");
    await noAxeViolations(page);
    await shoot(page, "mine");

    const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "Tải tệp PDF" }).click()]);
    expect(download.suggestedFilename()).toBe(`${serial}.pdf`);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
    expect(pdf.length).toBeLessThan(200_000);

    const inspected = await inspectCertificatePdf(new Uint8Array(pdf));
    if (!inspected.ok) throw new Error(inspected.message);
    expect(inspected.serial).toBe(serial);
    expect(inspected.textName).toBe("Nguyễn Thị Lan");
    expect(inspected.pades.status).toBe("intact");
    expect(inspected.tokens.link).toBe(inspected.tokens.info);
    token = inspected.token!;

    // The QR code's URL is this server's /v/<token>: plain HTML (no script), with the security headers and the CSP.
    const v = (await page.goto(`/v/${token}`))!;
    expect(v.status()).toBe(200);
    expect(v.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
    expect(v.headers()["x-frame-options"]).toBe("DENY");
    expect(v.headers()["cache-control"]).toBe("no-store");
    expect(await v.text()).not.toContain("<script");
    await expect(page.getByRole("heading", { level: 2 })).toHaveText("HỢP LỆ");
    await expect(page.locator(".verify-facts__name")).toHaveText("Nguyễn Thị Lan");
    await expect(page.getByText("Bộ Khoa học và Công nghệ")).toBeVisible();
    await expect(page.getByText(/demo signer/)).toBeVisible();
    await expect(page.getByText("Văn phòng Bộ Khoa học và Công nghệ")).toHaveCount(0); // no unit detail
    await noAxeViolations(page);
    await shoot(page, "verify-valid");

    // The Open Badge downloads too.
    const badge = await page.request.get(`/certificates/${serial}/openbadge.json`);
    expect(badge.status()).toBe(200);
    const credential = (await badge.json()) as { type: string[]; id: string };
    expect(credential.type).toContain("OpenBadgeCredential");
    // Every URL of this server named in the credential resolves: the LMS home page (issuer.url) and the JSON
    // documents (issuer Profile, Achievement, the credential itself, its status list) whose id is that URL.
    const origin = new URL(page.url()).origin;
    const own: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string" && (v === origin || v.startsWith(`${origin}/`))) own.push(v.split("#")[0]!);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(credential);
    expect(new Set(own).size).toBe(5);
    for (const url of new Set(own)) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(200);
      if (url !== origin) expect(((await res.json()) as { id: string }).id, url).toBe(url);
    }
    expect(credential.id).toBe(`${origin}/credentials/${token}`);
    expect(problems).toEqual([]);
  });

  test("the ministry HR revokes it with a reason; the QR link then says revoked", async ({ page }) => {
    const problems = watchConsole(page);
    await login(page, DEMO.hrMinistry);
    await page.goto("/hr/certificates?unit=G06");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chứng nhận của đơn vị");
    await noAxeViolations(page);
    await shoot(page, "hr-list");
    await page.getByRole("searchbox", { name: "Tìm kiếm" }).fill("Nguyễn Thị Lan");
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.getByRole("link", { name: serial }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(serial);

    // A reason is required (the browser enforces it; without it nothing is submitted).
    await page.getByRole("button", { name: "Thu hồi" }).click();
    await expect(page).toHaveURL(new RegExp(`/hr/certificates/${serial}$`));
    await page.getByLabel("Lý do (bắt buộc)").fill("Hồ sơ công nhận kết quả học tập không hợp lệ");
    await noAxeViolations(page);
    await shoot(page, "hr-detail");
    await page.getByRole("button", { name: "Thu hồi" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Đã thu hồi chứng nhận." })).toBeVisible();
    await expect(page.getByText("Hồ sơ công nhận kết quả học tập không hợp lệ").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Thu hồi" })).toHaveCount(0);

    await page.goto(`/v/${token}`);
    await expect(page.getByRole("heading", { level: 2 })).toHaveText("ĐÃ THU HỒI");
    await expect(page.getByText(/Lý do: Hồ sơ công nhận kết quả học tập không hợp lệ/)).toBeVisible();
    await shoot(page, "verify-revoked");
    expect(problems).toEqual([]);
  });

  test("the province HR gets 403 for the ministry's certificate", async ({ page }) => {
    await login(page, DEMO.hrProvince);
    expect((await page.request.get(`/certificates/${serial}.pdf`)).status()).toBe(403);
    expect((await page.request.get(`/certificates/${serial}/openbadge.json`)).status()).toBe(403);
    const res = await page.goto(`/hr/certificates/${serial}`);
    expect(res!.status()).toBe(403);
    expect((await page.goto("/hr/certificates?unit=G06"))!.status()).toBe(403);
  });

  test("the public /verify page checks a typed serial and an uploaded PDF, without logging in", async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto("/verify");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xác thực chứng nhận");
    await noAxeViolations(page);
    await page.getByRole("textbox", { name: "Số hiệu" }).fill(serial.toLowerCase());
    await page.getByRole("button", { name: "Kiểm tra", exact: true }).click();
    await expect(page.getByRole("heading", { level: 2, name: "ĐÃ THU HỒI" })).toBeVisible();
    await expect(page.locator(".verify-facts__name")).toHaveText("Nguyễn T. L.");
    await shoot(page, "verify-form");

    // Upload: the learner's own PDF (downloaded by an admin, who may) is reported revoked, not valid.
    const admin = await page.context().browser()!.newContext();
    const adminPage = await admin.newPage();
    await login(adminPage, DEMO.admin);
    const pdf = await (await adminPage.request.get(`/certificates/${serial}.pdf`)).body();
    await admin.close();
    await page.goto("/verify");
    await page.getByLabel("Tệp chứng nhận (PDF, tối đa 5 MB)").setInputFiles({ name: "chung-nhan.pdf", mimeType: "application/pdf", buffer: pdf });
    await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "ĐÃ THU HỒI" })).toBeVisible();
    await expect(page.locator(".verify-facts__name")).toHaveText("Nguyễn Thị Lan");

    // The same file with two signed bytes changed (document language vi → en) is altered.
    const tampered = Buffer.from(pdf);
    const i = tampered.indexOf("/Lang (vi)");
    expect(i).toBeGreaterThan(0);
    tampered.write("/Lang (en)", i, "latin1");
    await page.getByLabel("Tệp chứng nhận (PDF, tối đa 5 MB)").setInputFiles({ name: "sua.pdf", mimeType: "application/pdf", buffer: tampered });
    await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "DỮ LIỆU BỊ SỬA ĐỔI" })).toBeVisible();
    expect(problems).toEqual([]);
  });
});
