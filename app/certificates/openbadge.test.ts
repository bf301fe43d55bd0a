import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  base58btcDecode,
  base58btcEncode,
  buildOpenBadgeCredential,
  buildStatusListCredential,
  checkDataIntegrityJcs,
  decodeStatusList,
  deterministicUrnUuid,
  didKeyOf,
  encodeStatusList,
  isStatusSet,
  publicKeyFromDidKey,
  signDataIntegrityJcs,
  signOpenBadge,
  verifyOpenBadge,
  type JsonObject,
  type OpenBadgeInput,
} from "./openbadge";

// ---------------------------------------------------------------------------------------------------------------
// An independent verifier written from the W3C specs (vc-di-eddsa §3.3 eddsa-jcs-2022, RFC 8785, multibase,
// did:key). It deliberately uses none of the helpers under test.

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function independentBase58Decode(s: string): Buffer {
  let n = 0n;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error("bad base58");
    n = n * 58n + BigInt(v);
  }
  let hex = n === 0n ? "" : n.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const lead = /^1*/.exec(s)![0].length;
  return Buffer.concat([Buffer.alloc(lead), Buffer.from(hex, "hex")]);
}
/** RFC 8785 for the JSON this credential uses (strings, integers, booleans, null, arrays, objects). */
function independentJcs(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(independentJcs).join(",") + "]";
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => {
    // RFC 8785 sorts by UTF-16 code units, which is what < does on JS strings.
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + independentJcs(o[k])).join(",") + "}";
}
function independentVerify(doc: Record<string, unknown>, key?: KeyObject): boolean {
  const { proof, ...unsecured } = doc;
  const { proofValue, ...config } = proof as Record<string, unknown>;
  if (config.type !== "DataIntegrityProof" || config.cryptosuite !== "eddsa-jcs-2022") return false;
  if (config["@context"] !== undefined && JSON.stringify(config["@context"]) !== JSON.stringify(unsecured["@context"])) return false;
  let publicKey = key;
  if (!publicKey) {
    const vm = String(config.verificationMethod);
    const m = /^did:key:z([^#]+)#z\1$/.exec(vm);
    if (!m) return false;
    const mc = independentBase58Decode(m[1]!);
    if (mc[0] !== 0xed || mc[1] !== 0x01 || mc.length !== 34) return false;
    publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: mc.subarray(2).toString("base64url") }, format: "jwk" });
  }
  const h = (s: string) => createHash("sha256").update(Buffer.from(s, "utf8")).digest();
  const data = Buffer.concat([h(independentJcs(config)), h(independentJcs(unsecured))]);
  return verify(null, data, publicKey, independentBase58Decode(String(proofValue).slice(1)));
}

// W3C vc-di-eddsa test vector (TestVectors/eddsa-jcs-2022/signedJCS.json and keyPair.json).
const W3C_PRIVATE_MULTIBASE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
const W3C_PUBLIC_MULTIBASE = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
const W3C_SIGNED = {
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  id: "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  type: ["VerifiableCredential", "AlumniCredential"],
  name: "Alumni Credential",
  description: "A minimum viable example of an Alumni Credential.",
  issuer: "https://vc.example/issuers/5678",
  validFrom: "2023-01-01T00:00:00Z",
  credentialSubject: { id: "did:example:abcdefgh", alumniOf: "The School of Examples" },
  proof: {
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-jcs-2022",
    created: "2023-02-24T23:36:38Z",
    verificationMethod: "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    proofPurpose: "assertionMethod",
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    proofValue: "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4",
  },
};
function w3cPrivateKey(): KeyObject {
  const mc = independentBase58Decode(W3C_PRIVATE_MULTIBASE.slice(1));
  expect([...mc.subarray(0, 2)]).toEqual([0x80, 0x26]); // multicodec ed25519-priv
  return createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), mc.subarray(2)]), format: "der", type: "pkcs8" });
}

const key = generateKeyPairSync("ed25519");
const input: OpenBadgeInput = {
  baseUrl: "https://hoctap.example.gov.vn/",
  serial: "KNS-2025-000123-X",
  holderName: "Nguyễn Thị Hường".normalize("NFD"),
  issuer: { code: "G09", nameVi: "Bộ Nội vụ", nameEn: "Ministry of Home Affairs" },
  credential: { id: "basic_digital_skills", code: "KNS", nameVi: "Kỹ năng số cơ bản", nameEn: "Basic digital skills" },
  issuedAt: "2025-11-22",
  expiresAt: "2027-11-22",
  status: { index: 4242, listUrl: "https://hoctap.example.gov.vn/status/G09/2025" },
  source: "passed",
  scorePercent: 92.4,
};

describe("base58btc", () => {
  it.each([
    ["", ""],
    ["00", "1"],
    ["0000ff", "115Q"],
    ["61", "2g"],
    ["626262", "a3gV"],
    ["516b6fcd0f", "ABnLTmg"],
    ["00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"],
  ])("%s ⇄ %s", (hex, b58) => {
    expect(base58btcEncode(Buffer.from(hex, "hex"))).toBe(b58);
    expect(Buffer.from(base58btcDecode(b58)).toString("hex")).toBe(hex);
  });
  it("rejects characters outside the alphabet", () => expect(() => base58btcDecode("0OIl")).toThrow(/invalid character "0"/));
});

describe("did:key", () => {
  it("matches the W3C test key pair and round-trips", () => {
    const pub = createPublicKey(w3cPrivateKey());
    expect(didKeyOf(pub)).toBe(`did:key:${W3C_PUBLIC_MULTIBASE}`);
    expect(publicKeyFromDidKey(`did:key:${W3C_PUBLIC_MULTIBASE}#${W3C_PUBLIC_MULTIBASE}`)!.equals(pub)).toBe(true);
  });
  it.each([["did:web:example.com"], [`did:key:${W3C_PUBLIC_MULTIBASE}#other`], ["did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"]])(
    "does not resolve %s",
    (did) => expect(publicKeyFromDidKey(did)).toBeNull(),
  );
});

describe("eddsa-jcs-2022", () => {
  it("reproduces the W3C test vector proofValue byte for byte", () => {
    const { proof, ...unsigned } = W3C_SIGNED;
    const signed = signDataIntegrityJcs(unsigned as JsonObject, w3cPrivateKey(), {
      created: new Date(proof.created),
      verificationMethod: proof.verificationMethod,
    });
    expect(signed.proof).toEqual(proof);
    const pub = createPublicKey(w3cPrivateKey());
    expect(checkDataIntegrityJcs(W3C_SIGNED, pub)).toEqual({ ok: true });
    expect(independentVerify(W3C_SIGNED, pub)).toBe(true);
  });
});

describe("OpenBadgeCredential", () => {
  const created = new Date("2025-11-22T03:04:05.678Z");
  const signed = signOpenBadge(buildOpenBadgeCredential(input), key.privateKey, created);

  it("has the OB 3.0 / VC 2.0 shape", () => {
    expect(signed["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]);
    expect(signed.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(signed.id).toBe(deterministicUrnUuid("KNS-2025-000123-X"));
    expect(signed.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(signed.issuer).toMatchObject({ id: "https://hoctap.example.gov.vn/issuers/G09", type: ["Profile"], name: "Bộ Nội vụ" });
    expect(signed.validFrom).toBe("2025-11-22T00:00:00+07:00");
    expect(signed.validUntil).toBe("2027-11-22T00:00:00+07:00");
    const subject = signed.credentialSubject as Record<string, any>;
    expect(subject.type).toEqual(["AchievementSubject"]);
    expect(subject.identifier[0]).toEqual({ type: "IdentityObject", identityHash: "Nguyễn Thị Hường", identityType: "name", hashed: false });
    expect(subject.identifier[0].identityHash).toBe("Nguyễn Thị Hường".normalize("NFC"));
    expect(subject.achievement).toMatchObject({
      id: "https://hoctap.example.gov.vn/credentials/basic_digital_skills",
      type: ["Achievement"],
      name: "Kỹ năng số cơ bản",
      humanCode: "KNS",
      criteria: { narrative: expect.stringContaining("Passed the final assessment") },
    });
    expect(subject.achievement.description).toMatch(/Kỹ năng số cơ bản[\s\S]*Basic digital skills/);
    expect(subject.result).toEqual([{ type: ["Result"], value: "92%" }]);
    expect(signed.credentialStatus).toEqual({
      id: "https://hoctap.example.gov.vn/status/G09/2025#4242",
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "4242",
      statusListCredential: "https://hoctap.example.gov.vn/status/G09/2025",
    });
    expect(signed.proof).toMatchObject({
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-jcs-2022",
      created: "2025-11-22T03:04:05Z",
      verificationMethod: `${didKeyOf(key.publicKey)}#${didKeyOf(key.publicKey).slice(8)}`,
      proofPurpose: "assertionMethod",
    });
    expect(signed.proof.verificationMethod).toMatch(/^did:key:z6Mk/);
  });

  it("verifies with the independent check and with verifyOpenBadge, from the did:key alone", () => {
    const roundTripped = JSON.parse(JSON.stringify(signed));
    expect(independentVerify(roundTripped)).toBe(true);
    expect(verifyOpenBadge(roundTripped)).toBe(true);
  });

  it.each([
    ["the holder name", (c: any) => (c.credentialSubject.identifier[0].identityHash = "Nguyễn Thị Hương")],
    ["the achievement", (c: any) => (c.credentialSubject.achievement.name = "Lãnh đạo chuyển đổi số")],
    ["an added subject field", (c: any) => (c.credentialSubject.extra = 1)],
    ["the expiry", (c: any) => delete c.validUntil],
    ["the status index", (c: any) => (c.credentialStatus.statusListIndex = "1")],
    ["the proof date", (c: any) => (c.proof.created = "2020-01-01T00:00:00Z")],
    ["the proof context", (c: any) => (c.proof["@context"] = ["https://www.w3.org/ns/credentials/v2"])],
  ])("fails both checks after editing %s", (_what, edit) => {
    const copy = JSON.parse(JSON.stringify(signed));
    edit(copy);
    expect(independentVerify(copy)).toBe(false);
    expect(verifyOpenBadge(copy)).toBe(false);
  });

  it("fails when re-pointed at another did:key, or when the proof is missing", () => {
    const other = generateKeyPairSync("ed25519");
    const copy = JSON.parse(JSON.stringify(signed));
    const mb = didKeyOf(other.publicKey).slice(8);
    copy.proof.verificationMethod = `did:key:${mb}#${mb}`;
    expect(independentVerify(copy)).toBe(false);
    expect(verifyOpenBadge(copy)).toBe(false);
    const { proof: _p, ...bare } = signed;
    expect(checkDataIntegrityJcs(bare)).toEqual({ ok: false, reason: "no proof object" });
    expect(verifyOpenBadge("nope")).toBe(false);
  });

  it("marks recognised credentials and omits validUntil/result when absent", () => {
    const c = buildOpenBadgeCredential({ ...input, source: "recognised", expiresAt: null, scorePercent: null, id: "https://x/v/abc" });
    expect(c.id).toBe("https://x/v/abc");
    expect(c).not.toHaveProperty("validUntil");
    expect((c.credentialSubject as any).result).toBeUndefined();
    expect((c.credentialSubject as any).achievement.criteria.narrative).toMatch(/Recognition of learning/);
  });
});

describe("Bitstring Status List", () => {
  const revoked = [0, 7, 8, 4242, 131_071];

  it("sets exactly the revoked bits, index 0 = left-most bit, gzip + base64url + multibase u", () => {
    const encoded = encodeStatusList(revoked);
    expect(encoded[0]).toBe("u");
    const raw = gunzipSync(Buffer.from(encoded.slice(1), "base64url")); // independent decode
    expect(raw.length).toBe(131_072 / 8);
    expect(raw[0]).toBe(0b1000_0001);
    expect(raw[1]).toBe(0b1000_0000);
    expect(raw[4242 >> 3]).toBe(0x80 >> (4242 % 8));
    expect(raw[raw.length - 1]).toBe(0b0000_0001);
    const set: number[] = [];
    for (let i = 0; i < raw.length * 8; i++) if (raw[i >> 3]! & (0x80 >> (i & 7))) set.push(i);
    expect(set).toEqual(revoked);
    const decoded = decodeStatusList(encoded);
    expect(revoked.every((i) => isStatusSet(decoded, i))).toBe(true);
    expect(isStatusSet(decoded, 4241)).toBe(false);
  });

  it("an empty list is tiny and all zero", () => {
    const e = encodeStatusList([]);
    expect(e.length).toBeLessThan(100);
    expect(decodeStatusList(e).every((b) => b === 0)).toBe(true);
  });

  it.each([
    [[-1], undefined, /outside/],
    [[131_072], undefined, /outside/],
    [[1.5], undefined, /outside/],
    [[], 1000, /at least 131072/],
    [[], 131_073, /multiple of 8/],
  ])("rejects indexes %j size %s", (idx, size, msg) => expect(() => encodeStatusList(idx, size)).toThrow(msg));

  it("builds and signs a BitstringStatusListCredential that verifies", () => {
    const list = buildStatusListCredential({
      id: "https://hoctap.example.gov.vn/status/G09/2025",
      issuer: { id: "https://hoctap.example.gov.vn/issuers/G09", name: "Bộ Nội vụ" },
      revokedIndexes: [4242],
      validFrom: new Date("2025-11-22T00:00:00Z"),
      ttl: 86_400_000,
    });
    expect(list.type).toEqual(["VerifiableCredential", "BitstringStatusListCredential"]);
    expect(list.credentialSubject).toMatchObject({
      id: "https://hoctap.example.gov.vn/status/G09/2025#list",
      type: "BitstringStatusList",
      statusPurpose: "revocation",
      ttl: 86_400_000,
    });
    const signed = signDataIntegrityJcs(list, key.privateKey);
    expect(independentVerify(JSON.parse(JSON.stringify(signed)))).toBe(true);
    const bits = decodeStatusList((signed.credentialSubject as any).encodedList);
    expect(isStatusSet(bits, 4242)).toBe(true);
    expect(isStatusSet(bits, 4243)).toBe(false);
  });
});
