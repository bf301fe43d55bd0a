import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, login, watchConsole } from "./utils";

test.describe("foundation journeys", () => {
  test("landing page is Vietnamese, accessible and has no console errors", async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chương trình phát triển Chính phủ số");
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    expect(problems).toEqual([]);
  });

  for (const [role, username, expectNav] of [
    ["learner", DEMO.learner, null],
    ["commune official", DEMO.commune, null],
    ["HR of a ministry", DEMO.hrMinistry, "Báo cáo nhân sự"],
    ["HR of a province", DEMO.hrProvince, "Báo cáo nhân sự"],
    ["author", DEMO.author, null],
    ["admin", DEMO.admin, "Quản trị"],
  ] as const) {
    test(`logs in as the demo ${role}`, async ({ page }) => {
      const problems = watchConsole(page);
      await login(page, username);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Xin chào");
      if (expectNav) await expect(page.getByRole("navigation").getByRole("link", { name: expectNav })).toBeVisible();
      expect(problems).toEqual([]);
    });
  }

  test("the learner home shows the next step for each target that counts the learner", async ({ page }) => {
    await login(page, DEMO.commune);
    const commune = page.locator("li.card", { hasText: "T-XA-100" });
    await expect(commune.getByRole("link", { name: /Bắt đầu học|Học tiếp|Làm bài kiểm tra/ })).toHaveAttribute("href", /\/courses\/ho-tro-nguoi-dan-dich-vu-cong/);
    const skills = page.locator("li.card", { hasText: "T-DS-100" });
    await expect(skills.getByRole("link", { name: /Bắt đầu học|Học tiếp|Làm bài kiểm tra/ })).toHaveAttribute("href", /\/courses\/ky-nang-so-co-ban/);
    // A commune official is not IT/DX staff: the data-management target does not apply.
    await expect(page.locator("li.card", { hasText: "T-DM-50" })).toHaveCount(0);
  });

  test("a wrong password shows a clear error and keeps the username", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Tên đăng nhập").fill(DEMO.learner);
    await page.getByLabel("Mật khẩu").fill("not-the-password");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("alert")).toHaveText("Tên đăng nhập hoặc mật khẩu không đúng.");
    await expect(page.getByLabel("Tên đăng nhập")).toHaveValue(DEMO.learner);
  });

  test("repeated failures lock the account name with a 'try again in N minutes' message", async ({ page }) => {
    for (let i = 0; i < 5; i++) {
      await page.goto("/login");
      await page.getByLabel("Tên đăng nhập").fill("khong.ton.tai");
      await page.getByLabel("Mật khẩu").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await expect(page.getByRole("alert")).toBeVisible();
    }
    await expect(page.getByRole("alert")).toContainText(/thử lại sau 15 phút/);
  });

  test("switches language to English and back, remembered across pages", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "English", exact: true }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Digital Government Development Programme");
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log in");
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng nhập");
  });

  test("log out ends the session", async ({ page }) => {
    await login(page, DEMO.learner);
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/home");
    await expect(page).toHaveURL(/\/login\?next=%2Fhome/);
  });

  test("log out everywhere ends sessions in other browsers too", async ({ browser }) => {
    const a = await browser.newContext();
    const b = await browser.newContext();
    const pa = await a.newPage();
    const pb = await b.newPage();
    await login(pa, DEMO.author);
    await login(pb, DEMO.author);
    await pa.goto("/account");
    await pa.getByRole("button", { name: "Đăng xuất khỏi mọi thiết bị" }).click();
    await expect(pa).toHaveURL(/\/$/);
    await pb.goto("/home");
    await expect(pb).toHaveURL(/\/login/);
    await a.close();
    await b.close();
  });

  test("a learner gets 403 on an HR page, in their language", async ({ page }) => {
    await login(page, DEMO.learner);
    const response = await page.goto("/hr");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không có quyền truy cập");
    const admin = await page.goto("/admin");
    expect(admin?.status()).toBe(403);
  });

  test("an HR officer sees only their own subtree", async ({ page }) => {
    await login(page, DEMO.hrProvince);
    await page.goto("/hr");
    const table = page.getByRole("table").first();
    await expect(table).toContainText("Sở Nội vụ tỉnh Cà Mau");
    await expect(table).not.toContainText("Bộ Khoa học và Công nghệ");
    await expect(table).not.toContainText("Hà Nội");
  });

  test("unknown pages get the shared 404 page in both languages", async ({ page }) => {
    const res = await page.goto("/khong-co-trang-nay");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    await page.getByRole("button", { name: "English", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  });

  test("an English-language browser still gets Vietnamese first, with English one click away", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await page.getByRole("button", { name: "Read it in English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("button", { name: "Read it in English" })).toHaveCount(0);
    await context.close();
  });

  test("healthz reports the database", async ({ request }) => {
    const res = await request.get("/healthz");
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("log in, switch language and log out work as plain forms", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Tên đăng nhập").fill(DEMO.hrMinistry);
    await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page).toHaveURL(/\/home$/);
    await page.getByRole("button", { name: "English", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Hello");
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/$/);
  });
});

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  for (const path of ["/", "/login"]) {
    test(`${path} fits the screen without sideways scrolling`, async ({ page }) => {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }

  test("the HR table turns into readable stacked rows", async ({ page }) => {
    await login(page, DEMO.hrMinistry);
    await page.goto("/hr");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "tests/artifacts/hr-360.png", fullPage: true });
  });
});

test("a cross-site form post is refused", async ({ request }) => {
  const res = await request.post("/lang", { form: { locale: "en", redirectTo: "/" }, headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
  expect(res.status()).toBe(403);
});
