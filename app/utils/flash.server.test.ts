import { describe, expect, it } from "vitest";
import { FLASH_COOKIE, flashCookie, readFlash, redirectWithFlash, takeFlash } from "./flash.server";

const cookieValue = (setCookie: string) => setCookie.split(";")[0]!;

describe("flash messages", () => {
  it("carries a message key across the redirect and is translated for the reader, then cleared", () => {
    const res = redirectWithFlash("/admin/targets", { key: "reports.targets.saved", params: { code: "T-DM-50" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/targets");
    const set = res.headers.get("Set-Cookie")!;
    expect(set).toMatch(/^flash=[A-Za-z0-9_-]+; Path=\/; Max-Age=60; HttpOnly; SameSite=Lax/);
    const header = `lang=en; ${cookieValue(set)}`;
    const en = takeFlash(header, "en");
    expect(en.notice).toMatchObject({ text: "Target T-DM-50 saved.", tone: "success" });
    expect(en.setCookie).toBe(`${FLASH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    expect(takeFlash(header, "vi").notice?.text).toBe("Đã lưu chỉ tiêu T-DM-50.");
  });

  it("keeps other Set-Cookie headers of the redirect (logout clears the session too)", () => {
    const res = redirectWithFlash("/", { key: "flash.loggedOut", tone: "info" }, { headers: { "Set-Cookie": "auth_session=; Max-Age=0" } });
    expect(res.headers.getSetCookie()).toHaveLength(2);
  });

  it("shows nothing and clears a cookie that is not one of ours: unknown key, bad JSON, wrong shape", () => {
    const forged = Buffer.from(JSON.stringify({ key: "<script>", tone: "success" })).toString("base64url");
    for (const value of [forged, "not-base64-json", Buffer.from("[1,2]").toString("base64url")]) {
      const r = takeFlash(`flash=${value}`, "vi");
      expect(r.notice).toBeNull();
      expect(r.setCookie).toContain("Max-Age=0");
    }
  });

  it("does nothing when there is no flash cookie", () => {
    expect(takeFlash("lang=vi; other=1", "vi")).toEqual({ notice: null, setCookie: null });
    expect(readFlash(null)).toEqual({ flash: null, present: false });
    expect(readFlash(cookieValue(flashCookie({ key: "flash.loggedOut" })))).toMatchObject({ flash: { key: "flash.loggedOut", tone: "success" }, present: true });
  });
});
