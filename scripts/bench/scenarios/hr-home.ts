import { httpRows } from "../http";
import type { Scenario } from "../types";

/**
 * GET /hr as the ministry HR officer (nhansu.bo, scope G06 and its departments): session validation, role grants
 * and head counts over each unit's subtree of the synthetic roster.
 */
export default {
  name: "hr-home",
  description: "GET /hr as nhansu.bo (session + role scope + subtree head counts)",
  async run(ctx) {
    const cookie = await ctx.login("nhansu.bo");
    const r = await ctx.autocannon({ url: "/hr", headers: { cookie } });
    return httpRows("hr-home", r, { reqPerSec: "≥ 200", p99: "< 200" });
  },
} satisfies Scenario;
