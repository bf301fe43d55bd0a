/**
 * What happens in the grading write when an attempt passes: the certificate is issued in that same write, so a
 * pass without a certificate (or a certificate without a pass) can never be committed. The certificates domain
 * owns issuing; this module is the one place the exam engine calls it.
 */
import type { Tx } from "~/db.server";
import { issueCertificateForPass, type IssuedCertificate, type PassInput } from "~/certificates/issue.server";

export type { PassInput } from "~/certificates/issue.server";

/** Issues (or returns, when already issued for this attempt) the certificate for a passed attempt. */
export async function onPass(tx: Tx, input: PassInput): Promise<IssuedCertificate> {
  return issueCertificateForPass(tx, input);
}
