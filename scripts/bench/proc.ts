/** Resident memory of a process tree, from /proc (Linux). */
import { readFileSync, readdirSync } from "node:fs";

/** The parent pid in the text of /proc/<pid>/stat (the command name may contain spaces and parentheses). */
export function parentPidFromStat(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(rest[1]);
}

/** CPU time used so far (utime + stime, fields 14 and 15 of /proc/<pid>/stat) in clock ticks. */
export function cpuTicksFromStat(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(rest[11]) + Number(rest[12]);
}

/** VmRSS in kB from the text of /proc/<pid>/status (0 when absent, e.g. a zombie). */
export function rssKbFromStatus(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : 0;
}

/** `root` and all its descendants, from a pid → parent map. */
export function descendants(root: number, parents: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return out;
}

function readParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      parents.set(Number(name), parentPidFromStat(readFileSync(`/proc/${name}/stat`, "utf8")));
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

export interface TreeRss {
  pids: number[];
  /** MB per pid, in the order of `pids`. */
  perProcessMb: number[];
  totalMb: number;
  maxMb: number;
}

export function treeRss(root: number): TreeRss {
  const pids = descendants(root, readParents());
  const perProcessMb = pids.map((pid) => {
    try {
      return rssKbFromStatus(readFileSync(`/proc/${pid}/status`, "utf8")) / 1024;
    } catch {
      return 0;
    }
  });
  const live = perProcessMb.filter((mb) => mb > 0);
  return { pids, perProcessMb, totalMb: live.reduce((a, b) => a + b, 0), maxMb: Math.max(0, ...live) };
}

/** Linux reports CPU times in USER_HZ ticks, which is 100 per second on every architecture Linux supports. */
const TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds used so far by `root` and its live descendants. Unlike latency, it hardly depends on what else
 * the machine runs, so comparing it before and after a run gives the server's cost per request on a busy machine.
 */
export function treeCpuMs(root: number): number {
  let ticks = 0;
  for (const pid of descendants(root, readParents())) {
    try {
      ticks += cpuTicksFromStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      // the process ended while we looked
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
