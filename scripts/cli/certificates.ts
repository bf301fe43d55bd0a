/**
 * Certificate and signing-key commands: keys:create, keys:list, cert:issue and cert:issue-bulk (recognition of
 * prior learning), cert:revoke, cert:suspend, cert:reinstate, cert:render, cert:verify. Every change and every render/verify that
 * touches the database is audited (actor "cli:<os user>").
 */
import { Command, Option } from "commander";
import { eq } from "drizzle-orm";
import { readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { CREDENTIAL_IDS, orgUnits, people, type CredentialId } from "../../db/schema";
import type { Database } from "../../db/client";
import { CliError, printRows, prepareDatabase } from "../prepare-db";

type Format = "json" | "table";
const formatOption = () => new Option("--format <format>", "output format").choices(["json", "table"]).default("table");

function actor() {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return { userId: null, label: `cli:${user}`, ip: null, requestId: null };
}

function output(value: Record<string, unknown> | Record<string, unknown>[], format: Format) {
  if (format === "json") console.log(JSON.stringify(value, null, 2));
  else printRows(Array.isArray(value) ? value : [value], "table");
}

const isoDate = (s: string) => new Date(s).toISOString().slice(0, 10);
const ymd = (v: string, flag: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || isoDate(`${v}T00:00:00Z`) !== v) {
    throw new CliError(`${flag} "${v}" is not a date written YYYY-MM-DD.`);
  }
  return v;
};

/** Runs a command with the database open, translating domain errors into one-sentence CLI errors. */
async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await prepareDatabase();
  try {
    return await fn(database);
  } catch (e) {
    const name = (e as Error).name;
    if (name === "CertificateError" || name === "CertificateKeyError") throw new CliError((e as Error).message);
    throw e;
  } finally {
    database.close();
  }
}

export function register(program: Command) {
  program
    .command("keys:create")
    .description(
      "Create an Ed25519 signing key for an issuing body and year: private key file (0600) in the keys directory (LMS_KEYS_DIR, else keys/ next to the database), public key published in the JWKS. Also creates the self-signed demo PAdES signer unless LMS_SIGNING_P12 names the real PKCS#12.",
    )
    .requiredOption("--issuer <code>", "issuing unit code: a ministry or province at depth 1 (e.g. G06, 96) or VN")
    .option("--year <yyyy>", "calendar year the key signs (default: this year, Vietnam time)")
    .option("--demo", "mark the key as a demo key (shown as such on PDFs and verify pages)", false)
    .addOption(formatOption())
    .action(async (opts: { issuer: string; year?: string; demo: boolean; format: Format }) => {
      const { createIssuerKey, ensureDemoP12, keysDir, yearWindow } = await import("../../app/certificates/keys.server");
      const { vietnamDate, vietnamYear } = await import("../../app/certificates/lifecycle");
      const { audit } = await import("../../app/utils/audit.server");
      const year = opts.year === undefined ? vietnamYear(Date.now()) : Number(opts.year);
      if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new CliError(`--year "${opts.year}" is not a four-digit year.`);
      await withDatabase(async (database) => {
        const [unit] = await database.read.select().from(orgUnits).where(eq(orgUnits.code, opts.issuer));
        if (!unit) throw new CliError(`There is no org unit with the code "${opts.issuer}".`);
        if (unit.depth > 1) throw new CliError(`Unit ${unit.code} is not an issuing body: keys belong to a ministry or province (depth 1) or VN.`);
        const a = actor();
        const row = await database.write(async (tx) => {
          const r = await createIssuerKey(tx, { issuerUnitId: unit.id, issuerCode: unit.code, year, isDemo: opts.demo });
          await audit(tx, { actorLabel: a.label, action: "signing_key.create", subjectType: "signing_key", subjectId: r.kid, unitId: unit.id, after: { kid: r.kid, year, demo: opts.demo } });
          return r;
        });
        const pades = process.env.LMS_SIGNING_P12 ? { file: path.resolve(process.env.LMS_SIGNING_P12), created: false } : ensureDemoP12();
        const { validFrom, validTo } = yearWindow(year);
        output(
          {
            kid: row.kid,
            issuer: unit.code,
            issuerName: unit.nameVi,
            validFrom: vietnamDate(validFrom),
            validTo: vietnamDate(validTo),
            demo: row.isDemo,
            privateKeyFile: path.join(keysDir(), `${row.kid}.pem`),
            padesSigner: process.env.LMS_SIGNING_P12 ? `LMS_SIGNING_P12 ${pades.file}` : `${pades.created ? "created" : "existing"} demo signer ${pades.file}`,
          },
          opts.format,
        );
      });
    });

  program
    .command("keys:list")
    .description("List the published signing keys (every key ever used; none is ever deleted).")
    .addOption(formatOption())
    .action(async (opts: { format: Format }) => {
      const { keysDir, publishedKeys } = await import("../../app/certificates/keys.server");
      const { vietnamDate } = await import("../../app/certificates/lifecycle");
      const { existsSync } = await import("node:fs");
      await withDatabase(async (database) => {
        const keys = await publishedKeys(database);
        output(
          keys.map((k) => ({
            kid: k.kid,
            issuer: k.issuerCode,
            validFrom: vietnamDate(k.validFrom),
            validTo: k.validTo === null ? "" : vietnamDate(k.validTo),
            demo: k.isDemo,
            privateKeyPresent: existsSync(path.join(keysDir(), `${k.kid}.pem`)),
          })),
          opts.format,
        );
      });
    });

  program
    .command("cert:issue")
    .description("Record a certificate earned elsewhere (recognition of prior learning, marked 'recognised', not 'passed here'). Audited.")
    .requiredOption("--staff-code <code>", "the person's staff code on the roster")
    .addOption(new Option("--credential <id>", "credential id").choices([...CREDENTIAL_IDS]).makeOptionMandatory())
    .requiredOption("--issued-on <yyyy-mm-dd>", "date the learning was achieved (Vietnam calendar)")
    .requiredOption("--source <text>", 'where it was earned, e.g. "Nền tảng học trực tuyến quốc gia, chứng chỉ số 123"')
    .addOption(formatOption())
    .action(async (opts: { staffCode: string; credential: CredentialId; issuedOn: string; source: string; format: Format }) => {
      const { issueRecognisedCertificate } = await import("../../app/certificates/issue.server");
      const { vietnamMidnight } = await import("../../app/certificates/lifecycle");
      const { loadRecordBySerial } = await import("../../app/certificates/records.server");
      const { encodeToken } = await import("../../app/certificates/token");
      const { payloadOf } = await import("../../app/certificates/records.server");
      const { publicBaseUrl } = await import("../../app/certificates/render.server");
      const issuedAt = vietnamMidnight(ymd(opts.issuedOn, "--issued-on"));
      await withDatabase(async (database) => {
        const [person] = await database.read.select().from(people).where(eq(people.staffCode, opts.staffCode));
        if (!person) throw new CliError(`There is no person with the staff code "${opts.staffCode}".`);
        const issued = await database.write((tx) => issueRecognisedCertificate(tx, { personId: person.id, credentialId: opts.credential, issuedAt, source: opts.source, actor: actor() }));
        const record = (await loadRecordBySerial(database.read, issued.serial))!;
        output(
          {
            serial: issued.serial,
            certificateId: issued.certificateId,
            existing: issued.existing,
            holder: record.holderName,
            credential: record.credentialId,
            issuer: record.issuerCode,
            kid: record.keyId,
            issuedOn: opts.issuedOn,
            expiresOn: record.expiresAt === null ? null : new Date(record.expiresAt + 7 * 3600_000).toISOString().slice(0, 10),
            verifyUrl: `${publicBaseUrl()}/v/${encodeToken(payloadOf(record), record.signature)}`,
          },
          opts.format,
        );
      });
    });

  program
    .command("cert:issue-bulk")
    .description(
      "Record certificates earned elsewhere from a CSV (header staff_code,credential,issued_on,source; at most 300 rows): all rows in one write, or none. Re-running a file never duplicates. Audited per certificate.",
    )
    .argument("<file.csv>", "UTF-8 CSV file")
    .addOption(formatOption())
    .action(async (file: string, opts: { format: Format }) => {
      const { issueRecognisedBulk, parseBulkCsv } = await import("../../app/certificates/bulk-issue.server");
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        throw new CliError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
      }
      await withDatabase(async (database) => {
        const rows = parseBulkCsv(text);
        const r = await issueRecognisedBulk(database, rows, actor());
        output({ file, rows: rows.length, issued: r.issued, existing: r.existing, firstSerial: r.serials[0] ?? "", lastSerial: r.serials.at(-1) ?? "" }, opts.format);
      });
    });

  for (const [name, action, description] of [
    ["cert:revoke", "revoke", "Revoke a certificate (final: it stays visible as revoked forever). Audited."],
    ["cert:suspend", "suspend", "Suspend a certificate until it is reinstated. Audited."],
    ["cert:reinstate", "reinstate", "Lift a suspension. Audited."],
  ] as const) {
    program
      .command(name)
      .description(description)
      .argument("<serial>", "certificate serial, e.g. KNS-2025-000123-H")
      .requiredOption("--reason <text>", "why (shown on the public verify page)")
      .option("--on <yyyy-mm-dd>", "effective date (default: now); may be in the past, never in the future")
      .addOption(formatOption())
      .action(async (serialInput: string, opts: { reason: string; on?: string; format: Format }) => {
        const { changeCertificateStatus } = await import("../../app/certificates/status.server");
        const { parseSerial } = await import("../../app/certificates/serial");
        const { vietnamDate, vietnamMidnight } = await import("../../app/certificates/lifecycle");
        const parsed = parseSerial(serialInput);
        if (!parsed.ok) throw new CliError(parsed.message);
        const effectiveAt = opts.on === undefined ? undefined : vietnamMidnight(ymd(opts.on, "--on"));
        await withDatabase(async (database) => {
          const r = await changeCertificateStatus({ serial: parsed.value.serial, action, reason: opts.reason, effectiveAt, actor: actor(), scope: { kind: "all" } }, database);
          const at = r.status.revokedAt ?? r.status.suspendedAt;
          output({ serial: r.serial, action, status: r.status.status, effectiveOn: at === null ? vietnamDate(Date.now()) : vietnamDate(at), reason: r.status.reason ?? opts.reason }, opts.format);
        });
      });
  }

  program
    .command("cert:render")
    .description("Render a certificate's PDF (PAdES-signed) from its record. Audited. The QR links to LMS_PUBLIC_URL (or --base-url).")
    .argument("<serial>", "certificate serial")
    .requiredOption("--out <file.pdf>", "where to write the PDF")
    .option("--base-url <url>", "public address printed in the QR code (default LMS_PUBLIC_URL)")
    .option("--no-pades", "skip the PAdES signature (previews only)")
    .addOption(formatOption())
    .action(async (serialInput: string, opts: { out: string; baseUrl?: string; pades: boolean; format: Format }) => {
      const { loadRecordBySerial } = await import("../../app/certificates/records.server");
      const { publicBaseUrl, renderRecordPdf } = await import("../../app/certificates/render.server");
      const { parseSerial } = await import("../../app/certificates/serial");
      const { audit } = await import("../../app/utils/audit.server");
      const parsed = parseSerial(serialInput);
      if (!parsed.ok) throw new CliError(parsed.message);
      await withDatabase(async (database) => {
        const record = await loadRecordBySerial(database.read, parsed.value.serial);
        if (!record) throw new CliError(`There is no certificate ${parsed.value.serial}.`);
        const started = performance.now();
        const { pdf, verifyUrl } = await renderRecordPdf(record, opts.baseUrl?.replace(/\/+$/, "") ?? publicBaseUrl(), { pades: opts.pades, database });
        const ms = performance.now() - started;
        writeFileSync(opts.out, pdf);
        const a = actor();
        await database.write((tx) => audit(tx, { actorLabel: a.label, action: "certificate.render", subjectType: "certificate", subjectId: record.id, unitId: record.holderUnitId, after: { serial: record.serial, file: path.resolve(opts.out) } }));
        output({ serial: record.serial, file: path.resolve(opts.out), bytes: pdf.byteLength, signed: opts.pades, ms: Math.round(ms * 10) / 10, verifyUrl }, opts.format);
      });
    });

  program
    .command("cert:verify")
    .description(
      "Verify a certificate PDF offline (no network): PAdES signature over every byte, QR token signature, printed name, Open Badge; then its status in the database. Exits 0 only when valid (1 otherwise, 2 for an unreadable file). With --jwks, uses only the file and a saved /.well-known/jwks.json (no database, no status).",
    )
    .argument("<file.pdf>", "the certificate PDF")
    .option("--jwks <file>", "a saved JWKS document: verify without the database")
    .addOption(formatOption())
    .action(async (file: string, opts: { jwks?: string; format: Format }) => {
      const { verifyPdf } = await import("../../app/certificates/verify.server");
      const { keySetFromJwks } = await import("../../app/certificates/keys.server");
      const { audit } = await import("../../app/utils/audit.server");
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new CliError(`Cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
      }
      const print = (r: Awaited<ReturnType<typeof verifyPdf>>) => {
        if ("fileError" in r && r.fileError) {
          output({ file: path.resolve(file), status: "unreadable", error: r.fileError, message: r.message }, opts.format);
          process.exitCode = 2;
          return;
        }
        const v = r as Exclude<typeof r, { fileError: string }>;
        output(
          {
            file: path.resolve(file),
            status: v.status,
            serial: v.facts?.serial ?? null,
            holder: v.facts?.holderName ?? null,
            statusOn: v.statusOn,
            reason: v.reason,
            pdfSigner: v.pdfSigner?.commonName ?? null,
            demo: v.demo,
            details: v.reasons.join("; "),
          },
          opts.format,
        );
        process.exitCode = v.status === "valid" ? 0 : 1;
      };
      if (opts.jwks) {
        let keys;
        try {
          keys = keySetFromJwks(JSON.parse(readFileSync(opts.jwks, "utf8")));
        } catch (e) {
          throw new CliError(`${opts.jwks} is not a readable JWKS file (${(e as Error).message}).`);
        }
        print(await verifyPdf(new Uint8Array(bytes), { database: null, keys }));
        return;
      }
      await withDatabase(async (database) => {
        const r = await verifyPdf(new Uint8Array(bytes), { database });
        const a = actor();
        await database.write((tx) =>
          audit(tx, { actorLabel: a.label, action: "certificate.verify", subjectType: "certificate", subjectId: "facts" in r && r.facts ? r.facts.serial : null, after: { file: path.resolve(file), status: "status" in r ? r.status : "unreadable" } }),
        );
        print(r);
      });
    });
}
