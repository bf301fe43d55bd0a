/**
 * Protections seen from outside, on the production server: CSP with a fresh nonce per response that every script
 * carries (ADR 0005), the fixed security headers, session cookie flags, cross-site writes refused on the admin
 * pages, and a new session id at every login (no fixation).
 */
import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD } from "./utils";

test("every page carries a CSP whose nonce is new per response and is on every script", async ({ request }) => {
  const nonces: string[] = [];
  for (const path of ["/", "/login"]) {
    const res = await request.get(path);
    const csp = res.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, `${path}: CSP ${csp}`).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) if (!/\bsrc=/.test(s)) expect(s, `${path}: inline script without the nonce`).toContain(`nonce="${nonce}"`);
    nonces.push(nonce!);
  }
  expect(new Set(nonces).size).toBe(nonces.length);
});

test("the fixed security headers are on pages and downloads", async ({ request }) => {
  for (const path of ["/", "/healthz", "/.well-known/jwks.json"]) {
    const h = (await request.get(path)).headers();
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["cross-origin-opener-policy"], path).toBe("same-origin");
  }
});

test("login sets an HttpOnly SameSite=Lax session cookie with a new id each time", async ({ request }) => {
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await request.post("/login", { form: { username: DEMO.hrMinistry, password: DEMO_PASSWORD, next: "/home" }, maxRedirects: 0 });
    expect(res.status()).toBe(302);
    const cookie = res.headersArray().find((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith("lms_session="))!.value;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    ids.push(cookie.split(";")[0]!);
  }
  expect(ids[0]).not.toBe(ids[1]);
});

test("a cross-site post to the admin pages is refused before it reaches them", async ({ request }) => {
  const res = await request.post("/admin/users", { form: { username: "ke.gian", displayName: "x", password: "xxxxxxxxxxxxxxxx" }, headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
  expect(res.status()).toBe(403);
});
