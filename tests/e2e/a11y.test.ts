/**
 * Accessibility sweep on the production build: every page, as the public, a learner, an HR officer, an author and
 * the administrator, at 1280 px and 360 px, has no serious or critical axe violation (WCAG 2.1 A/AA rules); an
 * exam can be taken with the keyboard only (Tab, Space, Enter) and the focus is always visible; <html lang>
 * follows the language. The learner is created here (not a demo account) so the other journeys keep their state.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "../../db/client";
import { unitId } from "../../db/reference";
import { people, users } from "../../db/schema";
import type { Exam } from "../../app/assessments/exam-schema";
import { insertUser, prepareUser } from "../../app/auth/accounts.server";
import { applyPeopleChanged, snapshotPeople } from "../../app/reports/counters.server";
import { newId } from "../../app/utils/ids";
import { answerKey, markLessonsRead } from "../factories/exams";
import { DEMO, login } from "./utils";

const LEARNER = "a11y.hocvien";
const PASSWORD = "mat-khau-a11y-2026";
// A course no other e2e file takes an exam in: its attempts must not change the counts they check (exams.test.ts item analysis).
const KEYBOARD_COURSE = "ho-tro-nguoi-dan-dich-vu-cong";
const PASS_COURSE = "ai-trong-cong-vu";
const WIDTHS = [1280, 360] as const;

let database: Database;
/** Pages that need ids found while running (an attempt, a certificate, an account). */
const found: { attemptId?: string; serial?: string; lesson?: string; userPage?: string } = {};

test.describe.configure({ mode: "serial" });
test.use({ serviceWorkers: "block" });

test.beforeAll(async () => {
  database = await openDatabase("file:data/e2e/lms.db");
  const [existing] = await database.read.select({ id: users.id }).from(users).where(eq(users.username, LEARNER));
  if (!existing) {
    const personId = newId();
    const prepared = await prepareUser({ username: LEARNER, displayName: "Bùi Thị Hoa", password: PASSWORD, personId, roles: [{ role: "learner", orgUnitId: unitId("G06-VP") }] });
    const now = Date.now();
    await database.write(async (tx) => {
      const snapshot = await snapshotPeople(tx, [], now);
      await tx.insert(people).values({ id: personId, staffCode: "A11Y-0001", fullName: "Bùi Thị Hoa", orgUnitId: unitId("G06-VP"), category: "civil_servant", createdAt: now, updatedAt: now });
      await applyPeopleChanged(tx, snapshot, [personId], now);
      await insertUser(tx, prepared, "e2e:a11y");
    });
    for (const slug of [KEYBOARD_COURSE, PASS_COURSE]) await markLessonsRead(database, personId, slug);
  }
});

test.afterAll(() => database?.close());

/** The focused element has a visible focus indicator (outline or the app's focus ring). */
async function focusIsVisible(page: Page): Promise<{ tag: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: "body", visible: true };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    const ring = s.boxShadow !== "none" && s.boxShadow !== "";
    return { tag: `${el.tagName.toLowerCase()}${el.getAttribute("type") ? `[type=${el.getAttribute("type")}]` : ""} ${el.textContent?.trim().slice(0, 30) ?? ""}`, visible: outline || ring };
  });
}

test("an exam taken with the keyboard only: Tab to each question, Space to answer, Enter to submit; focus always visible", async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, LEARNER, PASSWORD);
  await page.goto(`/courses/${KEYBOARD_COURSE}/exam`);
  const start = page.getByRole("button", { name: "Bắt đầu làm bài" });
  await expect(start).toBeVisible();
  const invisible: string[] = [];
  // Tab until the start button has the focus, then Enter.
  for (let i = 0; i < 60 && !(await start.evaluate((b) => b === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
    const f = await focusIsVisible(page);
    if (!f.visible) invisible.push(`start page: ${f.tag}`);
  }
  await expect(start).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/exam\/[0-9a-z]+$/);
  found.attemptId = new URL(page.url()).pathname.split("/")[2]!;
  const questions = page.locator("fieldset.exam-question");
  await expect(questions).toHaveCount(20);
  // The exam page itself, before any answer, at both widths.
  const axeProblems: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
    axeProblems.push(...(await violations(page, `learner /exam/<id> @${width}`)));
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(axeProblems).toEqual([]);
  // Back to the top of the page: the keyboard run starts from the first focusable element.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  const submit = page.getByRole("button", { name: "Nộp bài" });
  const answered = new Set<string>();
  for (let i = 0; i < 600; i++) {
    await page.keyboard.press("Tab");
    const f = await focusIsVisible(page);
    if (!f.visible) invisible.push(`exam page: ${f.tag}`);
    const state = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return { name: el?.tagName === "INPUT" ? el.name : null, checked: el?.checked ?? false, isSubmit: el?.tagName === "BUTTON" && el.textContent?.trim() === "Nộp bài" };
    });
    if (state.name?.startsWith("choice-") && !answered.has(state.name)) {
      // Space checks the focused option (a radio group's first option, or a checkbox).
      await page.keyboard.press("Space");
      answered.add(state.name);
      await expect(page.locator(`input[name="${state.name}"]:checked`)).not.toHaveCount(0);
    }
    if (state.isSubmit) break;
  }
  expect(answered.size).toBe(20);
  await expect(page.getByTestId("save-summary")).toContainText("Mọi câu trả lời đã được lưu");
  await expect(submit).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/exam\/[0-9a-z]+\/result$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Kết quả");
  expect(invisible).toEqual([]);
});

test("the learner passes another exam (a certificate for the certificate pages)", async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, LEARNER, PASSWORD);
  await page.goto(`/courses/${PASS_COURSE}/exam`);
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(page).toHaveURL(/\/exam\/[0-9a-z]+$/);
  const exam = JSON.parse(readFileSync(`build/content/${PASS_COURSE}/exam.json`, "utf8")) as Exam;
  const key = answerKey(exam);
  await expect(page.locator("fieldset.exam-question")).toHaveCount(20);
  const names = await page.locator("fieldset.exam-question input").evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))]);
  for (const id of names.map((n) => n.replace(/^choice-/, ""))) {
    for (const option of key.get(id)!) await page.locator(`input[name="choice-${id}"][value="${option}"]`).check();
  }
  await expect(page.getByTestId("save-summary")).toContainText("Mọi câu trả lời đã được lưu");
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page).toHaveURL(/\/result$/);
  const link = page.getByRole("link", { name: /Xem chứng nhận [A-Z]{2,5}-\d{4}-\d{6}-[0-9A-Z]/ });
  found.serial = (await link.getAttribute("href"))!.split("#")[1]!;
});

/** serious/critical violations of WCAG 2.1 A/AA rules on the page as it is now. */
async function violations(page: Page, where: string): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
}

async function sweep(page: Page, who: string, urls: string[]): Promise<void> {
  const problems: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
    for (const url of urls) {
      const res = await page.goto(url);
      expect(res?.status(), `${who} ${url}`).toBeLessThan(400);
      problems.push(...(await violations(page, `${who} ${url} @${width}`)));
    }
  }
  expect(problems).toEqual([]);
}

test("public pages: no serious or critical violation at 1280 and 360 px", async ({ page }) => {
  test.setTimeout(120_000);
  await sweep(page, "public", ["/", "/login", "/verify", `/verify?serial=${found.serial ?? "KNS-2026-000001-X"}`, "/v/not-a-real-token"]);
});

test("learner pages: no serious or critical violation at 1280 and 360 px", async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, LEARNER, PASSWORD);
  await page.goto(`/courses/${KEYBOARD_COURSE}`);
  const lessonHref = await page.locator(`a[href^="/courses/${KEYBOARD_COURSE}/"]`).filter({ hasNotText: /kiểm tra/i }).first().getAttribute("href");
  found.lesson = lessonHref!;
  await sweep(page, "learner", [
    "/home",
    "/learning",
    "/courses",
    `/courses/${KEYBOARD_COURSE}`,
    found.lesson,
    `/courses/${KEYBOARD_COURSE}/exam`,
    `/exam/${found.attemptId}/result`,
    "/certificates",
    "/account",
    "/search?q=m%E1%BA%ADt%20kh%E1%BA%A9u",
  ]);
});

test("HR pages: no serious or critical violation at 1280 and 360 px", async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, DEMO.hrMinistry);
  await sweep(page, "hr", [
    "/hr",
    "/hr/units/G06",
    "/hr/units/G06/missing",
    "/hr/units/G06/print",
    "/hr/import",
    "/hr/attempts?unit=G06",
    "/hr/certificates",
    `/hr/certificates/${found.serial}`,
  ]);
});

test("HR pages with communes (province officer): no serious or critical violation", async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, DEMO.hrProvince);
  await sweep(page, "hr-province", ["/hr/units/96", "/hr/units/96/communes"]);
});

test("author pages: no serious or critical violation at 1280 and 360 px", async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, DEMO.author);
  await sweep(page, "author", ["/author", `/author/${KEYBOARD_COURSE}`, "/author/items", `/author/items/${KEYBOARD_COURSE}`]);
});

test("admin pages: no serious or critical violation at 1280 and 360 px", async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, DEMO.admin);
  await page.goto(`/admin/users?q=${LEARNER}`);
  found.userPage = (await page.getByRole("link", { name: LEARNER }).getAttribute("href"))!;
  await sweep(page, "admin", ["/admin", "/admin/targets", "/admin/audit", "/admin/audit?action=user.", "/admin/users", found.userPage]);
});

test("<html lang> is vi by default and en after switching", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await page.goto("/login");
  await page.locator("form[action='/lang'] button").last().click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log in");
  const problems = await violations(page, "public /login (en)");
  expect(problems).toEqual([]);
});
