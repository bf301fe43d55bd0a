import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalPayloadJson,
  createSigningKey,
  exportPublicKeyB64url,
  importPublicKeyB64url,
  isIsoDate,
  makePayload,
  privateKeyFromPem,
  privateKeyToPem,
  publicKeyFromJwk,
  publicKeyToJwk,
  signPayload,
  signedBytes,
  toVietnamDate,
  verifyPayload,
  type CertificatePayload,
} from "./payload";
import { formatSerial } from "./serial";

const base = {
  serial: formatSerial("KNS", 2025, 123),
  name: "Nguyễn Thị Hường",
  credential: "basic_digital_skills",
  issuedAt: "2025-11-22",
  expiresAt: "2027-11-22",
  issuer: "G09",
  kid: "G09-2025-a1b2",
};

describe("makePayload", () => {
  it("normalises the name to NFC and collapses spaces", () => {
    const p = makePayload({ ...base, name: "  Nguyễn   Thị Hường ".normalize("NFD") });
    expect(p.name).toBe("Nguyễn Thị Hường");
    expect(p.name).toBe(p.name.normalize("NFC"));
  });

  it("converts Dates to the Vietnam calendar date (UTC+7)", () => {
    const p = makePayload({ ...base, issuedAt: new Date("2025-11-21T18:30:00Z"), expiresAt: null });
    expect(p.issuedAt).toBe("2025-11-22");
    expect(p.expiresAt).toBeNull();
    expect(toVietnamDate(new Date("2025-11-21T16:59:59Z"))).toBe("2025-11-21");
  });

  it.each([
    [{ serial: "KNS-2025-000123-0" }, /serial/],
    [{ name: "" }, /name/],
    [{ name: "Ữ".repeat(90) }, /name" must be at most 255 bytes/],
    [{ credential: "Basic Skills" }, /credential/],
    [{ issuedAt: "2025-02-30" }, /issuedAt/],
    [{ expiresAt: "2024-01-01" }, /before issuedAt/],
    [{ issuer: "G-09" }, /issuer/],
    [{ kid: "G09-25-zz" }, /kid/],
  ])("rejects %j", (patch, msg) => {
    expect(() => makePayload({ ...base, ...patch })).toThrow(msg);
  });

  it.each([
    ["2025-01-31", true],
    ["2024-02-29", true],
    ["2025-02-29", false],
    ["2025-13-01", false],
    ["25-01-01", false],
  ])("isIsoDate(%s) = %s", (s, ok) => expect(isIsoDate(s)).toBe(ok));
});

describe("canonical bytes", () => {
  it("are JCS with sorted keys, independent of property order", () => {
    const p = makePayload(base);
    const shuffled = Object.fromEntries(Object.entries(p).reverse()) as CertificatePayload;
    expect(canonicalPayloadJson(shuffled)).toBe(canonicalPayloadJson(p));
    expect(canonicalPayloadJson(p)).toBe(
      '{"credential":"basic_digital_skills","expiresAt":"2027-11-22","issuedAt":"2025-11-22","issuer":"G09",' +
        `"kid":"G09-2025-a1b2","name":"Nguyễn Thị Hường","serial":"${base.serial}","v":1}`,
    );
    expect(signedBytes(p).subarray(0, 12).toString()).toBe("LMS-CERT-V1\n");
  });
});

describe("sign / verify", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const other = generateKeyPairSync("ed25519");
  const p = makePayload(base);
  const sig = signPayload(p, privateKey);

  it("produces a 64-byte Ed25519 signature over context + JCS that node:crypto verifies directly", () => {
    expect(Buffer.from(sig, "base64url")).toHaveLength(64);
    expect(verify(null, signedBytes(p), publicKey, Buffer.from(sig, "base64url"))).toBe(true);
    expect(verifyPayload(p, sig, publicKey)).toBe(true);
  });

  it.each([
    ["name", { name: "Nguyễn Thị Hương" }],
    ["serial", { serial: formatSerial("KNS", 2025, 124) }],
    ["issuedAt", { issuedAt: "2025-11-23" }],
    ["expiresAt", { expiresAt: null }],
    ["credential", { credential: "leadership_dx" }],
    ["kid", { kid: "G09-2025-ffff" }],
  ])("fails when %s is changed", (_f, patch) => {
    expect(verifyPayload({ ...p, ...patch } as CertificatePayload, sig, publicKey)).toBe(false);
  });

  it("fails with another key, a damaged or non-canonical signature", () => {
    expect(verifyPayload(p, sig, other.publicKey)).toBe(false);
    const bytes = Buffer.from(sig, "base64url");
    bytes[10]! ^= 1;
    expect(verifyPayload(p, bytes.toString("base64url"), publicKey)).toBe(false);
    expect(verifyPayload(p, sig.slice(0, -2), publicKey)).toBe(false);
    expect(verifyPayload(p, sig + "A", publicKey)).toBe(false);
  });

  it("refuses non-Ed25519 keys", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() => signPayload(p, rsa.privateKey)).toThrow(/Ed25519/);
    expect(() => signPayload(p, publicKey)).toThrow(/private/);
  });
});

describe("key helpers", () => {
  it("createSigningKey makes a usable key with kid <issuer>-<year>-<hex4>", () => {
    const k = createSigningKey({ issuerCode: "G09", year: 2025 });
    expect(k.kid).toMatch(/^G09-2025-[0-9a-f]{4}$/);
    expect(k.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const priv = privateKeyFromPem(k.privateKeyPem);
    const pub = importPublicKeyB64url(k.publicKeyB64url);
    const p = makePayload({ ...base, kid: k.kid });
    expect(verifyPayload(p, signPayload(p, priv), pub)).toBe(true);
    expect(exportPublicKeyB64url(priv)).toBe(k.publicKeyB64url);
    expect(() => createSigningKey({ issuerCode: "G 09", year: 2025 })).toThrow(/issuer code/);
  });

  it("round-trips raw base64url, JWK and PEM", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const x = exportPublicKeyB64url(publicKey);
    expect(x).toHaveLength(43);
    expect(importPublicKeyB64url(x).equals(publicKey)).toBe(true);
    const jwk = publicKeyToJwk(publicKey, "G09-2025-0001");
    expect(jwk).toEqual({ kty: "OKP", crv: "Ed25519", x, kid: "G09-2025-0001", alg: "EdDSA", use: "sig" });
    expect(publicKeyFromJwk(jwk).equals(publicKey)).toBe(true);
    const pem = privateKeyToPem(privateKey);
    expect(createPublicKey(privateKeyFromPem(pem)).equals(publicKey)).toBe(true);
  });

  it.each([
    ["short key", () => importPublicKeyB64url("abc"), /32 bytes/],
    ["JWK with private part", () => publicKeyFromJwk({ kty: "OKP", crv: "Ed25519", x: "a".repeat(43), d: "x" }), /private/],
    ["EC JWK", () => publicKeyFromJwk({ kty: "EC", crv: "P-256", x: "a" }), /OKP/],
    ["garbage PEM", () => privateKeyFromPem("not a pem", "keys/g09.pem"), /keys\/g09.pem: not a readable PEM/],
    [
      "RSA PEM",
      () =>
        privateKeyFromPem(
          generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }),
          "k.pem",
        ),
      /k.pem: expected an Ed25519 key, found rsa/,
    ],
  ])("rejects %s", (_n, fn, msg) => expect(fn).toThrow(msg));
});
