/**
 * Exam journeys on the production build: take a demo exam with and without JavaScript, pass, see the review and
 * the certificate link; fail and see the cooldown; autosave survives failed requests and reloads; nobody else can
 * open an attempt; HR and authors see only their scope. The right answers are read from build/content in this
 * test process, never from a page.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { openDatabase, type Database } from "../../db/client";
import type { Exam } from "../../app/assessments/exam-schema";
import { answerKey, markLessonsRead, personOf, wrongKey } from "../factories/exams";
import { DEMO, login, watchConsole } from "./utils";

const PASS_JS = "ky-nang-so-co-ban";
const PASS_NO_JS = "quan-ly-du-lieu-co-ban";
const FAIL = "ai-trong-cong-vu";

const examOf = (slug: string) => JSON.parse(readFileSync(`build/content/${slug}/exam.json`, "utf8")) as Exam;

let database: Database;

test.beforeAll(async () => {
  database = await openDatabase("file:data/e2e/lms.db");
  const learner = await personOf(database, DEMO.learner);
  for (const slug of [PASS_JS, PASS_NO_JS, FAIL]) await markLessonsRead(database, learner, slug);
});

test.afterAll(() => database?.close());

/** Every explanation (both languages) of a course, and the word "correct": none may reach the browser before submit. */
function expectNoKeys(body: string, exam: Exam, where: string) {
  for (const q of exam.questions) {
    expect(body, `${where}: explanation of ${q.id}`).not.toContain(q.explanation.vi);
    expect(body, `${where}: explanation of ${q.id}`).not.toContain(q.explanation.en);
  }
  expect(body, where).not.toMatch(/correct/i);
}

async function startExam(page: Page, slug: string): Promise<string> {
  await page.goto(`/courses/${slug}/exam`);
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(page).toHaveURL(/\/exam\/[0-9a-z]+$/);
  return new URL(page.url()).pathname.split("/")[2]!;
}

async function noSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe.configure({ mode: "serial" });
// The offline service worker would take these requests out of reach of page.route (used to simulate failures).
test.use({ serviceWorkers: "block" });

test("with JavaScript: every answer autosaves (through failures and a reload), nothing leaks, pass → review and certificate link", async ({ page }) => {
  test.setTimeout(120_000); // 20 questions, retries with backoff, a reload and an accessibility scan on 2 shared cores
  const problems = watchConsole(page);
  const exam = examOf(PASS_JS);
  const key = answerKey(exam);
  const saveBodies: string[] = [];
  page.on("response", async (r) => {
    if (r.url().endsWith("/save")) saveBodies.push(await r.text().catch(() => ""));
  });

  await login(page, DEMO.learner);
  const attemptId = await startExam(page, PASS_JS);
  // Starting again (another tab, a double click) lands on the same attempt.
  await page.goto(`/courses/${PASS_JS}/exam`);
  await page.getByRole("button", { name: "Tiếp tục làm bài" }).click();
  await expect(page).toHaveURL(new RegExp(`/exam/${attemptId}$`));

  // The HTML and the loader data carry no answer key and no explanation.
  expectNoKeys(await (await page.request.get(`/exam/${attemptId}`)).text(), exam, "HTML");
  expectNoKeys(await (await page.request.get(`/exam/${attemptId}.data`)).text(), exam, "loader data");

  const questions = page.locator("fieldset.exam-question");
  await expect(questions).toHaveCount(20); // all questions on one page once hydrated
  await expect(page.getByTestId("countdown")).toHaveText(/^(29|30):\d\d$/);
  const names = await page.locator("fieldset.exam-question input").evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))]);
  const ids = names.map((n) => n.replace(/^choice-/, ""));
  expect(ids).toHaveLength(20);

  // The first two saves fail on the network: the page says so and retries by itself. (A one-answer question, so
  // that a single click makes a single save and the failure stays on screen through both retries.)
  let failures = 0;
  await page.route("**/save", (route) => (failures++ < 2 ? route.abort("failed") : route.continue()));
  const first = ids.find((id) => key.get(id)!.length === 1)!;
  await page.locator(`input[name="choice-${first}"][value="${key.get(first)![0]}"]`).check();
  await expect(page.locator(`#q-${first}-status`)).toContainText("Chưa lưu được");
  await expect(page.getByTestId("save-summary")).toContainText("chưa lưu được");
  await expect(page.locator(`#q-${first}-status`)).toContainText(/Đã lưu lúc \d\d:\d\d:\d\d/, { timeout: 15_000 });
  expect(failures).toBeGreaterThanOrEqual(2);
  await page.unroute("**/save");

  for (const id of ids.filter((x) => x !== first)) {
    for (const option of key.get(id)!) await page.locator(`input[name="choice-${id}"][value="${option}"]`).check();
    await expect(page.locator(`#q-${id}-status`)).toContainText("Đã lưu lúc");
  }
  await expect(page.getByTestId("save-summary")).toContainText("Mọi câu trả lời đã được lưu");
  for (const body of saveBodies) expectNoKeys(body, exam, "save response");

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "tests/artifacts/exam-take-1280.png" });
  await page.setViewportSize({ width: 360, height: 740 });
  await noSideScroll(page);
  await page.screenshot({ path: "tests/artifacts/exam-take-360.png" });
  await page.setViewportSize({ width: 1280, height: 900 });

  // A reload (or a closed browser) resumes with every saved answer.
  await page.reload();
  await expect(questions).toHaveCount(20);
  for (const id of ids) {
    for (const option of key.get(id)!) await expect(page.locator(`input[name="choice-${id}"][value="${option}"]`)).toBeChecked();
  }
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page).toHaveURL(new RegExp(`/exam/${attemptId}/result$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Kết quả");
  await expect(page.getByTestId("score-percent")).toHaveText("100%");
  await expect(page.getByText("Chúc mừng! Bạn đã đạt bài kiểm tra.")).toBeVisible();
  const certificate = page.getByRole("link", { name: /Xem chứng nhận KNS-\d{4}-\d{6}-[0-9A-Z]/ });
  await expect(certificate).toHaveAttribute("href", /^\/certificates#KNS-\d{4}-\d{6}-[0-9A-Z]$/);
  const serial = (await certificate.getAttribute("href"))!.split("#")[1]!;
  // The review follows the exam's policy (explanations) once passed.
  await expect(page.getByText("Giải thích:").first()).toBeVisible();
  const anyExplanation = exam.questions.find((q) => ids.includes(q.id))!.explanation.vi;
  await expect(page.getByText(anyExplanation)).toBeVisible();
  await page.screenshot({ path: "tests/artifacts/exam-result-1280.png", fullPage: false });
  const axeResult = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axeResult.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.setViewportSize({ width: 360, height: 740 });
  await noSideScroll(page);
  await page.screenshot({ path: "tests/artifacts/exam-result-360.png" });
  // The link leads to the learner's certificate, issued in the same write as the grade, with its PDF.
  await page.setViewportSize({ width: 1280, height: 800 });
  await certificate.click();
  await expect(page.locator(`li[id="${serial}"]`)).toContainText(serial);
  await expect(page.locator(`li[id="${serial}"] a[href="/certificates/${serial}.pdf"]`)).toBeVisible();

  // Submitting again changes nothing; the attempt page now sends to the result.
  const again = await page.request.post(`/exam/${attemptId}`, { form: { intent: "submit", reason: "candidate" }, maxRedirects: 0 });
  expect(again.status()).toBe(302);
  await page.goto(`/exam/${attemptId}`);
  await expect(page).toHaveURL(new RegExp(`/exam/${attemptId}/result$`));
  const late = await page.request.post(`/exam/${attemptId}/save`, { data: { questionId: ids[0], selected: [], seq: Date.now() * 2 } });
  expect(late.status()).toBe(409);
  expect(await late.json()).toMatchObject({ ok: false, error: "attempt_closed" });
  expect(problems.filter((p) => !/ERR_FAILED|net::/.test(p))).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("one question per page with 'save and next', then submit, pass, certificate link", async ({ page }) => {
    test.setTimeout(120_000); // 20 full page round trips
    const exam = examOf(PASS_NO_JS);
    const key = answerKey(exam);
    await login(page, DEMO.learner);
    const attemptId = await startExam(page, PASS_NO_JS);
    await page.screenshot({ path: "tests/artifacts/exam-nojs-1280.png", fullPage: true });
    for (let n = 1; n <= 20; n++) {
      await expect(page.getByText(`Câu ${n}/20`)).toBeVisible();
      const id = await page.locator('input[name="questionId"]').inputValue();
      for (const option of key.get(id)!) await page.locator(`input[name="choice"][value="${option}"]`).check();
      if (n < 20) await page.getByRole("button", { name: "Lưu và sang câu tiếp theo" }).click();
      else await page.getByRole("button", { name: "Lưu câu trả lời" }).click();
      await expect(page.getByRole("status").filter({ hasText: `Đã lưu câu ${n} lúc` })).toBeVisible();
    }
    await expect(page.getByText("Đã trả lời 20/20 câu.")).toBeVisible();
    await page.setViewportSize({ width: 360, height: 740 });
    await noSideScroll(page);
    await page.screenshot({ path: "tests/artifacts/exam-nojs-360.png", fullPage: true });
    await page.getByRole("button", { name: "Nộp bài" }).click();
    await expect(page).toHaveURL(new RegExp(`/exam/${attemptId}/result$`));
    await expect(page.getByTestId("score-percent")).toHaveText("100%");
    await expect(page.getByRole("link", { name: /Xem chứng nhận QLD-/ })).toHaveAttribute("href", /^\/certificates#QLD-/);
    await expect(page.getByText("Giải thích:").first()).toBeVisible();
  });
});

test("fail: score only, attempts left and the cooldown, on the result and the start page", async ({ page }) => {
  const exam = examOf(FAIL);
  const wrong = wrongKey(exam);
  await login(page, DEMO.learner);
  const attemptId = await startExam(page, FAIL);
  const questions = page.locator("fieldset.exam-question");
  await expect(questions).toHaveCount(20);
  const names = await page.locator("fieldset.exam-question input").evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))]);
  for (const name of names.slice(0, 5)) {
    const id = name.replace(/^choice-/, "");
    await page.locator(`input[name="${name}"][value="${wrong.get(id)![0]}"]`).check();
    await expect(page.locator(`#q-${id}-status`)).toContainText("Đã lưu lúc");
  }
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page).toHaveURL(new RegExp(`/exam/${attemptId}/result$`));
  await expect(page.getByText("Bạn chưa đạt bài kiểm tra lần này.")).toBeVisible();
  await expect(page.getByText("Bạn còn 2 lần làm bài.")).toBeVisible();
  await expect(page.getByTestId("retry-at")).toContainText(/Bạn có thể làm lại từ \d\d:\d\d \d\d\/\d\d\/\d{4}/);
  await expect(page.getByText("Đáp án và giải thích được hiển thị khi bạn đạt")).toBeVisible();
  // No key on a failed page while attempts remain.
  expectNoKeys(await (await page.request.get(`/exam/${attemptId}/result`)).text(), exam, "failed result");
  await page.screenshot({ path: "tests/artifacts/exam-fail-1280.png" });

  await page.goto(`/courses/${FAIL}/exam`);
  await expect(page.getByText(/Bạn có thể làm lại từ/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Bắt đầu làm bài" })).toHaveCount(0);
  const refused = await page.request.post(`/courses/${FAIL}/exam`, { maxRedirects: 0 });
  expect(refused.status()).toBe(409);
  await page.screenshot({ path: "tests/artifacts/exam-start-cooldown-1280.png", fullPage: true });
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.setViewportSize({ width: 360, height: 740 });
  await noSideScroll(page);
  await page.screenshot({ path: "tests/artifacts/exam-start-cooldown-360.png", fullPage: true });
});

test("another learner cannot open, answer or submit someone else's attempt, and must read the lessons first", async ({ browser }) => {
  const owner = await browser.newPage();
  await login(owner, DEMO.learner);
  await owner.goto(`/courses/${PASS_JS}/exam`);
  const resultLink = owner.getByRole("link", { name: "Xem kết quả" }).first();
  const href = await resultLink.getAttribute("href");
  const attemptId = href!.split("/")[2]!;

  const other = await browser.newPage();
  await login(other, DEMO.commune);
  expect((await other.goto(`/exam/${attemptId}`))?.status()).toBe(404);
  expect((await other.goto(`/exam/${attemptId}/result`))?.status()).toBe(404);
  const save = await other.request.post(`/exam/${attemptId}/save`, { data: { questionId: "kns-001", selected: ["a"], seq: 1 } });
  expect(save.status()).toBe(404);
  const submit = await other.request.post(`/exam/${attemptId}`, { form: { intent: "submit" }, maxRedirects: 0 });
  expect(submit.status()).toBe(404);

  await other.goto(`/courses/${PASS_JS}/exam`);
  await expect(other.getByText(/Bạn cần đọc hết các bài học trước khi làm bài kiểm tra \(đã đọc 0\/\d+ bài\)/)).toBeVisible();
  await expect(other.getByRole("button", { name: "Bắt đầu làm bài" })).toHaveCount(0);
  await owner.close();
  await other.close();
});

test("HR sees results in their units only; authors see item analysis; learners see neither", async ({ page }) => {
  await login(page, DEMO.hrMinistry);
  await page.goto("/hr/attempts?unit=G06");
  const table = page.getByRole("table");
  await expect(table).toContainText("Nguyễn Thị Lan");
  await expect(table).toContainText(/KNS-\d{4}-\d{6}-[0-9A-Z]/);
  await page.screenshot({ path: "tests/artifacts/exam-hr-1280.png", fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await noSideScroll(page);
  await page.screenshot({ path: "tests/artifacts/exam-hr-360.png", fullPage: true });
  expect((await page.goto("/hr/attempts?unit=96"))?.status()).toBe(403);

  const province = await page.context().browser()!.newPage();
  await login(province, DEMO.hrProvince);
  expect((await province.goto("/hr/attempts?unit=G06"))?.status()).toBe(403);
  await province.goto("/hr/attempts");
  await expect(province).toHaveURL(/unit=96/);
  await expect(province.getByText("Chưa có lượt làm bài nào.")).toBeVisible();
  await province.close();

  const author = await page.context().browser()!.newPage({ viewport: { width: 1280, height: 900 } });
  await login(author, DEMO.author);
  await author.goto("/author/items");
  await author.getByRole("row", { name: /Kỹ năng số cơ bản/ }).getByRole("link", { name: "Xem phân tích" }).click();
  await expect(author.getByRole("heading", { level: 1 })).toHaveText("Phân tích câu hỏi: Kỹ năng số cơ bản");
  await expect(author.getByText("1 bài làm đã chấm, 1 bài đạt.")).toBeVisible();
  await author.screenshot({ path: "tests/artifacts/exam-items-1280.png" });
  await author.close();

  const learner = await page.context().browser()!.newPage();
  await login(learner, DEMO.learner);
  expect((await learner.goto("/author/items"))?.status()).toBe(403);
  expect((await learner.goto("/hr/attempts?unit=G06"))?.status()).toBe(403);
  await learner.close();
});
