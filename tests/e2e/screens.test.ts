/**
 * The screenshot set of issue 10: every main page at 360 px (a cheap Android phone) and 1280 px (an office PC),
 * saved into test-results/screens/ (Playwright's output folder: not committed) for a reviewer to look at. On every
 * page and width it also checks that nothing scrolls sideways (the page's scrollWidth fits the viewport).
 * The pages are reached the way people reach them; the data they show is made through the CLI and the UI.
 */
import { createClient } from "@libsql/client";
import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "../../db/client";
import { markLessonsRead, personOf } from "../factories/exams";
import { DEMO, login, watchConsole } from "./utils";

const DB_URL = "file:data/e2e/lms.db";
const DIR = "test-results/screens";
const WIDTHS = [
  [360, 780],
  [1280, 900],
] as const;
const EXAM_COURSE = "lanh-dao-chuyen-doi-so";

function cli(args: string[]): string {
  return execFileSync("node_modules/.bin/tsx", ["scripts/cli.ts", ...args], { env: { ...process.env, DATABASE_URL: DB_URL }, encoding: "utf8" });
}

/** Saves the page at both widths and checks that neither scrolls sideways. */
async function shoot(page: Page, name: string) {
  mkdirSync(DIR, { recursive: true });
  for (const [width, height] of WIDTHS) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => document.fonts.ready);
    const scrollWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    expect.soft(scrollWidth, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: path.join(DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function logout(page: Page) {
  await page.context().clearCookies();
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  // The learner has read every lesson of one course, so its exam can be taken; and holds a certificate.
  const database = await openDatabase(DB_URL);
  try {
    await markLessonsRead(database, await personOf(database, DEMO.learner), EXAM_COURSE);
  } finally {
    database.close();
  }
  const client = createClient({ url: DB_URL });
  try {
    const keys = await client.execute("select count(*) as n from signing_keys where valid_to is null");
    if (Number(keys.rows[0]!.n) === 0) cli(["keys:create", "--issuer", "G06", "--demo", "--format", "json"]);
    const staff = await client.execute({ sql: "select p.staff_code from people p join users u on u.person_id = p.id where u.username = ?", args: [DEMO.learner] });
    cli(["cert:issue", "--staff-code", String(staff.rows[0]!.staff_code), "--credential", "ai_public_service", "--issued-on", "2026-02-10", "--source", "Ảnh chụp màn hình (screens.test)", "--format", "json"]);
  } finally {
    client.close();
  }
});

test("public pages: landing, login, verify and a verification result", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await shoot(page, "public-landing");
  await page.goto("/login");
  await shoot(page, "public-login");
  await page.goto("/verify");
  await shoot(page, "public-verify");
  // A verification result as a stranger scanning the QR code sees it (the link comes from the learner's page).
  await login(page, DEMO.learner);
  await page.goto("/certificates");
  const verifyHref = await page.getByRole("link", { name: "Trang xác thực" }).first().getAttribute("href");
  await logout(page);
  await page.goto(verifyHref!);
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("HỢP LỆ");
  await shoot(page, "public-v-result");
  expect(problems).toEqual([]);
});

test("learner pages: home, catalogue, course, lesson, search, exam and result, certificates, account", async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  await login(page, DEMO.learner);
  await shoot(page, "learner-home");
  await page.goto("/courses");
  await shoot(page, "learner-catalogue");
  await page.goto("/courses/ky-nang-so-co-ban");
  await shoot(page, "learner-course");
  await page.goto("/courses/ky-nang-so-co-ban/duyet-web-va-tim-kiem");
  await shoot(page, "learner-lesson");
  await page.goto(`/search?q=${encodeURIComponent("dữ liệu")}`);
  await shoot(page, "learner-search");
  await page.goto("/learning");
  await shoot(page, "learner-learning");
  await page.goto(`/courses/${EXAM_COURSE}/exam`);
  await shoot(page, "learner-exam-start");
  await page.getByRole("button", { name: /Bắt đầu làm bài|Tiếp tục làm bài/ }).click();
  await expect(page).toHaveURL(/\/exam\/[0-9a-z]+$/);
  await expect(page.locator("fieldset.exam-question").first()).toBeVisible();
  // On a phone the exam shows one question per screen; "next" moves to the second.
  await page.setViewportSize({ width: 360, height: 780 });
  await expect(page.locator("fieldset.exam-question:visible")).toHaveCount(1);
  await expect(page.locator("fieldset.exam-question:visible")).toContainText("Câu 1/");
  await page.getByRole("button", { name: "Câu tiếp theo →" }).click();
  await expect(page.locator("fieldset.exam-question:visible")).toHaveCount(1);
  await expect(page.locator("fieldset.exam-question:visible")).toContainText("Câu 2/");
  await page.getByRole("button", { name: "5", exact: true }).click();
  await expect(page.locator("fieldset.exam-question:visible")).toContainText("Câu 5/");
  await shoot(page, "learner-exam");
  // On a wide screen every question is on the page.
  await expect(page.locator("fieldset.exam-question:visible")).toHaveCount(await page.locator("fieldset.exam-question").count());
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page).toHaveURL(/\/exam\/[0-9a-z]+\/result$/);
  await shoot(page, "learner-exam-result");
  await page.goto("/certificates");
  await shoot(page, "learner-certificates");
  await page.goto("/account");
  await shoot(page, "learner-account");
  expect(problems).toEqual([]);
});

test("HR pages: dashboard, unit, drill-down, communes, missing list, import preview, certificates", async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  await login(page, DEMO.hrProvince);
  await page.goto("/hr");
  await shoot(page, "hr-dashboard");
  await page.goto("/hr/units/96");
  await shoot(page, "hr-unit");
  // Drill down: the first child unit in the table.
  await page.locator(".coverage-table").last().locator("tbody a").first().click();
  await expect(page).toHaveURL(/\/hr\/units\/[^/]+\?target=/);
  await shoot(page, "hr-drilldown");
  await page.goto("/hr/units/96/communes");
  await shoot(page, "hr-communes");
  await page.goto("/hr/units/96/missing?target=T-DS-100");
  await shoot(page, "hr-missing");
  await page.goto("/hr/units/96/print");
  await shoot(page, "hr-print");
  await page.goto("/hr/certificates");
  await shoot(page, "hr-certificates");
  await page.goto("/hr/attempts");
  await shoot(page, "hr-attempts");
  // A roster preview with errors (the province's own code makes every unit_code of this Hà Nội file wrong).
  await page.goto("/hr/import");
  await page.getByLabel("Tệp danh sách").setInputFiles(path.resolve("tests/fixtures/roster/three-bad-rows.csv"));
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByRole("heading", { name: "Xem trước" })).toBeVisible();
  await shoot(page, "hr-import-preview");
  expect(problems).toEqual([]);
});

test("admin and author pages: admin home, targets, author preview, item analysis", async ({ page }) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  await login(page, DEMO.admin);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Khóa học" })).toBeVisible();
  await shoot(page, "admin-home");
  await page.goto("/admin/targets");
  await shoot(page, "admin-targets");
  await logout(page);
  await login(page, DEMO.author);
  await page.goto("/author");
  await shoot(page, "author-index");
  await page.goto("/author/ky-nang-so-co-ban");
  await shoot(page, "author-preview");
  await page.goto("/author/items");
  await shoot(page, "author-items");
  await page.goto("/author/items/ky-nang-so-co-ban");
  await shoot(page, "author-item-analysis");
  expect(problems).toEqual([]);
});
