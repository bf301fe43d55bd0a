/**
 * The administrator's account and audit pages in a browser: create an account (a bad form first: labelled errors),
 * grant a scoped role, find it in the audit log and its CSV, and the new account works with that role.
 */
import { expect, test } from "@playwright/test";
import { DEMO, login, watchConsole } from "./utils";

test.describe.configure({ mode: "serial" });

test("admin creates an account, grants HR over Hà Nội, sees it audited; the account then reaches /hr", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  await login(page, DEMO.admin);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Tài khoản và vai trò" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tài khoản và vai trò" })).toBeVisible();

  // A bad form: each wrong field is named, and marked invalid.
  await page.getByLabel("Tên đăng nhập", { exact: true }).fill("Tên Sai");
  await page.getByLabel(/^Mật khẩu ban đầu/).fill("ngan");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Tên đăng nhập: 3–64 ký tự");
  await expect(alert).toContainText("Họ tên: 1–200 ký tự.");
  await expect(alert).toContainText("Mật khẩu phải có ít nhất");
  await expect(page.getByLabel("Tên đăng nhập", { exact: true })).toHaveAttribute("aria-invalid", "true");
  // The browser logs the deliberate 400 answer to that form; nothing else may be logged.
  expect(problems.splice(0)).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);

  await page.getByLabel("Tên đăng nhập", { exact: true }).fill("nhansu.hanoi2");
  await page.getByLabel("Họ tên hiển thị").fill("Ngô Thị Thủy");
  await page.getByLabel(/^Mật khẩu ban đầu/).fill("mat-khau-nhan-su-2026");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page).toHaveURL(/\/admin\/users\/[0-9a-z]+\?done=create$/);
  await expect(page.getByRole("status")).toContainText("Đã tạo tài khoản nhansu.hanoi2.");

  await page.getByRole("combobox", { name: "Vai trò" }).selectOption("hr");
  await page.getByLabel("Mã đơn vị (phạm vi)").fill("01");
  await page.getByRole("button", { name: "Cấp vai trò" }).click();
  await expect(page.getByRole("status")).toContainText("Đã cấp vai trò.");
  await expect(page.getByRole("button", { name: /Thu hồi vai trò Cán bộ tổ chức – nhân sự tại .*\(01\)/ })).toBeVisible();

  await page.goto("/admin/audit?action=role.grant");
  const row = page.locator("tbody tr").first();
  await expect(row).toContainText("user:quantri");
  await expect(row).toContainText("hr@01");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải CSV (theo điều kiện đang chọn)" }).click();
  const csv = await (await download).path();
  const { readFileSync } = await import("node:fs");
  const text = readFileSync(csv!, "utf8");
  expect(text.startsWith("\uFEFFat_utc,actor,")).toBe(true);
  expect(text).toContain("role.grant");

  const other = await browser.newPage();
  await login(other, "nhansu.hanoi2", "mat-khau-nhan-su-2026");
  expect((await other.goto("/hr/units/01"))?.status()).toBe(200);
  expect((await other.goto("/hr/units/96"))?.status()).toBe(403);
  await other.close();
  expect(problems).toEqual([]);
});
