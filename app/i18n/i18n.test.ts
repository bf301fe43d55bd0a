import { describe, expect, it } from "vitest";
import { en } from "./en";
import { domains, vi } from "./vi";
import { browserLocale, detectLocale, formatDate, formatDecimal, formatNumber, metaLocale, pageTitle, translate } from "./index";

describe("i18n catalogues", () => {
  it("have exactly the same keys in Vietnamese and English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [name, d] of Object.entries(domains)) expect(Object.keys(d.en).sort(), name).toEqual(Object.keys(d.vi).sort());
  });

  it("never defines one key in two domains", () => {
    const seen = new Map<string, string>();
    for (const [name, d] of Object.entries(domains)) {
      for (const key of Object.keys(d.vi)) {
        expect(seen.get(key), `${key} in ${name} and ${seen.get(key)}`).toBeUndefined();
        seen.set(key, name);
      }
    }
  });

  it("have no empty messages and the same placeholders in both languages", () => {
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      expect(vi[key].trim(), key).not.toBe("");
      expect(en[key].trim(), key).not.toBe("");
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(ph(en[key]), key).toEqual(ph(vi[key]));
    }
  });

  it("stores Vietnamese text in NFC", () => {
    for (const value of Object.values(vi)) expect(value).toBe(value.normalize("NFC"));
  });
});

describe("translate", () => {
  it("fills placeholders", () => {
    expect(translate("vi", "login.locked", { minutes: 15 })).toBe("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.");
    expect(translate("en", "login.locked", { minutes: 3 })).toContain("3 minutes");
  });
});

describe("detectLocale", () => {
  it.each([
    [null, "vi"],
    ["lang=en", "en"],
    ["theme=x; lang=vi", "vi"],
    ["theme=x; lang=en; other=1", "en"],
    ["lang=fr", "vi"],
    ["xlang=en", "vi"],
  ])("cookie %s → %s (Vietnamese unless the visitor chose English)", (cookie, expected) => {
    expect(detectLocale(cookie)).toBe(expected);
  });
});

describe("browserLocale", () => {
  it.each([
    [null, "vi"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR,en;q=0.5,vi;q=0.8", "vi"],
    ["en;q=0", "vi"],
    ["de-DE", "vi"],
  ])("Accept-Language %s → %s", (accept, expected) => {
    expect(browserLocale(accept)).toBe(expected);
  });
});

describe("number and date formatting (formatters reused across calls)", () => {
  it("formats in each locale's notation, whichever locale was asked for first", () => {
    for (let i = 0; i < 2; i++) {
      expect(formatNumber("vi", 1234567)).toBe("1.234.567");
      expect(formatNumber("en", 1234567)).toBe("1,234,567");
      expect(formatDecimal("vi", 12.345)).toBe("12,3");
      expect(formatDecimal("en", 12.345)).toBe("12.3");
      expect(formatDecimal("en", 2, 2)).toBe("2.00");
      expect(formatDate("vi", "2026-11-25")).toBe("25/11/2026");
      expect(formatDate("en", Date.UTC(2026, 10, 24, 18))).toBe("25/11/2026"); // 01:00 on the 25th in Viet Nam
    }
  });
});

describe("route meta helpers", () => {
  it("take the locale from the root loader's data, else Vietnamese", () => {
    expect(metaLocale([{ data: { locale: "en" } }])).toBe("en");
    expect(metaLocale([{ data: undefined }])).toBe("vi");
    expect(metaLocale([])).toBe("vi");
  });

  it("join the page's parts and the application's name, keeping empty parts in place", () => {
    expect(pageTitle("vi", "Bài 1", "Khóa học")).toBe(`Bài 1 · Khóa học · ${vi["app.name"]}`);
    expect(pageTitle("en", "")).toBe(` · ${en["app.name"]}`);
  });
});
