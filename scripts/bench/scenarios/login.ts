import { DEMO_PASSWORD } from "../../../db/seed/demo";
import { httpRows } from "../http";
import type { Scenario } from "../types";

/**
 * POST /login with the right password: an argon2id verify (CPU-bound, ~16 ms on one core) plus a session insert
 * through the single writer. A successful login answers 302 with the session cookie; 4xx would be a failure.
 * 10 connections: a morning rush of people signing in, not a password-guessing attack (throttled separately).
 */
export default {
  name: "login",
  description: "POST /login (argon2id verify + session write), correct password",
  async run(ctx) {
    const r = await ctx.autocannon({
      url: "/login",
      method: "POST",
      connections: 10,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "hocvien", password: DEMO_PASSWORD }).toString(),
    });
    return httpRows("login", r, { reqPerSec: "≥ 50", p99: "< 500", expect: [302], rateName: "logins/s" });
  },
} satisfies Scenario;
