/**
 * What happens in the grading write when an attempt passes: the certificate is issued in that same write, so a
 * pass without a certificate (or a certificate without a pass) can never be committed. The certificates domain
 * owns issuing; this module is the one place the exam engine calls it.
 */
import type { CredentialId } from "#db/schema";
import type { Tx } from "~/db.server";
import { issueCertificateForPass } from "~/certificates/issue.server";

export type PassInput = {
  attemptId: string;
  personId: string;
  courseId: string;
  courseVersionId: string;
  credentialId: CredentialId;
  scorePercent: number;
  issuedAt: number;
};

/** Issues (or returns, when already issued for this attempt) the certificate for a passed attempt. */
export async function onPass(tx: Tx, input: PassInput): Promise<{ certificateId: string; serial: string }> {
  return issueCertificateForPass(tx, input);
}
