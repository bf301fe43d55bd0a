import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { fieldErrors, getUserDetail, grantRole, GrantSchema, resetPassword, ResetSchema, revokeRole, RevokeSchema, setAccountStatus, UserAdminError } from "~/admin/users.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password-rules";
import { requireRole } from "~/auth/session.server";
import { ROLES } from "#db/schema";
import { makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { PageHeader } from "~/components/ui";
import { useLocale, useT } from "~/i18n/react";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import { badRequest, notFound } from "~/utils/http";
import "~/styles/reports.css";
import { ensureAdminMessages } from "~/i18n/admin";

ensureAdminMessages();

export const meta: MetaFunction<typeof loader> = ({ data: d, matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, d?.user.username ?? "", makeT(locale)("users.title")) }];
};

const UserId = z.string().regex(/^[0-9a-z]{10,40}$/);

async function load(args: LoaderFunctionArgs) {
  const { user } = await requireRole(args, "admin", NATIONAL_UNIT_ID);
  const id = UserId.safeParse(args.params.userId);
  if (!id.success) throw notFound();
  const detail = await getUserDetail(id.data);
  if (!detail) throw notFound();
  return { actor: user, detail };
}

export async function loader(args: LoaderFunctionArgs) {
  const { detail } = await load(args);
  return { user: detail };
}

const DONE = ["create", "grant", "revoke", "reset", "disable", "enable"] as const;

export async function action(args: ActionFunctionArgs) {
  const { actor, detail } = await load(args);
  const who = { userId: actor.id, label: `user:${actor.username}` };
  const form = Object.fromEntries(await args.request.formData());
  const intent = String(form.intent ?? "");
  const fail = (errors: Record<string, string>, status = 400) => data({ intent, errors }, { status });
  try {
    if (intent === "grant") {
      const p = GrantSchema.safeParse(form);
      if (!p.success) return fail(fieldErrors(p.error.issues, { role: "users.error.role", unitCode: "users.error.unit" }));
      await grantRole(detail.id, p.data, who);
    } else if (intent === "revoke") {
      const p = RevokeSchema.safeParse(form);
      if (!p.success) return fail({ assignmentId: "users.error.intent" });
      await revokeRole(detail.id, p.data.assignmentId, who);
    } else if (intent === "reset") {
      const p = ResetSchema.safeParse(form);
      if (!p.success) return fail({ password: "users.error.password" });
      await resetPassword(detail.id, p.data.password, who);
    } else if (intent === "disable" || intent === "enable") {
      await setAccountStatus(detail.id, intent === "disable" ? "disabled" : "active", who);
    } else {
      throw badRequest("intent must be grant, revoke, reset, disable or enable");
    }
  } catch (e) {
    if (e instanceof UserAdminError) {
      if (e.status === 404) throw notFound();
      return fail({ [e.field]: e.messageKey }, e.status);
    }
    throw e;
  }
  throw redirect(`/admin/users/${detail.id}?done=${intent}`, 303);
}

function Errors({ errors }: { errors: Record<string, string> }) {
  const t = useT();
  return (
    <div role="alert" className="alert error">
      {Object.values(errors).map((key) => (
        <p key={key}>{t(key as MessageKey, { min: MIN_PASSWORD_LENGTH })}</p>
      ))}
    </div>
  );
}

export default function AdminUser() {
  const { user } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const done = DONE.find((d) => d === params.get("done"));
  const errorsFor = (intent: string) => (a && a.intent === intent ? a.errors : null);
  const grantErrors = errorsFor("grant");
  const resetErrors = errorsFor("reset");
  return (
    <>
      <PageHeader
        title={<>
            {user.displayName} <code>{user.username}</code>
          </>}
        crumbsLabel={t("reports.breadcrumbs")}
        crumbs={[{ href: "/admin", label: t("admin.title") }, { href: "/admin/users", label: t("users.back") }]}
      />
      {done ? (
        <div role="status" className="alert success">
          {done === "create" ? t("users.create.done", { username: user.username }) : t(`users.${done}.done` as MessageKey)}
        </div>
      ) : null}
      <p>
        {user.person ? t("users.person", { name: user.person.fullName, staffCode: user.person.staffCode }) : t("users.noPerson")} · {t(`users.status.${user.status}`)}
      </p>
      <section className="card" aria-labelledby="roles-title">
        <h2 id="roles-title">{t("users.col.roles")}</h2>
        {errorsFor("revoke") ? <Errors errors={errorsFor("revoke")!} /> : null}
        {user.roles.length === 0 ? (
          <p className="muted">{t("users.noRoles")}</p>
        ) : (
          <ul className="list-plain">
            {user.roles.map((r) => {
              const unit = `${locale === "en" && r.unitNameEn ? r.unitNameEn : r.unitNameVi} (${r.unitCode})`;
              return (
                <li key={r.id}>
                  <Form method="post" className="inline-form">
                    {t(`role.${r.role}` as MessageKey)} — {unit}{" "}
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="assignmentId" value={r.id} />
                    <button type="submit" className="button secondary" aria-label={t("users.revoke.label", { role: t(`role.${r.role}` as MessageKey), unit })}>
                      {t("users.revoke.submit")}
                    </button>
                  </Form>
                </li>
              );
            })}
          </ul>
        )}
        <h3>{t("users.grant.title")}</h3>
        <Form method="post" className="form" noValidate>
          {grantErrors ? <Errors errors={grantErrors} /> : null}
          <input type="hidden" name="intent" value="grant" />
          <div className="field">
            <label htmlFor="role">{t("users.grant.role")}</label>
            <select id="role" name="role" required aria-invalid={grantErrors?.role ? true : undefined}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="unitCode">{t("users.grant.unit")}</label>
            <input id="unitCode" name="unitCode" required maxLength={64} autoComplete="off" aria-invalid={grantErrors?.unitCode ? true : undefined} />
          </div>
          <button type="submit" className="primary">
            {t("users.grant.submit")}
          </button>
        </Form>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="reset-title">
          <h2 id="reset-title">{t("users.reset.title")}</h2>
          <p className="muted">{t("users.reset.help")}</p>
          <Form method="post" className="form" noValidate>
            {resetErrors ? <Errors errors={resetErrors} /> : null}
            <input type="hidden" name="intent" value="reset" />
            <div className="field">
              <label htmlFor="new-password">{t("users.reset.password", { min: MIN_PASSWORD_LENGTH })}</label>
              <input id="new-password" name="password" type="password" required minLength={MIN_PASSWORD_LENGTH} autoComplete="new-password" aria-invalid={resetErrors ? true : undefined} />
            </div>
            <button type="submit" className="primary">
              {t("users.reset.submit")}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="status-title">
          <h2 id="status-title">{t("users.status.title")}</h2>
          {errorsFor("disable") ? <Errors errors={errorsFor("disable")!} /> : null}
          <Form method="post">
            <input type="hidden" name="intent" value={user.status === "active" ? "disable" : "enable"} />
            <button type="submit" className="button secondary">
              {user.status === "active" ? t("users.disable.submit") : t("users.enable.submit")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
