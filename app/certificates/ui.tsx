/** Shared pieces of the certificate pages: status badge, the verification answer, the export with progress. */
import { useRef, useState } from "react";
import { Badge, Facts } from "~/components/ui";
import { formatDate, formatNumber, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import type { CertStatus } from "./lifecycle";
import type { VerifyResult } from "./verify.server";

export type AnyStatus = CertStatus | "altered" | "unknown";

export function StatusBadge({ status }: { status: AnyStatus }) {
  const t = useT();
  return (
    <Badge status={status} className={`cert-status cert-status--${status}`}>
      {t(`certificates.status.${status}` as MessageKey)}
    </Badge>
  );
}

/** The top of a certificate card: the credential's name and the status badge. */
export function CertificateHead({ title, status }: { title: string; status: AnyStatus }) {
  return (
    <div className="cert-card__head">
      <h2 className="cert-card__title">{title}</h2>
      <StatusBadge status={status} />
    </div>
  );
}

/** The three files of a certificate: PDF, Open Badge and (for the holder) the public verification page. */
export function CertificateActions({ serial, verifyPath }: { serial: string; verifyPath?: string }) {
  const t = useT();
  return (
    <div className="cert-actions">
      <a className="button" href={`/certificates/${serial}.pdf`} download>
        {t("certificates.action.downloadPdf")}
      </a>
      <a className="button secondary" href={`/certificates/${serial}/openbadge.json`} download>
        {t("certificates.action.downloadBadge")}
      </a>
      {verifyPath ? (
        <a className="button secondary" href={verifyPath}>
          {t("certificates.action.verifyPage")}
        </a>
      ) : null}
    </div>
  );
}

/** The answer of /v and /verify: verify.server.ts's VerifyResult as the page receives it (serialised). */
export type VerifyAnswer = Omit<VerifyResult, "status"> & { status: AnyStatus };

export function VerifyResultView({ result, signerDemo }: { result: VerifyAnswer; signerDemo: boolean }) {
  const t = useT();
  const locale = useLocale();
  const f = result.facts;
  const date = (d: string | null) => (d === null ? "—" : formatDate(locale, d));
  return (
    <section className={`verify-result verify-result--${result.status}`} aria-labelledby="verify-status" aria-live="polite">
      <p className="verify-result__label">{t("certificates.verify.resultLabel")}</p>
      <h2 id="verify-status" className="verify-result__status" data-status={result.status}>
        {t(`certificates.verify.headline.${result.status}` as MessageKey)}
      </h2>
      <p className="verify-result__explain">
        {result.status === "revoked"
          ? t("certificates.verify.explain.revoked", { date: date(result.statusOn), reason: result.reason ?? "—" })
          : result.status === "suspended"
            ? t("certificates.verify.explain.suspended", { date: date(result.statusOn), reason: result.reason ?? "—" })
            : result.status === "expired"
              ? t("certificates.verify.explain.expired", { date: date(result.statusOn) })
              : t(`certificates.verify.explain.${result.status}` as MessageKey)}
      </p>
      {f ? (
        <>
          <p className="verify-result__compare">{t("certificates.verify.compare")}</p>
          <Facts
            className="verify-facts"
            items={[
              { label: t("certificates.field.holder"), value: f.holderName, lang: "vi", valueClassName: "verify-facts__name" },
              { label: t("certificates.field.credential"), value: locale === "en" ? f.credentialNameEn : f.credentialNameVi },
              { label: t("certificates.field.issuer"), value: locale === "en" && f.issuerNameEn ? f.issuerNameEn : f.issuerNameVi },
              { label: t("certificates.field.serial"), value: <code>{f.serial}</code> },
              { label: t("certificates.field.issued"), value: date(f.issuedOn) },
              { label: t("certificates.field.expires"), value: f.expiresOn === null ? t("certificates.field.noExpiry") : date(f.expiresOn) },
              f.source === "recognised" && { label: t("certificates.field.source"), value: t("certificates.source.recognised") },
            ]}
          />
          {f.nameMasked ? <p className="muted">{t("certificates.verify.nameMasked")}</p> : null}
          {result.nameMatches === true ? <p className="alert success">{t("certificates.verify.nameMatches")}</p> : null}
          {result.nameMatches === false ? <p className="alert error">{t("certificates.verify.nameDiffers")}</p> : null}
        </>
      ) : null}
      {result.pdfSigner ? (
        <p className="muted">{t("certificates.verify.pdfSigner", { name: result.pdfSigner.commonName ?? "—" })}</p>
      ) : null}
      {result.demo || signerDemo ? (
        <p className="alert cert-demo" role="note">
          {t("certificates.verify.demo")}
        </p>
      ) : null}
      {result.reasons.length > 0 && (result.status === "altered" || result.status === "unknown") ? (
        <details className="verify-details">
          <summary>{t("certificates.verify.details")}</summary>
          <ul lang="en">
            {result.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/**
 * The bulk export link. Without JavaScript it is a plain download (the browser shows its own progress). With
 * JavaScript, for up to `maxInPage` certificates, the file is fetched here and the bytes received are shown while
 * the server renders and streams the PDFs, then saved.
 */
export function ExportDownload({ href, count, fileName, maxInPage = 2000 }: { href: string; count: number; fileName: string; maxInPage?: number }) {
  const t = useT();
  const locale = useLocale();
  const [state, setState] = useState<{ phase: "idle" | "running" | "done" | "error"; bytes: number; message?: string }>({ phase: "idle", bytes: 0 });
  const abort = useRef<AbortController | null>(null);
  const estimate = count * 48_000;
  const mb = (n: number) => formatNumber(locale, Math.round((n / 1_048_576) * 10) / 10);

  async function run(e: React.MouseEvent<HTMLAnchorElement>) {
    if (count === 0 || count > maxInPage || typeof ReadableStream === "undefined") return; // plain download
    e.preventDefault();
    const controller = new AbortController();
    abort.current = controller;
    setState({ phase: "running", bytes: 0 });
    try {
      const res = await fetch(href, { signal: controller.signal });
      if (!res.ok || !res.body) throw new Error(String(res.status));
      const reader = res.body.getReader();
      const parts: Uint8Array[] = [];
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        setState({ phase: "running", bytes });
      }
      const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: "application/zip" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ phase: "done", bytes });
    } catch (err) {
      if (controller.signal.aborted) setState({ phase: "idle", bytes: 0 });
      else setState({ phase: "error", bytes: 0, message: (err as Error).message });
    }
  }

  return (
    <div className="cert-export">
      <a className="button" href={href} download={fileName} onClick={run} aria-disabled={count === 0 || state.phase === "running" ? true : undefined}>
        {t("certificates.hr.export", { count: formatNumber(locale, count) })}
      </a>
      {state.phase === "running" ? (
        <div className="cert-export__progress" role="status" aria-live="polite">
          <progress max={estimate} value={Math.min(state.bytes, estimate)} aria-label={t("certificates.hr.exportProgressLabel")} />
          <span>{t("certificates.hr.exportProgress", { received: mb(state.bytes), total: mb(estimate) })}</span>
          <button type="button" className="button secondary" onClick={() => abort.current?.abort()}>
            {t("certificates.hr.exportCancel")}
          </button>
        </div>
      ) : null}
      {state.phase === "done" ? (
        <p className="alert success" role="status">
          {t("certificates.hr.exportDone", { size: mb(state.bytes) })}
        </p>
      ) : null}
      {state.phase === "error" ? (
        <p className="alert error" role="alert">
          {t("certificates.hr.exportFailed")}
        </p>
      ) : null}
      {count > maxInPage ? <p className="muted">{t("certificates.hr.exportLarge")}</p> : null}
    </div>
  );
}
