import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, login, watchConsole } from "./utils";

const ARTIFACTS = "tests/artifacts";
mkdirSync(ARTIFACTS, { recursive: true });

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/** "Đã đọc 2/5 bài" → 2 (progress is shared with other test files, so assertions are relative). */
async function readCount(page: Page): Promise<number> {
  const text = await page.locator(".course-progress__text").first().textContent();
  const m = /(\d+)\/(\d+)/.exec(text ?? "");
  if (!m) throw new Error(`no progress text in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

test.describe("course engine", () => {
  test("catalogue: every course, audience filter, my group's course highlighted, accessible", async ({ page }) => {
    const problems = watchConsole(page);
    await login(page, DEMO.commune);
    await page.goto("/courses");
    await expect(page.getByRole("heading", { level: 1, name: "Khóa học" })).toBeVisible();
    await expect(page.locator(".course-card")).toHaveCount(5);
    const mine = page.locator(".course-card", { has: page.getByRole("link", { name: "Hỗ trợ người dân sử dụng dịch vụ công trực tuyến" }) });
    await expect(mine).toHaveClass(/course-card--relevant/);
    await expect(mine.getByText("Dành cho bạn")).toBeVisible();
    await expect(page.locator(".course-card--relevant")).toHaveCount(1);
    expect(await axe(page)).toEqual([]);

    await page.getByLabel("Đối tượng").selectOption("it_dx");
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect(page).toHaveURL(/audience=it_dx/);
    await expect(page.locator(".course-card")).toHaveCount(1);
    await expect(page.locator(".course-card h2")).toHaveText("Quản lý dữ liệu cơ bản");
    expect(problems).toEqual([]);
  });

  test("without JavaScript: read a lesson, mark it read, see progress and resume on the course page", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await login(page, DEMO.learner);
    await page.goto("/courses/lanh-dao-chuyen-doi-so");
    const before = await readCount(page);
    // Open the first lesson not read yet.
    const unread = page.locator(".course-outline__item:not(.is-read) .course-outline__link").first();
    const lessonHref = await unread.getAttribute("href");
    await unread.click();
    await expect(page).toHaveURL(lessonHref!);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator("article.lesson__body h2").first()).toBeVisible();

    await page.getByRole("button", { name: "Đánh dấu đã đọc" }).click();
    await expect(page).toHaveURL(new RegExp(`${lessonHref}#lesson-progress$`));
    await expect(page.getByText("Bạn đã đọc bài này.", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Đánh dấu đã đọc" })).toHaveCount(0);

    await page.goto("/courses/lanh-dao-chuyen-doi-so");
    expect(await readCount(page)).toBe(before + 1);
    await expect(page.locator(`.course-outline__item.is-read .course-outline__link[href="${lessonHref}"]`)).toBeVisible();
    // Continue goes to an unread lesson, never back to the one just read.
    const resume = await page.locator("#resume-link").getAttribute("href");
    expect(resume).not.toBe(lessonHref);
    await expect(page.locator(`.course-outline__item:not(.is-read) .course-outline__link[href="${resume}"]`)).toBeVisible();
    await context.close();
  });

  test("with JavaScript: opening a lesson sets the resume point; reaching the end marks it read", async ({ page }) => {
    const problems = watchConsole(page);
    await login(page, DEMO.learner);
    await page.goto("/courses/ai-trong-cong-vu");
    const before = await readCount(page);
    const unread = page.locator(".course-outline__item:not(.is-read) .course-outline__link").last();
    const href = (await unread.getAttribute("href"))!;
    const visit = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(href));
    await unread.click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await visit;
    // Back on the course page, "continue" resumes exactly at the lesson that was open.
    await page.goto("/courses/ai-trong-cong-vu");
    await expect(page.locator("#resume-link")).toHaveAttribute("href", href);

    await page.goto(href);
    await page.locator(".lesson__end").scrollIntoViewIfNeeded();
    await expect(page.getByText("Đã ghi nhận: bạn đã đọc bài này.")).toBeVisible({ timeout: 15_000 });
    await page.goto("/courses/ai-trong-cong-vu");
    expect(await readCount(page)).toBe(before + 1);
    expect(problems).toEqual([]);
  });

  test("with JavaScript: an unread lesson opens again at the section where I stopped", async ({ page }) => {
    await login(page, DEMO.learner);
    await page.goto("/courses/quan-ly-du-lieu-co-ban");
    const href = (await page.locator(".course-outline__item:not(.is-read) .course-outline__link").first().getAttribute("href"))!;
    await page.goto(href);
    const section = page.locator("article.lesson__body h2").nth(2);
    await section.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 10));
    await page.waitForTimeout(800);
    await page.goto("/courses/quan-ly-du-lieu-co-ban");
    await page.locator(`.course-outline__link[href="${href}"]`).click();
    await expect(page).toHaveURL(href);
    await expect(section).toBeInViewport();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
  });

  test('search "du lieu" finds "dữ liệu" with highlighted snippets', async ({ page }) => {
    const problems = watchConsole(page);
    await login(page, DEMO.learner);
    await page.goto("/courses");
    await page.getByRole("link", { name: "Tìm trong bài học" }).click();
    await page.getByLabel("Từ khóa").fill("du lieu");
    await page.getByRole("button", { name: "Tìm", exact: true }).click();
    await expect(page).toHaveURL(/\/search\?q=du\+lieu/);
    await expect(page.locator(".search-count")).toContainText("«du lieu»");
    const first = page.locator(".search-result").first();
    await expect(first.locator("mark").first()).toHaveText(/^dữ liệu$/i);
    expect(await page.locator(".search-result mark").count()).toBeGreaterThan(3);
    expect(await axe(page)).toEqual([]);
    await first.getByRole("link").click();
    await expect(page).toHaveURL(/\/courses\/[a-z0-9-]+\/[a-z0-9-]+/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("lesson page: light on the wire, accessible, previous/next, other language", async ({ page, browser }) => {
    const problems = watchConsole(page);
    await login(page, DEMO.learner);
    /** Compressed bytes of the documents and scripts a navigation to `url` downloads in `p`. */
    const weigh = async (p: Page, url: string) => {
      const sizes: Promise<number>[] = [];
      const listener = (req: import("@playwright/test").Request) => {
        if (["document", "script"].includes(req.resourceType())) sizes.push(req.sizes().then((s) => s.responseBodySize));
      };
      p.on("requestfinished", listener);
      await p.goto(url);
      await p.waitForLoadState("networkidle");
      p.off("requestfinished", listener);
      return (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    };
    // A fresh context (empty cache) with the same session. A lesson is a plain document with one small script
    // (ADR 0017): no React/Remix runtime, so cold and warm cost about the same.
    // Service workers blocked: responses served by the offline cache report decoded sizes, not bytes on the wire.
    const cold = await browser.newContext({ storageState: await page.context().storageState(), serviceWorkers: "block" });
    const coldPage = await cold.newPage();
    const lesson = "/courses/ky-nang-so-co-ban/duyet-web-va-tim-kiem";
    const coldBytes = await weigh(coldPage, lesson);
    await weigh(coldPage, "/home");
    const warmBytes = await weigh(coldPage, "/courses/ky-nang-so-co-ban/thiet-bi-va-tep-tin");
    test.info().annotations.push({ type: "lesson page weight", description: `cold ${coldBytes} B, warm ${warmBytes} B (HTML + JS, compressed)` });
    expect(coldBytes).toBeGreaterThan(5_000);
    // Issue 4's target is 100 KB (it was 133 KB with React); now the HTML (~7 KB gzip) and the lesson script (~2.5 KB).
    expect(coldBytes).toBeLessThan(30 * 1024);
    expect(warmBytes).toBeGreaterThan(2_000);
    expect(warmBytes).toBeLessThan(30 * 1024);
    await cold.close();

    await page.goto("/courses/ky-nang-so-co-ban/duyet-web-va-tim-kiem");
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByRole("link", { name: /Bài trước/ })).toHaveAttribute("href", "/courses/ky-nang-so-co-ban/thiet-bi-va-tep-tin");
    await expect(page.getByRole("link", { name: /Bài tiếp theo/ })).toHaveAttribute("href", "/courses/ky-nang-so-co-ban/thu-dien-tu-van-ban-va-chu-ky-so");
    expect(await axe(page)).toEqual([]);
    // The English version of the same lesson, on request.
    await page.getByRole("link", { name: "Read it in English" }).click();
    await expect(page.locator("article.lesson__body")).toHaveAttribute("lang", "en");
    expect(problems).toEqual([]);
  });

  test("my learning lists the courses I started", async ({ page }) => {
    await login(page, DEMO.learner);
    await page.goto("/learning");
    await expect(page.getByRole("heading", { level: 1, name: "Việc học của tôi" })).toBeVisible();
    await expect(page.locator(".learning-item").filter({ hasText: "Lãnh đạo" }).first()).toBeVisible();
    expect(await axe(page)).toEqual([]);
  });

  test("author preview: warnings and word counts for authors only", async ({ page, browser }) => {
    await login(page, DEMO.author);
    await page.goto("/author");
    await expect(page.getByRole("heading", { level: 1, name: "Xem trước khóa học" })).toBeVisible();
    await expect(page.locator("tbody tr")).toHaveCount(5);
    await page.getByRole("link", { name: "Kỹ năng số cơ bản" }).click();
    await expect(page.locator("tbody tr")).toHaveCount(6);
    await expect(page.locator("tbody tr").first().locator("td").nth(3)).toHaveText(/^\d[\d.]*$/);
    expect(await axe(page)).toEqual([]);

    const learner = await browser.newContext();
    const lp = await learner.newPage();
    await login(lp, DEMO.learner);
    const res = await lp.goto("/author");
    expect(res?.status()).toBe(403);
    await learner.close();
  });

  test("self-check and glossary from the prebuilt lesson HTML: details without JS, checking with JS, no eval in the CSP", async ({ page, browser }) => {
    const lesson = "/courses/ky-nang-so-co-ban/thiet-bi-va-tep-tin";
    const box = (p: Page) => p.locator(".mdx-selfcheck").filter({ hasText: "Tên tệp nào dễ tìm" });

    // Without JavaScript: the options as a list and the answer behind "Xem đáp án".
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const np = await noJs.newPage();
    await login(np, DEMO.learner);
    await np.goto(lesson);
    await expect(box(np).locator(".mdx-selfcheck__options li")).toHaveCount(3);
    await expect(box(np).getByRole("button", { name: "Kiểm tra" })).toBeHidden();
    await box(np).getByText("Xem đáp án").click();
    await expect(box(np).locator(".mdx-selfcheck__details .mdx-selfcheck__answer")).toBeVisible();
    await expect(box(np).locator(".mdx-selfcheck__details .mdx-selfcheck__answer")).toHaveText("Đáp án: B. 20260315_bao-cao-bien-che-quy-I_v03.docx");
    await noJs.close();

    // With JavaScript: choose, check, verdict; changing the choice clears the verdict.
    const problems = watchConsole(page);
    await login(page, DEMO.learner);
    const res = await page.goto(lesson);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'(;|$)/);
    expect(csp).not.toContain("unsafe-eval");
    const b = box(page);
    await expect(b.locator(".mdx-selfcheck__options")).toBeHidden();
    const check = b.getByRole("button", { name: "Kiểm tra" });
    await expect(check).toBeDisabled();
    await b.getByLabel("A. Bao cao moi nhat chot.docx").check();
    await check.click();
    const status = b.getByRole("status");
    await expect(status.getByText("Chưa đúng.")).toBeVisible();
    await expect(status.getByText("Chính xác!")).toBeHidden();
    await expect(status.locator(".mdx-selfcheck__answer")).toHaveText("Đáp án: B. 20260315_bao-cao-bien-che-quy-I_v03.docx");
    await expect(status.locator(".mdx-selfcheck__answer")).toBeVisible();
    await expect(b.locator('.mdx-selfcheck__option[data-state="wrong"]')).toHaveCount(1);
    await b.getByLabel("B. 20260315_bao-cao-bien-che-quy-I_v03.docx").check();
    await expect(status.locator(".mdx-selfcheck__reveal")).toBeHidden();
    await expect(b.locator(".mdx-selfcheck__option[data-state]")).toHaveCount(0);
    await check.click();
    await expect(status.getByText("Chính xác!")).toBeVisible();
    await expect(status.getByText("Chưa đúng.")).toBeHidden();

    // Glossary term: the tooltip shows on focus and Escape hides it.
    const term = page.locator(".mdx-term").filter({ hasText: "ransomware" });
    await term.locator(".mdx-term__word").focus();
    await expect(term.getByRole("tooltip")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(term).toHaveAttribute("data-dismissed", "");
    await page.keyboard.press("Tab");
    await expect(term).not.toHaveAttribute("data-dismissed", "");
    expect(await axe(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  test("a lesson is a plain page with one script; the same lesson after a client navigation; mark as read with JavaScript", async ({ page }) => {
    const problems = watchConsole(page);
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await login(page, DEMO.learner);
    const first = "/courses/ky-nang-so-co-ban/thiet-bi-va-tep-tin";
    scripts.length = 0;
    await page.goto(first);
    await page.waitForLoadState("networkidle");
    // The document: no hydration data, only the lesson script; the lesson text once.
    expect(scripts).toEqual([expect.stringMatching(/^\/assets\/lesson-[A-Z0-9]+\.js$/)]);
    const html = await page.content();
    expect(html).not.toContain("__remixContext");
    expect(html.split("Tên tệp nào dễ tìm").length - 1).toBe(1);
    await expect(page.locator(".lesson__body .mdx-selfcheck__interactive").first()).toBeVisible();
    await expect(page.locator(".site-nav a[aria-current=page]")).toHaveText("Khóa học");

    // Next/previous are document loads of the same kind.
    await page.getByRole("link", { name: /Bài tiếp theo/ }).click();
    await expect(page).not.toHaveURL(first);
    await expect(page.locator("article.lesson__body h2").first()).toBeVisible();
    await page.getByRole("link", { name: /Bài trước/ }).click();
    await expect(page).toHaveURL(first);
    await expect(page.locator(".lesson__body .mdx-selfcheck__interactive").first()).toBeVisible();

    // From a React page, a client navigation renders the same markup through the Remix route, enhanced too.
    await page.goto("/courses/quan-ly-du-lieu-co-ban");
    await page.waitForLoadState("networkidle");
    const link = page.locator(".course-outline__item:not(.is-read) .course-outline__link").first();
    const href = (await link.getAttribute("href"))!;
    const documents: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "document") documents.push(r.url());
    });
    await link.click();
    await expect(page).toHaveURL(href);
    await expect(page.locator("article.lesson__body h2").first()).toBeVisible();
    expect(documents).toEqual([]);
    const progress = page.locator("#lesson-progress .course-progress__text");
    const before = Number(/(\d+)\/\d+/.exec((await progress.textContent()) ?? "")?.[1]);
    // Mark as read with JavaScript: no page load, the message, the badge and the count change in place.
    await page.getByRole("button", { name: "Đánh dấu đã đọc" }).click();
    // A write: on a busy 2-core CI machine it can wait behind other writes for seconds.
    await expect(page.getByText("Đã ghi nhận: bạn đã đọc bài này.")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole("button", { name: "Đánh dấu đã đọc" })).toBeHidden();
    await expect(progress).toContainText(`${before + 1}/`);
    await expect(page.locator(".lesson__meta [data-lesson-read]")).toBeVisible();
    expect(documents).toEqual([]);
    // And the server has it: the plain page says so after a reload.
    await page.reload();
    await expect(page.getByText("Bạn đã đọc bài này.", { exact: true })).toBeVisible();

    // English interface: the same page, in English, still without React.
    await page.goto(first);
    await page.getByRole("button", { name: "English", exact: true }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.locator("#lesson-progress :is(button, p[data-message]):visible").first()).toHaveText(/^(Mark as read|You have read this lesson\.)$/);
    await page.getByRole("link", { name: /Next lesson/ }).click();
    await expect(page.getByRole("link", { name: /Previous lesson/ })).toBeVisible();
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    expect(problems).toEqual([]);
  });

  test("course assets refuse path traversal; lessons need a login", async ({ page, request }) => {
    const anon = await request.get("/courses/ky-nang-so-co-ban/thiet-bi-va-tep-tin", { maxRedirects: 0 });
    expect(anon.status()).toBe(302);
    await login(page, DEMO.learner);
    for (const p of ["..%2F..%2Fpackage.json", "%2e%2e/index.json", "%2E%2E%2F%2E%2E%2Fcontent%2Findex.json", ".hidden.png"]) {
      const res = await page.request.get(`/course-assets/ky-nang-so-co-ban/${p}`);
      expect(res.status(), p).toBe(404);
    }
    expect((await page.request.get("/courses/khong-co-khoa-nay")).status()).toBe(404);
    expect((await page.request.get("/courses/ky-nang-so-co-ban/khong-co-bai-nay")).status()).toBe(404);
  });

  test("screenshots at 360 px and 1280 px", async ({ page }) => {
    await login(page, DEMO.learner);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, url] of [
        ["catalogue", "/courses"],
        ["course", "/courses/ky-nang-so-co-ban"],
        ["lesson", "/courses/ky-nang-so-co-ban/thiet-bi-va-tep-tin"],
        ["search", "/search?q=du+lieu"],
        ["learning", "/learning"],
      ]) {
        await page.goto(url!);
        await page.screenshot({ path: `${ARTIFACTS}/courses-${name}-${width}.png`, fullPage: name !== "lesson" });
        // Nothing wider than the screen.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} at ${width}px`).toBeLessThanOrEqual(0);
      }
    }
  });
});
