/**
 * PAdES B-T against a real RFC 3161 responder: `openssl ts -reply` behind a local HTTP endpoint, with a TSA
 * certificate made here. The signed PDF's CMS carries the token, `openssl ts -verify` accepts it for the signature
 * value, and pdfsig still finds the signature valid. (poppler 22.12's pdfsig does not print timestamp details.)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { findByteRange } from "@signpdf/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCertificateArtifacts } from "./artifacts.server";
import { children, content, decodeOid, readTlv, raw, type Tlv } from "./der";
import { createDemoP12, loadPadesSigner } from "./pades.server";
import { checkPadesIntegrity } from "./pdf-check.server";
import { SAMPLE_BASE_URL, SAMPLE_PRIVATE_KEY, sampleCertificate } from "./sample.server";
import { poppler, tmpFile } from "./test-helpers.server";
import { fetchTimestampToken, OID_TIMESTAMP_TOKEN, TimestampError, tstInfoOf } from "./timestamp.server";

const PORT = 3905; // this helper's port range (3900–3909)
const TSA_URL = `http://127.0.0.1:${PORT}/tsa`;
const dir = mkdtempSync(path.join(tmpdir(), "tsa-test-"));
let server: Server;
let mode: "ok" | "broken" = "ok";

const demo = createDemoP12({ commonName: "Học viện Hành chính và Quản trị công", organisation: "Học viện Hành chính và Quản trị công", passphrase: "tsa" });
const signer = loadPadesSigner(demo.p12, demo.passphrase, "tsa-test");

beforeAll(async () => {
  const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.crt", "-days", "2", "-subj", "/CN=Test TSA (local)", "-addext", "extendedKeyUsage=critical,timeStamping"]);
  writeFileSync(path.join(dir, "serial"), "01\n");
  writeFileSync(
    path.join(dir, "tsa.cnf"),
    [
      "[ tsa ]",
      "default_tsa = local",
      "[ local ]",
      `dir = ${dir}`,
      "serial = $dir/serial",
      "crypto_device = builtin",
      "signer_cert = $dir/tsa.crt",
      "signer_key = $dir/tsa.key",
      "signer_digest = sha256",
      "default_policy = 1.2.3.4.1",
      "digests = sha256",
      "accuracy = secs:1",
      "ordering = no",
      "tsa_name = no",
      "ess_cert_id_chain = no",
      "ess_cert_id_alg = sha256",
      "",
    ].join("\n"),
  );
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      if (mode === "broken") {
        res.writeHead(200, { "Content-Type": "application/timestamp-reply" }).end(Buffer.from("garbage"));
        return;
      }
      const q = path.join(dir, `q-${Date.now()}-${Math.random()}.tsq`);
      writeFileSync(q, Buffer.concat(parts));
      try {
        const reply = execFileSync("openssl", ["ts", "-reply", "-config", path.join(dir, "tsa.cnf"), "-queryfile", q], { stdio: ["ignore", "pipe", "pipe"] });
        res.writeHead(200, { "Content-Type": "application/timestamp-reply" }).end(reply);
      } catch (e) {
        res.writeHead(500).end(String((e as { stderr?: Buffer }).stderr ?? e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(PORT, "127.0.0.1", resolve));
});

afterAll(async () => {
  delete process.env.LMS_TSA_URL;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The CMS in the PDF's /Contents, and the SignerInfo's signature value and unsigned attributes. */
function signerInfoOf(pdf: Uint8Array) {
  expect(findByteRange(Buffer.from(pdf)).byteRangePlaceholder).toBeUndefined(); // filled in
  const i = Buffer.from(pdf).indexOf("/Contents <");
  const hex = Buffer.from(pdf).subarray(i + 11, Buffer.from(pdf).indexOf(">", i + 11)).toString("latin1");
  const cms = Buffer.from(hex, "hex");
  const outer = readTlv(cms, 0);
  const signedData = children(cms, children(cms, outer)[1]!)[0]!;
  const sd = children(cms, signedData);
  const signerInfo = children(cms, sd[sd.length - 1]!)[0]!;
  const parts = children(cms, signerInfo);
  const signature = parts.find((p, idx) => p.tag === 0x04 && idx >= 4)!;
  const unsigned: Tlv | undefined = parts.find((p) => p.tag === 0xa1);
  return { cms, signatureValue: Buffer.from(content(cms, signature)), unsigned, reserved: hex.length / 2 };
}

async function signedPdf() {
  const art = await buildCertificateArtifacts(sampleCertificate({ name: "Nguyễn Thị Hường" }), { baseUrl: SAMPLE_BASE_URL, signingKey: SAMPLE_PRIVATE_KEY, pades: signer, now: new Date() });
  return art.pdf;
}

describe("PAdES B-T with LMS_TSA_URL", () => {
  it("embeds a token from the TSA over the signature value; openssl verifies it; pdfsig still valid", async () => {
    process.env.LMS_TSA_URL = TSA_URL;
    const pdf = await signedPdf();
    const { cms, signatureValue, unsigned, reserved } = signerInfoOf(pdf);
    expect(unsigned).toBeDefined();
    expect(reserved).toBe(8192); // bytes of DER: room for the token and the TSA certificates
    const attr = children(cms, unsigned!)[0]!;
    const [type, values] = children(cms, attr);
    expect(decodeOid(content(cms, type!))).toBe(OID_TIMESTAMP_TOKEN);
    const token = Buffer.from(raw(cms, children(cms, values!)[0]!));
    const info = tstInfoOf(token);
    expect(info.genTime).toMatch(/^\d{14}Z$/);

    writeFileSync(path.join(dir, "token.der"), token);
    writeFileSync(path.join(dir, "sigvalue.bin"), signatureValue);
    const verified = execFileSync("openssl", ["ts", "-verify", "-token_in", "-in", "token.der", "-data", "sigvalue.bin", "-CAfile", "tsa.crt"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(verified).toContain("Verification: OK");

    const out = poppler("pdfsig", [tmpFile("bt.pdf", pdf)]).out;
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Total document signed");
    expect(checkPadesIntegrity(pdf)).toMatchObject({ status: "intact" });
  });

  it("without LMS_TSA_URL the signature stays B-B (no unsigned attributes)", async () => {
    delete process.env.LMS_TSA_URL;
    const { unsigned, reserved } = signerInfoOf(await signedPdf());
    expect(unsigned).toBeUndefined();
    expect(reserved).toBe(4096);
  });

  it("a TSA that answers garbage or is down is an error naming it, never a silent B-B", async () => {
    mode = "broken";
    await expect(fetchTimestampToken(TSA_URL, Buffer.from("x"))).rejects.toThrow(TimestampError);
    await expect(fetchTimestampToken(TSA_URL, Buffer.from("x"))).rejects.toThrow(TSA_URL);
    mode = "ok";
    await expect(fetchTimestampToken("http://127.0.0.1:3906/none", Buffer.from("x"), { timeoutMs: 2000 })).rejects.toThrow(/did not answer/);
    process.env.LMS_TSA_URL = "http://127.0.0.1:3906/none";
    await expect(signedPdf()).rejects.toThrow(/time-stamping authority/);
    delete process.env.LMS_TSA_URL;
  });

  it("the token covers exactly the data asked for", async () => {
    const token = await fetchTimestampToken(TSA_URL, Buffer.from("hello"));
    const { createHash } = await import("node:crypto");
    expect(tstInfoOf(token).digest.equals(createHash("sha256").update("hello").digest())).toBe(true);
    expect(readFileSync(path.join(dir, "serial"), "utf8").trim()).not.toBe("01"); // the responder really issued tokens
  });
});
