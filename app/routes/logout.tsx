import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/auth/accounts.server";
import { getAuth } from "~/auth/session.server";
import { redirectWithFlash } from "~/utils/flash.server";

// Loaders never mutate: GET /logout only sends people home; logging out is a POST.
export function loader() {
  return redirect("/");
}

export async function action(args: ActionFunctionArgs) {
  const { session } = await getAuth(args);
  if (!session) return redirect("/");
  return redirectWithFlash("/", { key: "flash.loggedOut", tone: "info" }, { headers: { "Set-Cookie": await logout(session.id) } });
}
