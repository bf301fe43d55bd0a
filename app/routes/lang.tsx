import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLocale, langCookie } from "~/i18n";
import { badRequest, safeRedirect } from "~/utils/http";

export function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  if (!isLocale(locale)) throw badRequest("locale must be vi or en");
  return redirect(safeRedirect(form.get("redirectTo"), "/"), { headers: { "Set-Cookie": langCookie(locale) } });
}
