import { httpRows } from "../http";
import type { Scenario } from "../types";

/** The public landing page: server-rendered React, no session, the page most visitors see first. */
export default {
  name: "landing",
  description: "GET / (server-rendered landing page), anonymous",
  async run(ctx) {
    const r = await ctx.autocannon({ url: "/" });
    return httpRows("landing", r, { reqPerSec: "≥ 1500", p99: "< 50" });
  },
} satisfies Scenario;
