// Minimal types for autocannon 9 (the package ships none): the parts scripts/bench uses.
declare module "autocannon" {
  interface Histogram {
    min: number;
    max: number;
    average: number;
    stddev: number;
    p2_5: number;
    p50: number;
    p75: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
    total?: number;
    sent?: number;
  }
  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (req: Request, context: Record<string, unknown>) => Request | undefined | null;
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
  }
  interface Options {
    url: string | string[];
    connections?: number;
    duration?: number | string;
    amount?: number;
    timeout?: number;
    pipelining?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    requests?: Request[];
    title?: string;
    bailout?: number;
    overallRate?: number;
    connectionRate?: number;
    maxConnectionRequests?: number;
    maxOverallRequests?: number;
    expectBody?: string;
    verifyBody?: (body: string) => boolean;
    idReplacement?: boolean;
    excludeErrorStats?: boolean;
    initialContext?: Record<string, unknown>;
    setupClient?: (client: unknown) => void;
    sampleInt?: number;
  }
  interface Result {
    title?: string;
    url: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    "1xx": number;
    "2xx": number;
    "3xx": number;
    "4xx": number;
    "5xx": number;
    connections: number;
    statusCodeStats: Record<string, { count: number }>;
    start: Date;
    finish: Date;
  }
  interface Instance extends PromiseLike<Result> {
    stop(): void;
    on(event: string, listener: (...args: unknown[]) => void): Instance;
  }
  function autocannon(opts: Options): Instance;
  namespace autocannon {
    export type { Options, Result, Histogram, Request, Instance };
  }
  export default autocannon;
}
