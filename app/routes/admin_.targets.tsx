import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { detectLocale, formatDate, makeT, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import { loadTargets, TargetEditSchema, TargetNotFoundError, updateTarget } from "~/reports/targets.server";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "vi" | "en" } | undefined)?.locale ?? "vi";
  return [{ title: `${makeT(locale)("reports.targets.title")} · ${makeT(locale)("app.name")}` }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireRole(args, "admin", NATIONAL_UNIT_ID);
  return { targets: await loadTargets() };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = await requireRole(args, "admin", NATIONAL_UNIT_ID);
  const t = makeT(detectLocale(args.request.headers.get("Cookie")));
  const form = Object.fromEntries(await args.request.formData());
  const parsed = TargetEditSchema.safeParse({ ...form, active: form.active ?? "" });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => String(i.path[0]));
    return data({ code: String(form.code ?? ""), ok: false, message: t("reports.targets.invalid"), fields }, { status: 400 });
  }
  try {
    const { changed } = await updateTarget(parsed.data, { userId: user.id, label: `user:${user.username}` });
    return { code: parsed.data.code, ok: true, message: changed ? t("reports.targets.saved", { code: parsed.data.code }) : t("reports.targets.unchanged"), fields: [] as string[] };
  } catch (e) {
    if (e instanceof TargetNotFoundError) throw new Response("Not found", { status: 404 });
    throw e;
  }
}

export default function AdminTargets() {
  const { targets } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <nav aria-label={t("reports.breadcrumbs")} className="breadcrumbs">
        <ol className="list-plain">
          <li>
            <Link to="/admin">{t("admin.title")}</Link>
          </li>
        </ol>
      </nav>
      <h1>{t("reports.targets.title")}</h1>
      <p className="lead">{t("reports.targets.lead")}</p>
      {result ? (
        <div role={result.ok ? "status" : "alert"} className={`alert ${result.ok ? "success" : "error"}`}>
          {result.message}
        </div>
      ) : null}
      <ul className="list-plain target-edit-list">
        {targets.map((tg) => {
          const invalid = result && !result.ok && result.code === tg.code ? result.fields : [];
          return (
            <li key={tg.code} className="card">
              <h2 className="target-card__title">
                <span className="badge">{tg.code}</span> {locale === "en" ? tg.titleEn : tg.titleVi}
              </h2>
              <p className="muted small">
                {t("reports.targets.counts", { credential: locale === "en" ? tg.credentialNameEn : tg.credentialNameVi, population: t(`reports.rule.${tg.rule.kind}` as MessageKey) })}
                {" · "}
                {t("reports.targets.current", { percent: tg.percent, date: formatDate(locale, tg.deadline) })}
              </p>
              <Form method="post" className="target-edit">
                <input type="hidden" name="code" value={tg.code} />
                <div className="field">
                  <label htmlFor={`p-${tg.code}`}>{t("reports.targets.percent")}</label>
                  <input id={`p-${tg.code}`} name="percent" type="number" min={0} max={100} step="0.1" defaultValue={tg.percent} required aria-invalid={invalid.includes("percent") || undefined} />
                </div>
                <div className="field">
                  <label htmlFor={`d-${tg.code}`}>{t("reports.targets.deadline")}</label>
                  <input id={`d-${tg.code}`} name="deadline" type="date" defaultValue={tg.deadline} required aria-invalid={invalid.includes("deadline") || undefined} />
                </div>
                <label className="choice" htmlFor={`a-${tg.code}`}>
                  <input id={`a-${tg.code}`} name="active" type="checkbox" defaultChecked={tg.active} /> {t("reports.targets.active")}
                </label>
                <button type="submit" className="button" disabled={navigation.state === "submitting"}>
                  {t("reports.targets.save")}
                </button>
              </Form>
            </li>
          );
        })}
      </ul>
    </>
  );
}
