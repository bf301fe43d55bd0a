import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exportPublicKeyB64url, makePayload, signPayload, type CertificatePayload } from "./payload";
import { formatSerial } from "./serial";
import { decodeToken, encodeToken, tokenFromVerifyUrl, verifyTokenOffline } from "./token";

const key = generateKeyPairSync("ed25519");
const otherKey = generateKeyPairSync("ed25519");
const KID = "G09-2025-a1b2";

function issue(patch: Partial<CertificatePayload> = {}) {
  const payload = makePayload({
    serial: formatSerial("KNS", 2025, 123),
    name: "Nguyễn Thị Hường",
    credential: "basic_digital_skills",
    issuedAt: "2025-11-22",
    expiresAt: "2027-11-22",
    issuer: "G09",
    kid: KID,
    ...patch,
  });
  const sig = signPayload(payload, key.privateKey);
  return { payload, sig, token: encodeToken(payload, sig) };
}

/** Re-encodes the token body with one field replaced, keeping the original signature (a forger's edit). */
function tamper(token: string, patch: Partial<CertificatePayload>) {
  const d = decodeToken(token);
  if (!d.ok) throw new Error("bad fixture");
  return encodeToken({ ...d.payload, ...patch }, d.signature);
}

const keys = { [KID]: key.publicKey };

describe("encode / decode", () => {
  it.each([
    ["Nguyễn Thị Hường", "2027-11-22"],
    ["Đặng Quốc Vượng", null],
    ["Lê Thị Ánh Tuyết", "2030-01-01"],
    ["Tôn Nữ Thị Phương Thảo Hoàng Nguyễn Khánh Linh", "2149-06-06"],
  ])("round-trips %s (expires %s)", (name, expiresAt) => {
    const { payload, sig, token } = issue({ name, expiresAt });
    const d = decodeToken(token);
    expect(d).toEqual({ ok: true, payload, signature: sig });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
  });

  it("stays short: a typical token is under 220 characters, a long name under 260", () => {
    expect(issue().token.length).toBeLessThan(220);
    const long = issue({ name: "Tôn Nữ Thị Phương Thảo Hoàng Nguyễn Khánh Linh" }).token;
    expect(long.length).toBeLessThan(260);
  });

  it.each([
    ["", "malformed"],
    ["abc", "malformed"],
    ["a.b.c", "malformed"],
    [".abc", "malformed"],
    ["ab+c.def", "bad_base64"],
    ["abc=.def", "bad_base64"],
    ["AgAB." + "A".repeat(86), "bad_version"],
  ])("decodeToken(%j) fails with %s", (token, error) => {
    const d = decodeToken(token);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toBe(error);
  });

  it("rejects truncated bodies, extra bytes, short signatures and invalid fields", () => {
    const { token } = issue();
    const [body, sig] = token.split(".") as [string, string];
    const bodyBytes = Buffer.from(body, "base64url");
    const cut = bodyBytes.subarray(0, bodyBytes.length - 3).toString("base64url");
    const extra = Buffer.concat([bodyBytes, Buffer.from([0])]).toString("base64url");
    const short = Buffer.from(sig, "base64url").subarray(0, 60).toString("base64url");
    const check = (t: string, e: string) => {
      const d = decodeToken(t);
      expect(d.ok ? "ok" : d.error, t).toBe(e);
    };
    check(`${cut}.${sig}`, "bad_body");
    check(`${extra}.${sig}`, "bad_body");
    check(`${body}.${short}`, "bad_signature_length");
    // a byte inside the serial changed to a non-serial character: the body decodes but the payload is invalid
    const bad = Buffer.from(bodyBytes);
    bad[7] = "!".charCodeAt(0);
    check(`${bad.toString("base64url")}.${sig}`, "bad_payload");
  });

  it("extracts tokens from verify URLs", () => {
    const { token } = issue();
    expect(tokenFromVerifyUrl(`https://lms.gov.vn/v/${token}`)).toBe(token);
    expect(tokenFromVerifyUrl(`https://lms.gov.vn/v/${token}?utm=x#top`)).toBe(token);
    expect(tokenFromVerifyUrl(` ${token} `)).toBe(token);
    expect(tokenFromVerifyUrl("https://lms.gov.vn/verify")).toBeNull();
  });
});

describe("verifyTokenOffline", () => {
  it("valid with the right key (KeyObject, base64url string or function)", () => {
    const { token, payload } = issue();
    expect(verifyTokenOffline(token, keys)).toEqual({ status: "valid", payload });
    expect(verifyTokenOffline(token, { [KID]: exportPublicKeyB64url(key.publicKey) }).status).toBe("valid");
    expect(verifyTokenOffline(token, (kid) => (kid === KID ? key.publicKey : undefined)).status).toBe("valid");
  });

  it.each([
    ["name", { name: "Nguyễn Thị Hương" }],
    ["serial", { serial: formatSerial("KNS", 2025, 124) }],
    ["issue date", { issuedAt: "2025-11-21" }],
    ["expiry removed", { expiresAt: null }],
    ["expiry extended", { expiresAt: "2037-11-22" }],
    ["credential", { credential: "leadership_dx" }],
    ["issuer", { issuer: "G08" }],
  ])("edited %s → altered", (_what, patch) => {
    const r = verifyTokenOffline(tamper(issue().token, patch), keys);
    expect(r.status).toBe("altered");
  });

  it("a flipped signature bit → altered", () => {
    const [body, sig] = issue().token.split(".") as [string, string];
    const s = Buffer.from(sig, "base64url");
    s[0]! ^= 0x80;
    expect(verifyTokenOffline(`${body}.${s.toString("base64url")}`, keys).status).toBe("altered");
  });

  it("wrong key under the same kid → altered; unpublished kid → unknown_key", () => {
    const { token } = issue();
    expect(verifyTokenOffline(token, { [KID]: otherKey.publicKey }).status).toBe("altered");
    expect(verifyTokenOffline(token, { "G09-2025-ffff": key.publicKey }).status).toBe("unknown_key");
    // a forger re-pointing the kid at another published key does not help
    expect(verifyTokenOffline(tamper(token, { kid: "G09-2025-ffff" }), { ...keys, "G09-2025-ffff": otherKey.publicKey }).status).toBe(
      "altered",
    );
    expect(verifyTokenOffline(token, { [KID]: "not-a-key" }).status).toBe("unknown_key");
  });

  it("a key used outside its published window → unknown_key", () => {
    const { token } = issue();
    expect(verifyTokenOffline(token, { [KID]: { publicKey: key.publicKey, validFrom: "2025-01-01", validTo: "2025-12-31" } }).status).toBe(
      "valid",
    );
    expect(verifyTokenOffline(token, { [KID]: { publicKey: key.publicKey, validFrom: "2026-01-01" } }).status).toBe("unknown_key");
    expect(verifyTokenOffline(token, { [KID]: { publicKey: key.publicKey, validTo: "2025-11-21" } }).status).toBe("unknown_key");
  });

  it("garbage → malformed", () => {
    expect(verifyTokenOffline("hello", keys)).toMatchObject({ status: "malformed", error: "malformed" });
  });
});
