import { describe, expect, it } from "vitest";
import { formatClock, formatCountdown, formatDateTime, formatPercent } from "./format";

describe("formatCountdown", () => {
  it.each([
    [30 * 60_000, "30:00"],
    [29 * 60_000 + 59_001, "30:00"], // rounds up: never shows 0:00 while time is left
    [61_000, "01:01"],
    [999, "00:01"],
    [0, "00:00"],
    [-5000, "00:00"],
    [3_723_000, "1:02:03"],
  ])("%i ms → %s", (ms, text) => expect(formatCountdown(ms)).toBe(text));
});

describe("times are shown in Viet Nam time whatever the server's zone", () => {
  const t = Date.UTC(2026, 10, 25, 2, 5, 9); // 09:05:09 in Hà Nội
  it.each([
    ["vi", "09:05:09", "09:05 25/11/2026"],
    ["en", "09:05:09", "09:05 25/11/2026"],
  ] as const)("%s", (locale, clock, dateTime) => {
    expect(formatClock(locale, t)).toBe(clock);
    expect(formatDateTime(locale, t)).toBe(dateTime);
  });
});

describe("formatPercent", () => {
  it.each([
    ["vi", 72.5, "72,5"],
    ["en", 72.5, "72.5"],
    ["vi", 100, "100"],
    ["vi", 69.96, "69,9"],
  ] as const)("%s %f → %s", (locale, value, text) => expect(formatPercent(locale, value)).toBe(text));
});
