import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { detectLocale, formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { requireReportScope } from "~/reports/http.server";
import { commitRosterImport, importPage, MAX_IMPORT_BYTES, previewRosterImport, RosterImportError } from "~/reports/roster-import.server";
import { Badge, DataTable, PageHeader } from "~/components/ui";
import { ExportLinks, unitLabel } from "~/reports/ui";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("reports.import.title")) }];
};

const IdSchema = z.string().regex(/^[0-9a-z]{10,40}$/);

export async function loader(args: LoaderFunctionArgs) {
  const { scope } = await requireReportScope(args);
  const raw = new URL(args.request.url).searchParams.get("id");
  const id = raw === null ? null : IdSchema.safeParse(raw).data;
  if (raw !== null && !id) throw new Response("Not found", { status: 404 });
  const page = await importPage(scope, id ?? null);
  const locale = detectLocale(args.request.headers.get("Cookie"));
  const when = new Intl.DateTimeFormat(locale === "vi" ? "vi-VN" : "en-GB", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  return { ...page, recent: page.recent.map((r) => ({ ...r, createdAtText: when.format(r.createdAt) })) };
}

const PreviewSchema = z.object({
  unit: z.string().trim().min(1).max(64),
  mode: z.enum(["partial", "full"]),
});

export async function action(args: ActionFunctionArgs) {
  const { scope, userId, username } = await requireReportScope(args);
  const t = makeT(detectLocale(args.request.headers.get("Cookie")));
  const actor = { userId, label: `user:${username}` };
  const contentType = args.request.headers.get("Content-Type") ?? "";

  if (contentType.startsWith("multipart/form-data")) {
    const length = Number(args.request.headers.get("Content-Length") ?? "0");
    if (length > MAX_IMPORT_BYTES + 64 * 1024) return data({ error: t("reports.import.tooLarge") }, { status: 413 });
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(args.request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }));
    } catch (e) {
      if (e instanceof MaxPartSizeExceededError) return data({ error: t("reports.import.tooLarge") }, { status: 413 });
      throw e;
    }
    const parsed = PreviewSchema.safeParse({ unit: form.get("unit"), mode: form.get("mode") });
    const file = form.get("file");
    if (!parsed.success) return data({ error: t("reports.import.badForm") }, { status: 400 });
    if (!(file instanceof File) || file.size === 0) return data({ error: t("reports.import.noFile") }, { status: 400 });
    try {
      const preview = await previewRosterImport(scope, { unitCode: parsed.data.unit, mode: parsed.data.mode, fileName: file.name || "roster.csv", bytes: new Uint8Array(await file.arrayBuffer()) }, actor);
      throw redirect(`/hr/import?id=${preview.id}`);
    } catch (e) {
      if (e instanceof RosterImportError) return data({ error: e.code === "too_large" ? t("reports.import.tooLarge") : e.message }, { status: e.status });
      throw e;
    }
  }

  const form = Object.fromEntries(await args.request.formData());
  const id = IdSchema.safeParse(form.id);
  if (form.intent !== "commit" || !id.success) throw new Response("Bad request", { status: 400 });
  try {
    await commitRosterImport(scope, id.data, actor);
  } catch (e) {
    if (e instanceof RosterImportError) {
      const key = `reports.import.error.${e.code}` as MessageKey;
      return data({ error: t(key) }, { status: e.status });
    }
    throw e;
  }
  throw redirect(`/hr/import?id=${id.data}`);
}

export default function RosterImport() {
  const { units, view, recent, maxBytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const busy = navigation.state === "submitting";
  const other = locale === "vi" ? "en" : "vi";
  const noOp = view ? view.counts.new + view.counts.changed + view.counts.leaving === 0 : false;
  return (
    <>
      <PageHeader crumbs={[{ href: "/hr", label: t("reports.home.title") }]} crumbsLabel={t("reports.breadcrumbs")} title={t("reports.import.title")} lead={t("reports.import.lead")} />
      <details className="help">
        <summary>{t("reports.import.columnsTitle")}</summary>
        <p>{t("reports.import.columns")}</p>
        <p className="muted">{t("reports.import.formats", { mb: formatNumber(locale, maxBytes / 1024 / 1024) })}</p>
      </details>

      {actionData?.error ? (
        <div role="alert" className="alert error" id="import-error">
          {actionData.error}
        </div>
      ) : null}

      {view ? (
        <section aria-labelledby="preview-h" className="report-section">
          <h2 id="preview-h">{view.status === "committed" ? t("reports.import.committedTitle") : t("reports.import.previewTitle")}</h2>
          <p className="muted">
            {t("reports.import.fileLine", { file: view.fileName, unit: unitLabel({ nameVi: view.unitNameVi, nameEn: view.unitNameEn }, locale), code: view.unitCode })} ·{" "}
            {t(`reports.import.mode.${view.mode}` as MessageKey)}
          </p>
          {view.status === "committed" ? (
            <div role="status" className="alert success">
              {t("reports.import.committed", { new: formatNumber(locale, view.counts.new), changed: formatNumber(locale, view.counts.changed), leaving: formatNumber(locale, view.counts.leaving) })}{" "}
              <Link to={`/hr/units/${encodeURIComponent(view.unitCode)}`}>{t("reports.import.seeReport")}</Link>
            </div>
          ) : null}
          {view.status === "failed" ? (
            <div role="alert" className="alert error">
              {t("reports.import.failed")}
            </div>
          ) : null}
          <ul className="grid list-plain import-counts">
            {(["new", "changed", "leaving", "unchanged", "errors"] as const).map((k) => (
              <li key={k} className={`card count-${k}`}>
                <p className="muted">{t(`reports.import.count.${k}` as MessageKey)}</p>
                <p className="stat" data-testid={`count-${k}`}>
                  {formatNumber(locale, view.counts[k])}
                </p>
              </li>
            ))}
          </ul>

          {view.errors.length > 0 ? (
            <>
              <div role="alert" className="alert error">
                {t("reports.import.hasErrors", { n: formatNumber(locale, view.counts.errors) })}
              </div>
              <DataTable
                label={t("reports.import.errorsTable")}
                rows={view.errors}
                rowKey={(_e, i) => String(i)}
                columns={[
                  { header: t("reports.import.col.row"), num: true, cell: (e) => (e.row === 0 ? "—" : e.row) },
                  { header: t("reports.import.col.column"), cell: (e) => e.column || "—" },
                  { header: t("reports.import.col.value"), cell: (e) => <code>{e.value}</code> },
                  {
                    header: t("reports.import.col.reason"),
                    stack: true,
                    cell: (e) => (
                      <>
                        {locale === "vi" ? e.reasonVi : e.reasonEn}
                        <span className="block small muted" lang={other}>
                          {other === "vi" ? e.reasonVi : e.reasonEn}
                        </span>
                      </>
                    ),
                  },
                ]}
              />
              <ExportLinks href={(format) => `/hr/import/errors?id=${view.id}&format=${format}`} label={t("reports.import.exportErrors")} />
            </>
          ) : null}

          {view.counts.warnings.length > 0 ? (
            <details>
              <summary>{t("reports.import.warnings", { n: formatNumber(locale, view.counts.warnings.length) })}</summary>
              <ul>
                {view.counts.warnings.map((w, i) => (
                  <li key={i}>
                    {t("reports.import.rowN", { row: w.row })}: {locale === "vi" ? w.reasonVi : w.reasonEn}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}

          {view.counts.sample.new.length > 0 ? (
            <details>
              <summary>{t("reports.import.sampleNew", { n: formatNumber(locale, view.counts.new) })}</summary>
              <ul>
                {view.counts.sample.new.map((n) => (
                  <li key={n.staffCode}>
                    {n.staffCode} — {n.fullName} ({n.unitCode})
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {view.counts.sample.changed.length > 0 ? (
            <details>
              <summary>{t("reports.import.sampleChanged", { n: formatNumber(locale, view.counts.changed) })}</summary>
              <ul>
                {view.counts.sample.changed.map((c) => (
                  <li key={c.staffCode}>
                    {c.staffCode}: {c.changes.map((ch) => `${t(`reports.import.field.${ch.field}` as MessageKey)} ${String(ch.from)} → ${String(ch.to)}`).join("; ")}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {view.counts.sample.leaving.length > 0 ? (
            <details>
              <summary>{t("reports.import.sampleLeaving", { n: formatNumber(locale, view.counts.leaving) })}</summary>
              <ul>
                {view.counts.sample.leaving.map((l) => (
                  <li key={l.staffCode}>
                    {l.staffCode} — {l.fullName} ({l.unitCode})
                  </li>
                ))}
              </ul>
            </details>
          ) : null}

          {view.status === "previewed" && view.errors.length === 0 ? (
            <Form method="post" className="commit-form">
              <input type="hidden" name="id" value={view.id} />
              <input type="hidden" name="intent" value="commit" />
              <p>{noOp ? t("reports.import.noOp") : t("reports.import.confirm")}</p>
              <button type="submit" className="primary" disabled={busy}>
                {noOp ? t("reports.import.commitNoOp") : t("reports.import.commit")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="upload-h" className="report-section">
        <h2 id="upload-h">{view ? t("reports.import.uploadAnother") : t("reports.import.upload")}</h2>
        <Form method="post" encType="multipart/form-data" className="form">
          <div className="field">
            <label htmlFor="unit">{t("reports.import.unit")}</label>
            <select id="unit" name="unit" required defaultValue={view?.unitCode ?? units[0]?.code}>
              {units.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.depth > 0 ? "— " : ""}
                  {unitLabel(u, locale)} ({u.code})
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>{t("reports.import.modeLabel")}</legend>
            <label className="choice">
              <input type="radio" name="mode" value="partial" defaultChecked={view?.mode !== "full"} /> {t("reports.import.mode.partial")}
              <span className="block small muted">{t("reports.import.mode.partialHelp")}</span>
            </label>
            <label className="choice">
              <input type="radio" name="mode" value="full" defaultChecked={view?.mode === "full"} /> {t("reports.import.mode.full")}
              <span className="block small muted">{t("reports.import.mode.fullHelp")}</span>
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor="file">{t("reports.import.file")}</label>
            <input id="file" name="file" type="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="file-help" />
            <p id="file-help" className="small muted">
              {t("reports.import.fileHelp", { mb: formatNumber(locale, maxBytes / 1024 / 1024) })}
            </p>
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {t("reports.import.check")}
          </button>
        </Form>
      </section>

      {recent.length > 0 ? (
        <section aria-labelledby="recent-h" className="report-section">
          <h2 id="recent-h">{t("reports.import.recent")}</h2>
          <DataTable
            rows={recent}
            rowKey={(r) => r.id}
            columns={[
              { header: t("reports.import.col.when"), cell: (r) => r.createdAtText },
              { header: t("reports.col.unit"), cell: (r) => r.unitCode },
              { header: t("reports.import.file"), cell: (r) => <Link to={`/hr/import?id=${r.id}`}>{r.fileName}</Link> },
              { header: t("reports.import.col.status"), cell: (r) => <Badge status={r.status}>{t(`reports.import.status.${r.status}` as MessageKey)}</Badge> },
              { header: t("reports.import.count.new"), num: true, cell: (r) => formatNumber(locale, r.counts.new) },
              { header: t("reports.import.count.changed"), num: true, cell: (r) => formatNumber(locale, r.counts.changed) },
              { header: t("reports.import.count.leaving"), num: true, cell: (r) => formatNumber(locale, r.counts.leaving) },
              { header: t("reports.import.count.errors"), num: true, cell: (r) => formatNumber(locale, r.counts.errors) },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}
