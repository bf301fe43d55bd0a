/**
 * A progress bar on stderr for long offline jobs (seed:national, the bench's own seeding). One line per phase:
 * redrawn in place on a terminal (at most every 100 ms), or printed at each quarter when stderr is a file or pipe,
 * so logs stay short. Call `update(phase, done, total)` as often as you like; `end()` finishes the last line.
 */
export interface ProgressBar {
  update(phase: string, done: number, total: number): void;
  end(): void;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** The text of one bar line (no control characters), e.g. "people       [#####-----]  50%  1,000/2,000  500/s  ETA 2s". */
export function renderBar(phase: string, done: number, total: number, elapsedMs: number, width = 24): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(frac * width);
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const eta = rate > 0 && done < total ? `  ETA ${formatDuration(((total - done) / rate) * 1000)}` : "";
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const fmt = (n: number) => Math.round(n).toLocaleString("en");
  return `${phase.padEnd(12)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}  ${fmt(done)}/${fmt(total)}  ${fmt(rate)}/s${done >= total ? `  ${formatDuration(elapsedMs)}` : eta}`;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, now: () => number = () => performance.now()): ProgressBar {
  const tty = Boolean(stream.isTTY);
  let phase = "";
  let phaseStart = 0;
  let lastDraw = -Infinity;
  let lastQuarter = -1;
  let open = false;
  const finishLine = () => {
    if (open && tty) stream.write("\n");
    open = false;
  };
  return {
    update(p, done, total) {
      const t = now();
      if (p !== phase) {
        finishLine();
        phase = p;
        phaseStart = t;
        lastDraw = -Infinity;
        lastQuarter = -1;
      }
      const complete = done >= total;
      const line = renderBar(p, done, total, t - phaseStart);
      if (tty) {
        if (!complete && t - lastDraw < 100) return;
        lastDraw = t;
        stream.write(`\r${line}\x1b[K`);
        open = true;
        if (complete) finishLine();
      } else {
        const quarter = total > 0 ? Math.floor((done / total) * 4) : 4;
        if (quarter === lastQuarter) return;
        lastQuarter = quarter;
        stream.write(`${line}\n`);
      }
    },
    end: finishLine,
  };
}
