import { describe, expect, it } from "vitest";
import { percentile } from "./writes";

describe("percentile (nearest rank)", () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, 1],
    [[7], 99, 7],
  ])("%j p%i = %i", (sorted, p, expected) => {
    expect(percentile(sorted, p)).toBe(expected);
  });
  it("is NaN for no samples", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});
