import { describe, expect, it } from "vitest";
import { safeRedirect } from "./http";

describe("safeRedirect", () => {
  it.each([
    ["/hr?x=1", "/hr?x=1"],
    ["//evil.example/x", "/home"],
    ["/\\evil.example", "/home"],
    ["https://evil.example", "/home"],
    [null, "/home"],
    ["", "/home"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});
