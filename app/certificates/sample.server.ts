/**
 * Deterministic sample certificates for tests, the golden render and benchmarks. The key is derived from a fixed
 * seed and is published nowhere: certificates signed with it verify only against SAMPLE_PUBLIC_KEY.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import path from "node:path";
import type { CertificateView } from "./artifacts.server";
import { makePayload } from "./payload";
import { formatSerial } from "./serial";
import { signCertificate } from "./artifacts.server";

export const SAMPLE_KID = "G09-2025-5a5a";
/** The reviewed picture of the sample certificate (written by render-golden.ts or UPDATE_GOLDEN=1 in the tests). */
export const GOLDEN_PNG = path.resolve("tests/fixtures/certificates/golden-page.png");
export const SAMPLE_BASE_URL = "https://hoctap.noivu.gov.vn";

export function keyFromSeed(seed: string): KeyObject {
  const raw = createHash("sha256").update(seed).digest();
  return createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), raw]), format: "der", type: "pkcs8" });
}
export const SAMPLE_PRIVATE_KEY = keyFromSeed("lms-certificates-sample-key (not for production)");
export const SAMPLE_PUBLIC_KEY = createPublicKey(SAMPLE_PRIVATE_KEY);

export const SAMPLE_CREDENTIALS = {
  basic_digital_skills: { code: "KNS", nameVi: "Kỹ năng số cơ bản", nameEn: "Basic digital skills" },
  ai_public_service: { code: "AIC", nameVi: "Ứng dụng AI trong công vụ", nameEn: "AI in public service" },
  basic_data_management: { code: "QLD", nameVi: "Quản lý dữ liệu cơ bản", nameEn: "Basic data management" },
  commune_digital_assist: {
    code: "HTX",
    nameVi: "Hỗ trợ người dân sử dụng dịch vụ số (cấp xã)",
    nameEn: "Assisting citizens with digital services (commune level)",
  },
  leadership_dx: { code: "LDS", nameVi: "Lãnh đạo chuyển đổi số", nameEn: "Digital transformation leadership" },
} as const;
export type SampleCredential = keyof typeof SAMPLE_CREDENTIALS;

export interface SampleOptions {
  name?: string;
  credential?: SampleCredential;
  sequence?: number;
  unit?: string;
  issuer?: string;
  courseTitleVi?: string | null;
  scorePercent?: number | null;
  source?: "passed" | "recognised";
  issuedAt?: Date;
  expiresAt?: Date | null;
}

/** A fully signed certificate record ("view") with consistent payload, signature and display fields. */
export function sampleCertificate(o: SampleOptions = {}): CertificateView {
  const credentialId = o.credential ?? "basic_digital_skills";
  const credential = SAMPLE_CREDENTIALS[credentialId];
  const issuedAt = o.issuedAt ?? new Date("2025-11-22T03:00:00Z");
  const expiresAt = o.expiresAt === undefined ? new Date("2027-11-22T03:00:00Z") : o.expiresAt;
  const payload = makePayload({
    serial: formatSerial(credential.code, 2025, o.sequence ?? 123),
    name: o.name ?? "Nguyễn Thị Hường",
    credential: credentialId,
    issuedAt,
    expiresAt,
    issuer: "G09",
    kid: SAMPLE_KID,
  });
  const { signature } = signCertificate(payload, SAMPLE_PRIVATE_KEY);
  return {
    payload,
    signature,
    holderUnitName: o.unit ?? "Sở Nội vụ tỉnh Quảng Ngãi",
    credential,
    courseTitleVi: o.courseTitleVi === undefined ? "Kỹ năng số cơ bản cho cán bộ, công chức, viên chức (2025)" : o.courseTitleVi,
    issuer: { nameVi: o.issuer ?? "Học viện Hành chính và Quản trị công", nameEn: "Academy of Public Administration and Governance" },
    scorePercent: o.scorePercent === undefined ? 92 : o.scorePercent,
    source: o.source ?? "passed",
    statusListIndex: o.sequence ?? 123,
    statusListId: 2025,
    issuedAt,
    expiresAt,
  };
}
