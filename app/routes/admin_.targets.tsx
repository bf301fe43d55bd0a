import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { Badge, Button, PageHeader } from "~/components/ui";
import { detectLocale, formatDate, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import { loadTargets, TargetEditSchema, TargetNotFoundError, updateTarget } from "~/reports/targets.server";
import { redirectWithFlash } from "~/utils/flash.server";
import "~/styles/reports.css";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("reports.targets.title")) }];
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
    // Post/redirect/get: a reload does not post again; the notice comes once, as a flash.
    return redirectWithFlash("/admin/targets", changed ? { key: "reports.targets.saved", params: { code: parsed.data.code } } : { key: "reports.targets.unchanged", tone: "info" });
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
      <PageHeader crumbs={[{ href: "/admin", label: t("admin.title") }]} crumbsLabel={t("reports.breadcrumbs")} title={t("reports.targets.title")} lead={t("reports.targets.lead")} />
      {result ? (
        <div role="alert" className="alert error">
          {result.message}
        </div>
      ) : null}
      <ul className="list-plain target-edit-list">
        {targets.map((tg) => {
          const invalid = result && result.code === tg.code ? result.fields : [];
          return (
            <li key={tg.code} className="card">
              <h2 className="target-card__title">
                <Badge>{tg.code}</Badge> {locale === "en" ? tg.titleEn : tg.titleVi}
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
                <Button disabled={navigation.state === "submitting"}>{t("reports.targets.save")}</Button>
              </Form>
            </li>
          );
        })}
      </ul>
    </>
  );
}
