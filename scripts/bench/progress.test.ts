import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgressBar, formatDuration, renderBar } from "./progress";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  (stream as { isTTY?: boolean }).isTTY = isTTY;
  return { stream, text: () => chunks.join("") };
}

describe("progress bar", () => {
  it("renders fraction, counts, rate and ETA", () => {
    expect(renderBar("people", 500, 1000, 2000, 10)).toBe("people       [#####-----]  50%  500/1,000  250/s  ETA 2s");
    expect(renderBar("people", 1000, 1000, 4000, 10)).toBe("people       [##########] 100%  1,000/1,000  250/s  4s");
    expect(renderBar("indexes", 0, 0, 0, 4)).toBe("indexes      [####] 100%  0/0  0/s  0s");
  });

  it("formats durations", () => {
    expect(formatDuration(999)).toBe("1s");
    expect(formatDuration(65_000)).toBe("1m05s");
  });

  it("prints one line per quarter to a file or pipe, and a new line per phase", () => {
    const out = sink(false);
    let t = 0;
    const bar = createProgressBar(out.stream, () => t);
    for (let i = 0; i <= 100; i++) {
      t += 10;
      bar.update("people", i, 100);
    }
    bar.update("certificates", 5, 5);
    bar.end();
    const lines = out.text().trimEnd().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(["people", "people", "people", "people", "people", "certificates"]);
    expect(lines[4]).toContain("100%");
  });

  it("redraws in place on a terminal and ends the line when a phase completes", () => {
    const out = sink(true);
    let t = 0;
    const bar = createProgressBar(out.stream, () => t);
    bar.update("people", 1, 10);
    t += 50;
    bar.update("people", 2, 10); // within 100 ms: not drawn
    t += 200;
    bar.update("people", 10, 10);
    const text = out.text();
    expect(text.split("\r")).toHaveLength(3);
    expect(text.endsWith("\n")).toBe(true);
    expect(text).not.toContain(" 2/10");
  });
});
