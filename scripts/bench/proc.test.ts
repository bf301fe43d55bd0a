import { describe, expect, it } from "vitest";
import { cpuTicksFromStat, descendants, parentPidFromStat, rssKbFromStatus, treeCpuMs, treeRss } from "./proc";

describe("process tree memory", () => {
  it("reads the parent pid even when the command name has spaces and parentheses", () => {
    expect(parentPidFromStat("4242 (node) S 4200 4242 4200 0 -1")).toBe(4200);
    expect(parentPidFromStat("4243 (my (weird) name) R 1 4243 4243 0 -1")).toBe(1);
  });

  it("reads utime + stime from /proc/<pid>/stat, whatever the command name", () => {
    expect(cpuTicksFromStat("4243 (my (weird) name) R 1 4243 4243 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 1 0")).toBe(280);
  });

  it("measures the CPU this test process uses", () => {
    const before = treeCpuMs(process.pid);
    const end = Date.now() + 150;
    while (Date.now() < end) Math.sqrt(Math.random());
    expect(treeCpuMs(process.pid)).toBeGreaterThan(before);
  });

  it("reads VmRSS in kB, and 0 when a process has none", () => {
    expect(rssKbFromStatus("Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t  123456 kB\nThreads: 7\n")).toBe(123456);
    expect(rssKbFromStatus("Name:\tzombie\nState:\tZ (zombie)\n")).toBe(0);
  });

  it("collects a pid and all of its descendants, nothing else", () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 10],
      [13, 12],
      [20, 1],
      [21, 20],
    ]);
    expect(descendants(10, parents).sort()).toEqual([10, 11, 12, 13]);
    expect(descendants(20, parents).sort()).toEqual([20, 21]);
    expect(descendants(99, parents)).toEqual([99]);
  });

  it("measures this test process", () => {
    const r = treeRss(process.pid);
    expect(r.pids[0]).toBe(process.pid);
    expect(r.totalMb).toBeGreaterThan(10);
    expect(r.maxMb).toBeGreaterThan(10);
    expect(r.maxMb).toBeLessThanOrEqual(r.totalMb);
  });
});
