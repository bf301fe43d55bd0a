import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { changeOwnPassword, logoutEverywhere } from "~/auth/accounts.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password-rules";
import { getRoleGrants, requireUser } from "~/auth/session.server";
import { detectLocale, makeT, type MessageKey } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";
import { redirectWithFlash } from "~/utils/flash.server";
import { badRequest } from "~/utils/http";
import { ensureAdminMessages } from "~/i18n/admin";

ensureAdminMessages();

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const grants = await getRoleGrants(user.id);
  return { username: user.username, displayName: user.displayName, grants };
}

const PasswordSchema = z.object({ current: z.string().min(1).max(500), next: z.string().max(500) });

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const t = makeT(detectLocale(args.request.headers.get("Cookie")));
  const form = Object.fromEntries(await args.request.formData());
  if (form.intent === "logout-everywhere") {
    return redirect("/", { headers: { "Set-Cookie": await logoutEverywhere(user.id) } });
  }
  if (form.intent === "change-password") {
    const parsed = PasswordSchema.safeParse(form);
    if (!parsed.success) return data({ error: t("account.password.wrong"), done: null }, { status: 400 });
    if (parsed.data.next.length < MIN_PASSWORD_LENGTH) {
      return data({ error: t("account.password.short", { min: MIN_PASSWORD_LENGTH }), done: null }, { status: 400 });
    }
    const result = await changeOwnPassword(user.id, parsed.data.current, parsed.data.next);
    if (result === "wrong_current") return data({ error: t("account.password.wrong"), done: null }, { status: 400 });
    // Every session ended, this one included: log in again with the new password.
    throw redirectWithFlash("/login?next=/account", { key: "flash.passwordChanged", tone: "info" });
  }
  throw badRequest("Unknown intent");
}

export default function Account() {
  const { username, displayName, grants } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h1>{t("account.title")}</h1>
      <section className="card">
        <p>
          <strong>{displayName}</strong>
          <br />
          {t("account.username")}: <code>{username}</code>
        </p>
        <h2>{t("account.roles")}</h2>
        <ul>
          {grants.map((g) => (
            <li key={`${g.role}-${g.unitId}`}>
              {t(`role.${g.role}` as MessageKey)} — {t("role.scope", { unit: locale === "en" && g.unitNameEn ? g.unitNameEn : g.unitNameVi })}
            </li>
          ))}
        </ul>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="pw-title">
          <h2 id="pw-title">{t("account.password.title")}</h2>
          <Form method="post" className="form">
            {actionData?.error ? (
              <div role="alert" className="alert error">
                {actionData.error}
              </div>
            ) : null}
            <input type="hidden" name="intent" value="change-password" />
            <div className="field">
              <label htmlFor="current">{t("account.password.current")}</label>
              <input id="current" name="current" type="password" autoComplete="current-password" required />
            </div>
            <div className="field">
              <label htmlFor="next">{t("account.password.new", { min: MIN_PASSWORD_LENGTH })}</label>
              <input id="next" name="next" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
            </div>
            <button type="submit" className="primary">
              {t("account.password.submit")}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="data-title">
          <h2 id="data-title">{t("account.data.title")}</h2>
          <p>{t("account.data.help")}</p>
          <a className="button secondary" href="/account/data.json" download>
            {t("account.data.download")}
          </a>
        </section>
        <section className="card" aria-labelledby="sessions-title">
          <h2 id="sessions-title">{t("account.logoutEverywhere")}</h2>
          <p>{t("account.logoutEverywhere.help")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="logout-everywhere" />
            <button type="submit" className="button secondary">
              {t("account.logoutEverywhere")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
