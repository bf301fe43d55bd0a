import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "hoc-tap-so-2026";
export const DEMO = {
  learner: "hocvien",
  commune: "canboxa",
  hrMinistry: "nhansu.bo",
  hrProvince: "nhansu.tinh",
  author: "tacgia",
  admin: "quantri",
} as const;

export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/Tên đăng nhập|Username/).fill(username);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(password);
  await page.getByRole("button", { name: /Đăng nhập|Log in/ }).click();
  await expect(page).toHaveURL(/\/home$/);
}

/** Fails the test on any console error or uncaught page error. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}
