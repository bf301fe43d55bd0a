import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { login } from "~/auth/accounts.server";
import { getAuth } from "~/auth/session.server";
import { useT } from "~/i18n/react";
import { makeT, detectLocale, metaLocale, pageTitle } from "~/i18n";
import { safeRedirect } from "~/utils/http";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  return [{ title: pageTitle(locale, makeT(locale)("login.title")) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await getAuth(args);
  if (user) throw redirect(safeRedirect(new URL(args.request.url).searchParams.get("next")));
  return null;
}

const LoginSchema = z.object({
  username: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(500),
  next: z.string().max(2000).optional(),
});

type FieldErrors = Partial<Record<"username" | "password", string>>;

export async function action({ request, context }: ActionFunctionArgs) {
  const t = makeT(detectLocale(request.headers.get("Cookie")));
  const form = Object.fromEntries(await request.formData());
  const parsed = LoginSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === "username") fieldErrors.username = t("login.required", { field: t("login.username").toLowerCase() });
      if (field === "password") fieldErrors.password = t("login.required", { field: t("login.password").toLowerCase() });
    }
    return data({ formError: null as string | null, fieldErrors, username: String(form.username ?? "") }, { status: 400 });
  }
  const result = await login({ username: parsed.data.username, password: parsed.data.password, ip: context?.ip ?? "unknown" });
  if (!result.ok) {
    const formError = result.reason === "locked" ? t("login.locked", { minutes: result.retryInMinutes }) : t("login.invalid");
    return data({ formError, fieldErrors: {} as FieldErrors, username: parsed.data.username }, { status: result.reason === "locked" ? 429 : 400 });
  }
  throw redirect(safeRedirect(parsed.data.next), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors ?? {};
  return (
    <section className="card auth-card" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <Form method="post" className="form" noValidate>
        {actionData?.formError ? (
          <div role="alert" className="alert error" id="login-error">
            {actionData.formError}
          </div>
        ) : null}
        <input type="hidden" name="next" value={params.get("next") ?? ""} />
        <div className="field">
          <label htmlFor="username">{t("login.username")}</label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            required
            defaultValue={actionData?.username ?? ""}
            aria-invalid={errors.username ? true : undefined}
            aria-describedby={errors.username ? "username-error" : undefined}
          />
          {errors.username ? (
            <p className="field-error" id="username-error">
              {errors.username}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="password">{t("login.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
          />
          {errors.password ? (
            <p className="field-error" id="password-error">
              {errors.password}
            </p>
          ) : null}
        </div>
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("login.submit")}
        </button>
        <p className="muted">{t("login.help")}</p>
      </Form>
    </section>
  );
}
