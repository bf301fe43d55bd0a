import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { people } from "../../db/schema";
import type { Exam } from "../../app/assessments/exam-schema";
import { insertUser, prepareUser } from "../../app/auth/accounts.server";
import { answerKey, markLessonsRead } from "../factories/exams";
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

/** T-DS-100 on the HR home card of the officer's unit: holders, population, percent and gap as the page shows them. */
async function dsFigures(page: Page) {
  const card = page.locator(".target-card").filter({ hasText: "T-DS-100" }).first();
  const text = (await card.locator(".muted.small").first().innerText()).replace(/\./g, "");
  const m = /(\d+) trên (\d+) người[\s\S]*Còn thiếu (\d+) người/.exec(text);
  expect(m, text).not.toBeNull();
  return { holders: Number(m![1]), population: Number(m![2]), gap: Number(m![3]), percent: (await card.locator(".stat").innerText()).trim() };
}

/** The T-DS-100 row of the unit page's coverage table: population, holders, percent, gap. */
async function dsRow(page: Page) {
  const cells = page.locator("table.coverage-table tbody tr").filter({ hasText: "T-DS-100" }).first().locator("td");
  const num = async (i: number) => Number((await cells.nth(i).innerText()).replace(/\./g, ""));
  return { population: await num(0), holders: await num(1), percent: (await cells.nth(2).innerText()).trim(), gap: await num(3) };
}

test("the ministry's HR dashboard moves when one of its staff passes the basic digital skills exam", async ({ page, browser }) => {
  test.setTimeout(180_000); // an import, 20 autosaved answers and four report pages on 2 shared cores
  const problems = watchConsole(page);
  const staffCode = `E2E-DS-${Date.now().toString(36).toUpperCase()}`;
  const name = "Vương Thị Kiểm Thử";

  // A new civil servant of the ministry's office, added through the roster import page (so the counters move with
  // her and the test does not depend on what other tests did to the demo learner).
  await login(page, DEMO.hrMinistry);
  await page.goto("/hr/import");
  await page.getByLabel("Đơn vị của danh sách").selectOption("G06");
  await page.getByLabel("Tệp danh sách").setInputFiles({
    name: "nhan-su-moi.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`\uFEFFMã cán bộ,Họ và tên,Mã đơn vị,Loại\n${staffCode},${name},G06-VP,công chức\n`, "utf8"),
  });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByTestId("count-new")).toHaveText("1");
  await page.getByRole("button", { name: "Xác nhận nhập" }).click();
  await expect(page.getByRole("status")).toContainText("Đã nhập: 1 người mới");

  // Her account (as an administrator would create it), and the lessons read: the exam is what this test is about.
  const username = staffCode.toLowerCase();
  const password = "mat-khau-hoc-vien-moi";
  const database = await openDatabase("file:data/e2e/lms.db");
  try {
    const [person] = await database.read.select({ id: people.id }).from(people).where(eq(people.staffCode, staffCode));
    expect(person, "the imported person").toBeTruthy();
    const prepared = await prepareUser({ username, displayName: name, password, personId: person!.id });
    await database.write((tx) => insertUser(tx, prepared, "e2e"));
    await markLessonsRead(database, person!.id, "ky-nang-so-co-ban");
  } finally {
    database.close();
  }

  // The officer notes the figures.
  await page.goto("/hr");
  await expect(page.getByRole("heading", { level: 2, name: /Bộ Khoa học và Công nghệ/ })).toBeVisible();
  const homeBefore = await dsFigures(page);
  await page.goto("/hr/units/G06");
  const unitBefore = await dsRow(page);
  expect(unitBefore).toMatchObject({ population: homeBefore.population, holders: homeBefore.holders, gap: homeBefore.gap });
  expect(homeBefore.gap).toBeGreaterThan(0);

  // The learner passes the exam, every answer right (the key is read from the build, never from a page).
  const exam = JSON.parse(readFileSync("build/content/ky-nang-so-co-ban/exam.json", "utf8")) as Exam;
  const key = answerKey(exam);
  const learnerContext = await browser.newContext({ serviceWorkers: "block" });
  const learner = await learnerContext.newPage();
  const learnerProblems = watchConsole(learner);
  await login(learner, username, password);
  await learner.goto("/courses/ky-nang-so-co-ban/exam");
  await learner.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(learner).toHaveURL(/\/exam\/[0-9a-z]+$/);
  await expect(learner.locator("fieldset.exam-question")).toHaveCount(20);
  const ids = (await learner.locator("fieldset.exam-question input").evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))])).map((n) => n.replace(/^choice-/, ""));
  for (const id of ids) {
    for (const option of key.get(id)!) await learner.locator(`input[name="choice-${id}"][value="${option}"]`).check();
    await expect(learner.locator(`#q-${id}-status`)).toContainText("Đã lưu lúc");
  }
  await learner.getByRole("button", { name: "Nộp bài" }).click();
  await expect(learner.getByText("Chúc mừng! Bạn đã đạt bài kiểm tra.")).toBeVisible();
  expect(learnerProblems).toEqual([]);
  await learnerContext.close();

  // The officer reloads: one more holder, same population, a higher percentage, one fewer missing.
  await page.goto("/hr");
  const homeAfter = await dsFigures(page);
  expect(homeAfter.holders).toBe(homeBefore.holders + 1);
  expect(homeAfter.population).toBe(homeBefore.population);
  expect(homeAfter.gap).toBe(homeBefore.gap - 1);
  expect(homeAfter.percent).not.toBe(homeBefore.percent);
  await page.goto("/hr/units/G06");
  const unitAfter = await dsRow(page);
  expect(unitAfter).toEqual({ population: unitBefore.population, holders: unitBefore.holders + 1, gap: unitBefore.gap - 1, percent: homeAfter.percent });
  expect(unitAfter.percent).not.toBe(unitBefore.percent);
  expect(problems).toEqual([]);
});

