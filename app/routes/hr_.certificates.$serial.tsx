/**
 * /hr/certificates/<serial> — one certificate for an HR officer or admin in scope: facts, status history, and the
 * revoke / suspend / reinstate forms (reason required; each change is audited).
 */
import "~/styles/certificates.css";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/session.server";
import { actorOf, orHttpError } from "~/certificates/http.server";
import { CertificateError } from "~/certificates/issue.server";
import { checkTransition, REASON_MAX, STATUS_ACTIONS, type StatusAction } from "~/certificates/lifecycle";
import { certificateForViewer, scopeOfGrants, statusOf } from "~/certificates/records.server";
import { changeCertificateStatus } from "~/certificates/status.server";
import { CertificateActions, CertificateHead } from "~/certificates/ui";
import { Badge, Facts } from "~/components/ui";
import { detectLocale, formatDate, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/http";

export const meta: MetaFunction = ({ matches, params }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, params.serial ?? "", t("certificates.hr.title")) }];
};

async function load(args: LoaderFunctionArgs) {
  const serial = args.params.serial ?? "";
  if (!/^[A-Z]{2,5}-\d{4}-\d{6}-[0-9A-Z]$/.test(serial)) throw notFound();
  const { user, grants } = await requireRole(args, "hr");
  const scope = scopeOfGrants(grants);
  // Scope only (no holder exception): an officer cannot manage their own certificate outside their scope.
  const record = await orHttpError(() => certificateForViewer({ user: { id: user.id, personId: null }, scope }, serial));
  return { user, scope, record };
}

export async function loader(args: LoaderFunctionArgs) {
  const { record } = await load(args);
  const now = Date.now();
  const status = statusOf(record, now);
  return {
    cert: {
      serial: record.serial,
      holderName: record.holderName,
      staffCode: record.staffCode,
      holderUnitName: record.holderUnitName,
      credentialNameVi: record.credentialNameVi,
      credentialNameEn: record.credentialNameEn,
      issuerNameVi: record.issuerNameVi,
      issuerNameEn: record.issuerNameEn,
      source: record.source,
      sourceNote: record.sourceNote,
      scorePercent: record.scorePercent,
      issuedAt: record.issuedAt,
      expiresAt: record.expiresAt,
      keyId: record.keyId,
      keyIsDemo: record.keyIsDemo,
    },
    status,
    allowed: STATUS_ACTIONS.filter((a) => checkTransition(status.status, a).ok),
    events: record.events.map((e) => ({ id: e.id, status: e.status, reason: e.reason, effectiveAt: e.effectiveAt, createdAt: e.createdAt })),
  };
}

const ChangeSchema = z.object({ intent: z.enum(STATUS_ACTIONS), reason: z.string().max(REASON_MAX * 2) });

export async function action(args: ActionFunctionArgs) {
  const { user, scope, record } = await load(args);
  const t = makeT(detectLocale(args.request.headers.get("Cookie")));
  const parsed = ChangeSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) return data({ error: t("certificates.hr.reasonRequired"), intent: null as StatusAction | null }, { status: 400 });
  const { intent, reason } = parsed.data;
  if (reason.trim().length < 3) return data({ error: t("certificates.hr.reasonRequired"), intent }, { status: 400 });
  try {
    await changeCertificateStatus({ serial: record.serial, action: intent, reason, actor: actorOf(user, args.context), scope });
  } catch (e) {
    if (e instanceof CertificateError && (e.code === "conflict" || e.code === "invalid")) {
      return data({ error: t(e.code === "conflict" ? "certificates.hr.conflict" : "certificates.hr.reasonRequired"), intent }, { status: e.code === "conflict" ? 409 : 400 });
    }
    return orHttpError(() => Promise.reject(e));
  }
  throw redirect(`/hr/certificates/${record.serial}?done=${intent}`);
}

export default function HrCertificate() {
  const { cert, status, allowed, events } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const done = params.get("done");
  return (
    <div className="cert-stack">
      <p>
        <Link to="/hr/certificates">← {t("certificates.hr.backToList")}</Link>
      </p>
      <h1>
        {t("certificates.hr.detailTitle")} <code>{cert.serial}</code>
      </h1>
      {done && (STATUS_ACTIONS as readonly string[]).includes(done) ? (
        <p className="alert success" role="status">
          {t(`certificates.hr.done.${done}` as MessageKey)}
        </p>
      ) : null}
      <section className="card">
        <CertificateHead title={locale === "en" ? cert.credentialNameEn : cert.credentialNameVi} status={status.status} />
        <Facts
          className="cert-facts"
          items={[
            {
              label: t("certificates.field.holder"),
              value: (
                <>
                  {cert.holderName} <span className="muted">({cert.staffCode})</span>
                </>
              ),
            },
            { label: t("certificates.field.unitAtIssue"), value: cert.holderUnitName },
            { label: t("certificates.field.issuer"), value: locale === "en" && cert.issuerNameEn ? cert.issuerNameEn : cert.issuerNameVi },
            { label: t("certificates.field.issued"), value: formatDate(locale, cert.issuedAt) },
            { label: t("certificates.field.expires"), value: cert.expiresAt === null ? t("certificates.field.noExpiry") : formatDate(locale, cert.expiresAt) },
            {
              label: t("certificates.field.source"),
              value: cert.source === "recognised" ? `${t("certificates.source.recognised")}: ${cert.sourceNote ?? ""}` : t("certificates.source.passed", { score: cert.scorePercent ?? "—" }),
            },
            {
              label: t("certificates.field.key"),
              value: (
                <>
                  <code>{cert.keyId}</code> {cert.keyIsDemo ? <Badge tone="warning">{t("certificates.hr.demoKey")}</Badge> : null}
                </>
              ),
            },
          ]}
        />
        {status.reason ? <p className="alert error">{t(status.status === "revoked" ? "certificates.mine.revokedOn" : "certificates.mine.suspendedOn", { date: formatDate(locale, (status.revokedAt ?? status.suspendedAt)!), reason: status.reason })}</p> : null}
        <CertificateActions serial={cert.serial} />
      </section>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t("certificates.hr.history")}</h2>
        {events.length === 0 ? (
          <p className="muted">{t("certificates.hr.noHistory")}</p>
        ) : (
          <ol className="cert-history">
            {events.map((e) => (
              <li key={e.id}>
                <strong>{t(`certificates.event.${e.status}` as MessageKey)}</strong> — {formatDate(locale, e.effectiveAt)}: {e.reason}
              </li>
            ))}
          </ol>
        )}
      </section>

      {allowed.length > 0 ? (
        <section className="card" aria-labelledby="change-title">
          <h2 id="change-title">{t("certificates.hr.changeTitle")}</h2>
          {a?.error ? (
            <p className="alert error" role="alert" id="change-error">
              {a.error}
            </p>
          ) : null}
          <Form method="post" className="form">
            <div className="field">
              <label htmlFor="reason">{t("certificates.hr.reason")}</label>
              <textarea id="reason" name="reason" required minLength={3} maxLength={REASON_MAX} rows={3} aria-describedby={a?.error ? "change-error reason-help" : "reason-help"} aria-invalid={a?.error ? true : undefined} />
              <p className="muted" id="reason-help">
                {t("certificates.hr.reasonHelp")}
              </p>
            </div>
            <div className="cert-actions">
              {allowed.map((act) => (
                <button key={act} type="submit" name="intent" value={act} className={act === "revoke" ? "button danger" : act === "suspend" ? "button secondary" : "button"} disabled={navigation.state === "submitting"}>
                  {t(`certificates.hr.action.${act}` as MessageKey)}
                </button>
              ))}
            </div>
            {allowed.includes("revoke") ? <p className="muted">{t("certificates.hr.revokeFinal")}</p> : null}
          </Form>
        </section>
      ) : (
        <p className="muted">{t("certificates.hr.noActions")}</p>
      )}
    </div>
  );
}
