import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/auth/accounts.server";
import { getAuth } from "~/auth/session.server";

// Loaders never mutate: GET /logout only sends people home; logging out is a POST.
export function loader() {
  return redirect("/");
}

export async function action(args: ActionFunctionArgs) {
  const { session } = await getAuth(args);
  if (!session) return redirect("/");
  return redirect("/", { headers: { "Set-Cookie": await logout(session.id) } });
}
