import { expect, test } from "@playwright/test";
import { DEMO, login } from "./utils";

const COURSE = "/courses/ho-tro-nguoi-dan-dich-vu-cong";
const LESSON = `${COURSE}/nop-ho-so-truc-tuyen`;

test("a lesson opened once stays readable offline, and progress made offline is sent when back online", async ({ page, context }) => {
  test.setTimeout(60_000);
  await login(page, DEMO.commune);
  await page.goto(LESSON);
  // Wait until the service worker controls the page, then load the lesson once through it.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await page.reload();
  const title = await page.getByRole("heading", { level: 1 }).textContent();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title!);
  await expect(page.locator("article.lesson__body h2").first()).toBeVisible();

  // Reach the end and stay: the lesson is marked read into the offline queue.
  await page.locator(".lesson__end").scrollIntoViewIfNeeded();
  await expect(page.getByText("Bạn đang ngoại tuyến: tiến độ đã được lưu trên máy")).toBeVisible({ timeout: 15_000 });
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem("lms:progress-queue") ?? "[]").length);
  expect(queued).toBe(1);

  // An exam needs a connection and says so.
  const exam = await page.goto(`${COURSE}/exam`).catch(() => null);
  if (exam) await expect(page.getByText(/Bài thi cần kết nối mạng/)).toBeVisible();

  await context.setOffline(false);
  await page.goto(LESSON);
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("lms:progress-queue") ?? "[]").length)).toBe(0);
  await page.goto(COURSE);
  await expect(page.locator(`.course-outline__item.is-read .course-outline__link[href="${LESSON}"]`)).toBeVisible();
});

test("logging out forgets the lessons cached on this device", async ({ page }) => {
  await login(page, DEMO.commune);
  await page.goto(`${COURSE}/chinh-quyen-hai-cap`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page).toHaveURL(/\/$/);
  // No page of the learner's is kept (the public route manifest the next page fetches may be cached again).
  await expect
    .poll(() => page.evaluate(async () => (await (await caches.open("lms-pages-v1")).keys()).map((r) => new URL(r.url).pathname).filter((p) => p !== "/__manifest")))
    .toEqual([]);
});
