import { describe, expect, it } from "vitest";
import { en } from "./en";
import { vi } from "./vi";
import { detectLocale, translate } from "./index";

describe("i18n catalogues", () => {
  it("have exactly the same keys in Vietnamese and English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
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
    [null, null, "vi"],
    [null, "en-US,en;q=0.9", "en"],
    [null, "fr-FR,en;q=0.5,vi;q=0.8", "vi"],
    ["lang=en", "vi-VN", "en"],
    ["theme=x; lang=vi", "en", "vi"],
    ["lang=fr", "de", "vi"],
    [null, "en;q=0", "vi"],
  ])("cookie %s, Accept-Language %s → %s", (cookie, accept, expected) => {
    expect(detectLocale(cookie, accept)).toBe(expected);
  });
});
