import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, login, watchConsole } from "./utils";

// The roster fixtures are for Hà Nội (01): an HR officer for 01 is created with the CLI, as an administrator would.
const HANOI_HR = "nhansu.hanoi";
const PASSWORD = "mat-khau-nhan-su-ha-noi";
const FIXTURES = path.resolve("tests/fixtures/roster");

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(() => {
  execFileSync(
    path.resolve("node_modules/.bin/tsx"),
    ["scripts/cli.ts", "user:create", "--username", HANOI_HR, "--name", "Đinh Thị Nhân Sự", "--role", "hr", "--unit", "01", "--password", PASSWORD],
    { env: { ...process.env, DATABASE_URL: "file:data/e2e/lms.db" }, stdio: "pipe" },
  );
});

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** The population and holders of T-DS-100 shown on the card of a unit on the HR home. */
async function dsCard(page: Page) {
  const card = page.locator(".target-card").filter({ hasText: "T-DS-100" }).first();
  const text = (await card.locator(".muted.small").first().innerText()).replace(/\./g, "");
  const m = /(\d+) trên (\d+) người/.exec(text);
  expect(m, text).not.toBeNull();
  return { holders: Number(m![1]), population: Number(m![2]) };
}

test("HR of Hà Nội imports a roster (fixing three bad rows), sees the figures, drills down and exports CSV", async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, HANOI_HR, PASSWORD);
  await page.getByRole("navigation").getByRole("link", { name: "Báo cáo nhân sự" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Báo cáo tiến độ bồi dưỡng");
  await expect(page.getByRole("heading", { level: 2, name: /Hà Nội/ })).toBeVisible();
  const before = await dsCard(page);
  expect(before.population).toBeGreaterThan(0);
  await axe(page);
  await page.screenshot({ path: "tests/artifacts/e2e-hr-home.png", fullPage: true });

  // 1. The file with three bad rows: the errors are listed and nothing can be committed.
  await page.getByRole("link", { name: "Nhập danh sách nhân sự" }).click();
  await page.getByLabel("Đơn vị của danh sách").selectOption("01");
  await page.getByLabel("Tệp danh sách").setInputFiles(path.join(FIXTURES, "three-bad-rows.csv"));
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByRole("heading", { name: "Xem trước" })).toBeVisible();
  await expect(page.getByTestId("count-errors")).toHaveText("3");
  const errors = page.getByRole("table", { name: "Các lỗi trong tệp" });
  await expect(errors.getByRole("row")).toHaveCount(4);
  await expect(errors.getByRole("row").nth(1)).toContainText("4");
  await expect(errors.getByRole("row").nth(1)).toContainText("99999");
  await expect(errors.getByRole("row").nth(1)).toContainText("Mã đơn vị không tồn tại.");
  await expect(errors.getByRole("row").nth(1)).toContainText("Unknown unit code.");
  await expect(errors.getByRole("row").nth(2)).toContainText("giáo viên");
  await expect(errors.getByRole("row").nth(3)).toContainText("Mã cán bộ bị trùng: đã có ở dòng 2.");
  await expect(page.getByRole("button", { name: /Xác nhận/ })).toHaveCount(0);
  await axe(page);
  await page.screenshot({ path: "tests/artifacts/e2e-import-errors.png", fullPage: true });

  // 2. The fixed file: 8 new people, committed in one go.
  await page.getByLabel("Tệp danh sách").setInputFiles(path.join(FIXTURES, "three-bad-rows-fixed.csv"));
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByTestId("count-new")).toHaveText("8");
  await expect(page.getByTestId("count-errors")).toHaveText("0");
  await page.getByRole("button", { name: "Xác nhận nhập" }).click();
  await expect(page.getByRole("status")).toContainText("Đã nhập: 8 người mới");

  // 3. The same file again is a no-op.
  await page.getByLabel("Tệp danh sách").setInputFiles(path.join(FIXTURES, "three-bad-rows-fixed.csv"));
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByTestId("count-unchanged")).toHaveText("8");
  await expect(page.getByTestId("count-new")).toHaveText("0");

  // 4. The dashboard counts the new people.
  await page.goto("/hr");
  const after = await dsCard(page);
  expect(after.population).toBe(before.population + 8);

  // 5. Drill down: Hà Nội → the commune 00070 (two of the imported people work there).
  await page.getByRole("link", { name: /Thành phố Hà Nội|Hà Nội/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Hà Nội");
  await expect(page.locator("svg[role=img] title")).toContainText("Số người có chứng nhận theo thời gian");
  await page.locator("#target").selectOption("T-DS-100");
  await page.getByRole("button", { name: "Hiển thị" }).click();
  await page.getByRole("link", { name: "số còn thiếu" }).click();
  await expect(page).toHaveURL(/sort=gap/);
  await axe(page);
  await page.screenshot({ path: "tests/artifacts/e2e-unit.png", fullPage: true });
  const communeRow = page.getByRole("row").filter({ hasText: "00070" });
  await communeRow.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("mã 00070")).toBeVisible();

  // 6. The people still lacking the basic digital skills certificate, exported as CSV with a BOM and accents.
  await page.goto("/hr/units/01/missing?target=T-DS-100&q=Đỗ Văn");
  await expect(page.getByRole("cell", { name: "Đỗ Văn Khánh" })).toBeVisible();
  await axe(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải CSV" }).click()]);
  const bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.toString("utf8");
  expect(csv).toContain("Mã cán bộ,Họ và tên");
  expect(csv).toContain("HN-0207,Đỗ Văn Khánh,01,Thành phố Hà Nội,Viên chức");
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  expect(problems).toEqual([]);
});

test("the HR officer of another unit gets 403 on Hà Nội's reports and exports", async ({ page }) => {
  await login(page, DEMO.hrProvince);
  for (const url of ["/hr/units/01", "/hr/units/01/missing", "/hr/units/01/communes", "/hr/units/01/print", "/hr/units/00070"]) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(403);
  }
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const exportResponse = await page.request.get("/hr/units/01/export?table=missing&format=csv&target=T-DS-100");
  expect(exportResponse.status()).toBe(403);
  expect(await exportResponse.text()).not.toContain("Hà Nội");
  // Their own province works.
  const own = await page.goto("/hr/units/96");
  expect(own?.status()).toBe(200);
  await page.goto("/hr/units/96/communes");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tiến độ theo xã, phường, đặc khu");
  await page.screenshot({ path: "tests/artifacts/e2e-communes.png", fullPage: true });
});

test("the administrator sees the national roll-up and edits a target", async ({ page }) => {
  await login(page, DEMO.admin);
  await page.goto("/hr");
  await expect(page.getByRole("heading", { level: 2, name: /Việt Nam/ })).toBeVisible();
  await page.goto("/admin/targets");
  await axe(page);
  const card = page.locator("li.card").filter({ hasText: "T-LEAD-25" });
  await card.getByLabel("Tỷ lệ (%)").fill("30");
  await card.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByRole("status")).toHaveText("Đã lưu chỉ tiêu T-LEAD-25.");
  await expect(page.locator("li.card").filter({ hasText: "T-LEAD-25" }).getByLabel("Tỷ lệ (%)")).toHaveValue("30");
  // The notice is a flash after the redirect: a reload neither posts again nor shows it twice.
  await page.reload();
  await expect(page.locator("li.card").filter({ hasText: "T-LEAD-25" }).getByLabel("Tỷ lệ (%)")).toHaveValue("30");
  await expect(page.getByRole("status")).toHaveCount(0);
});
