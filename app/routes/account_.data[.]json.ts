/** The signed-in person's own data as a JSON download (app/auth/personal-data.server.ts says what is in it). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { personalData } from "~/auth/personal-data.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const body = JSON.stringify(await personalData(user.id), null, 2);
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="du-lieu-ca-nhan-${user.username}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
