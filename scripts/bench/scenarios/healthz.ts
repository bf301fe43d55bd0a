import { httpRows } from "../http";
import type { Scenario } from "../types";

/** The cheapest request: liveness + one `SELECT 1`. Shows the server's floor (routing, Remix, compression). */
export default {
  name: "healthz",
  description: "GET /healthz (liveness + SELECT 1), anonymous",
  async run(ctx) {
    const r = await ctx.autocannon({ url: "/healthz" });
    return httpRows("healthz", r, { reqPerSec: "≥ 2000", p99: "< 50" });
  },
} satisfies Scenario;
