/**
 * A token bucket per key (client address), in memory. Per process: with WEB_CONCURRENCY=N each worker keeps its
 * own buckets, so the effective limit is up to N times the configured one (acceptable for the public verify pages;
 * a reverse proxy can add a shared limit). Behind a proxy set TRUST_PROXY so the key is the real client address.
 */
export interface BucketResult {
  ok: boolean;
  /** Seconds until one token is available again (0 when ok). */
  retryAfter: number;
  remaining: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly capacity: number,
    /** Tokens added per second. */
    readonly refillPerSecond: number,
    private readonly maxKeys = 50_000,
  ) {
    if (!(capacity >= 1) || !(refillPerSecond > 0)) throw new Error("TokenBuckets: capacity ≥ 1 and refill > 0 are required");
  }

  private level(key: string, now: number): number {
    const b = this.buckets.get(key);
    if (!b) return this.capacity;
    return Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.refillPerSecond);
  }

  /** Takes `n` tokens if there are enough. */
  take(key: string, now = Date.now(), n = 1): BucketResult {
    const tokens = this.level(key, now);
    if (tokens >= n) {
      this.set(key, tokens - n, now);
      return { ok: true, retryAfter: 0, remaining: Math.floor(tokens - n) };
    }
    this.set(key, tokens, now);
    return { ok: false, retryAfter: Math.ceil((n - tokens) / this.refillPerSecond), remaining: 0 };
  }

  /** True when at least one token is available (does not take it). */
  check(key: string, now = Date.now()): BucketResult {
    const tokens = this.level(key, now);
    return tokens >= 1 ? { ok: true, retryAfter: 0, remaining: Math.floor(tokens) } : { ok: false, retryAfter: Math.ceil((1 - tokens) / this.refillPerSecond), remaining: 0 };
  }

  private set(key: string, tokens: number, now: number) {
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.sweep(now);
    this.buckets.set(key, { tokens, at: now });
  }

  /** Drops full buckets (they carry no information); if still too many, drops the oldest. */
  sweep(now = Date.now()): void {
    for (const [k] of this.buckets) if (this.level(k, now) >= this.capacity) this.buckets.delete(k);
    if (this.buckets.size >= this.maxKeys) {
      const excess = this.buckets.size - Math.floor(this.maxKeys / 2);
      let i = 0;
      for (const k of this.buckets.keys()) {
        if (i++ >= excess) break;
        this.buckets.delete(k);
      }
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Parses "N/min" or "N/s" (N per minute or second, also the burst) from the environment; null when "off". */
export function parseRate(value: string | undefined, fallback: { capacity: number; perSecond: number }): { capacity: number; perSecond: number } | null {
  if (value === undefined || value.trim() === "") return fallback;
  if (value.trim().toLowerCase() === "off") return null;
  const m = /^\s*(\d+)\s*\/\s*(s|sec|second|m|min|minute)\s*$/i.exec(value);
  if (!m) throw new Error(`rate "${value}" must look like 20/min, 5/s or off`);
  const n = Number(m[1]);
  if (n < 1) throw new Error(`rate "${value}" must allow at least 1 request`);
  return { capacity: n, perSecond: /^s/i.test(m[2]!) ? n : n / 60 };
}
