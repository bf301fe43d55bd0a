import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CreateUserSchema, createAccount, fieldErrors, searchUsers, UserAdminError } from "~/admin/users.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password-rules";
import { requireRole } from "~/auth/session.server";
import { formatNumber, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { PageHeader } from "~/components/ui";
import { useLocale, useT } from "~/i18n/react";
import { NATIONAL_UNIT_ID } from "~/org/units.server";
import "~/styles/reports.css";
import { ensureAdminMessages } from "~/i18n/admin";

ensureAdminMessages();

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("users.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireRole(args, "admin", NATIONAL_UNIT_ID);
  const q = (new URL(args.request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { q, ...(await searchUsers(q)) };
}

const CREATE_KEYS = { username: "users.error.username", displayName: "users.error.displayName", staffCode: "users.error.staffCode", password: "users.error.password" };

export async function action(args: ActionFunctionArgs) {
  const { user } = await requireRole(args, "admin", NATIONAL_UNIT_ID);
  const form = Object.fromEntries(await args.request.formData());
  const values = { username: String(form.username ?? ""), displayName: String(form.displayName ?? ""), staffCode: String(form.staffCode ?? "") };
  const parsed = CreateUserSchema.safeParse(form);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error.issues, CREATE_KEYS), values }, { status: 400 });
  try {
    const id = await createAccount(parsed.data, { userId: user.id, label: `user:${user.username}` });
    throw redirect(`/admin/users/${id}?done=create`);
  } catch (e) {
    if (e instanceof UserAdminError) return data({ errors: { [e.field]: e.messageKey }, values }, { status: e.status });
    throw e;
  }
}

export default function AdminUsers() {
  const { q, rows, truncated } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const err = (f: string) => a?.errors[f];
  const described = (f: string) => (err(f) ? `${f}-error` : undefined);
  return (
    <>
      <PageHeader
        title={t("users.title")}
        lead={t("users.lead")}
        crumbsLabel={t("reports.breadcrumbs")}
        crumbs={[{ href: "/admin", label: t("admin.title") }]}
      />
      <Form method="get" className="filters" aria-label={t("users.search")}>
        <div className="field">
          <label htmlFor="q">{t("users.search.label")}</label>
          <input id="q" name="q" type="search" maxLength={100} defaultValue={q} />
        </div>
        <button type="submit" className="button">
          {t("users.search.submit")}
        </button>
      </Form>
      <p role="status">
        <strong>{t("users.count", { n: formatNumber(locale, rows.length) + (truncated ? "+" : "") })}</strong>
      </p>
      {rows.length === 0 ? (
        <p className="muted">{t("users.none")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("users.col.username")}</th>
              <th scope="col">{t("users.col.name")}</th>
              <th scope="col">{t("users.col.roles")}</th>
              <th scope="col">{t("users.col.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.id}>
                <td data-label={t("users.col.username")}>
                  <Link to={`/admin/users/${u.id}`}>{u.username}</Link>
                </td>
                <td data-label={t("users.col.name")}>
                  <span>
                    {u.displayName} {u.staffCode ? <span className="muted small">{u.staffCode}</span> : null}
                  </span>
                </td>
                <td data-label={t("users.col.roles")}>{u.roles.map((r) => `${t(`role.${r.role}` as MessageKey)} (${r.unitCode})`).join(", ")}</td>
                <td data-label={t("users.col.status")}>{t(`users.status.${u.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card" aria-labelledby="create-title">
        <h2 id="create-title">{t("users.create.title")}</h2>
        <Form method="post" className="form" noValidate>
          {a ? (
            <div role="alert" className="alert error">
              <p>{t("users.error.title")}</p>
              <ul>
                {Object.entries(a.errors).map(([f, key]) => (
                  <li key={f}>
                    <a href={`#${f}`}>{t(key as MessageKey, { min: MIN_PASSWORD_LENGTH })}</a>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="username">{t("users.create.username")}</label>
            <input id="username" name="username" required maxLength={64} autoComplete="off" defaultValue={a?.values.username} aria-invalid={err("username") ? true : undefined} aria-describedby={described("username")} />
            {err("username") ? <small id="username-error" className="field-error">{t(err("username") as MessageKey)}</small> : null}
          </div>
          <div className="field">
            <label htmlFor="displayName">{t("users.create.displayName")}</label>
            <input id="displayName" name="displayName" required maxLength={200} autoComplete="off" defaultValue={a?.values.displayName} aria-invalid={err("displayName") ? true : undefined} aria-describedby={described("displayName")} />
            {err("displayName") ? <small id="displayName-error" className="field-error">{t(err("displayName") as MessageKey)}</small> : null}
          </div>
          <div className="field">
            <label htmlFor="staffCode">{t("users.create.staffCode")}</label>
            <input id="staffCode" name="staffCode" maxLength={64} autoComplete="off" defaultValue={a?.values.staffCode} aria-invalid={err("staffCode") ? true : undefined} aria-describedby={described("staffCode")} />
            {err("staffCode") ? <small id="staffCode-error" className="field-error">{t(err("staffCode") as MessageKey)}</small> : null}
          </div>
          <div className="field">
            <label htmlFor="password">{t("users.create.password", { min: MIN_PASSWORD_LENGTH })}</label>
            <input id="password" name="password" type="password" required minLength={MIN_PASSWORD_LENGTH} autoComplete="new-password" aria-invalid={err("password") ? true : undefined} aria-describedby={described("password")} />
            {err("password") ? <small id="password-error" className="field-error">{t(err("password") as MessageKey, { min: MIN_PASSWORD_LENGTH })}</small> : null}
          </div>
          <button type="submit" className="primary">
            {t("users.create.submit")}
          </button>
        </Form>
      </section>
    </>
  );
}
