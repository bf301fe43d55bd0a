/**
 * Who is asking. The session is validated once per request in `getLoadContext` (entry.server.tsx), which also
 * sends the refreshed cookie (sliding expiry); loaders and actions read it from the load context.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import { and, eq, sql } from "drizzle-orm";
import type { Session, User } from "lucia";
import { orgUnits, roleAssignments, type Role } from "#db/schema";
import { preparedPerDb } from "#db/prepared";
import { getDatabase, type Db } from "~/db.server";
import { getLucia } from "./lucia.server";

export interface Auth {
  user: User | null;
  session: Session | null;
}

export interface RequestArgs {
  request: Request;
  context: AppLoadContext;
}

/** Validates the session cookie; returns the Set-Cookie values the response must carry (refresh or clear). */
export async function validateSessionCookie(cookieHeader: string | null | undefined): Promise<Auth & { setCookies: string[] }> {
  const lucia = await getLucia();
  const id = lucia.readSessionCookie(cookieHeader ?? "");
  if (!id) return { user: null, session: null, setCookies: [] };
  const { session, user } = await lucia.validateSession(id);
  if (!session) return { user: null, session: null, setCookies: [lucia.createBlankSessionCookie().serialize()] };
  if (user.status !== "active") {
    await lucia.invalidateSession(session.id);
    return { user: null, session: null, setCookies: [lucia.createBlankSessionCookie().serialize()] };
  }
  const setCookies = session.fresh ? [lucia.createSessionCookie(session.id).serialize()] : [];
  return { user, session, setCookies };
}

export async function getAuth({ request, context }: RequestArgs): Promise<Auth> {
  if (context?.auth) return context.auth;
  // Outside our server (vite dev, direct calls in tests): validate here; the cookie refresh is skipped.
  const { user, session } = await validateSessionCookie(request.headers.get("Cookie"));
  return { user, session };
}

export function loginRedirectPath(request: Request): string {
  const url = new URL(request.url);
  return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

export async function requireUser(args: RequestArgs): Promise<User> {
  const { user } = await getAuth(args);
  if (!user) throw redirect(loginRedirectPath(args.request));
  return user;
}

export interface RoleGrant {
  role: Role;
  unitId: string;
  unitCode: string;
  unitPath: string;
  unitNameVi: string;
  unitNameEn: string | null;
}

// Every page asks (the header's links, then authorisation): prepared once per connection.
const roleGrantsQuery = preparedPerDb((db: Db) =>
  db
    .select({
      role: roleAssignments.role,
      unitId: orgUnits.id,
      unitCode: orgUnits.code,
      unitPath: orgUnits.path,
      unitNameVi: orgUnits.nameVi,
      unitNameEn: orgUnits.nameEn,
    })
    .from(roleAssignments)
    .innerJoin(orgUnits, eq(roleAssignments.orgUnitId, orgUnits.id))
    .where(eq(roleAssignments.userId, sql.placeholder("userId")))
    .prepare(),
);

export async function getRoleGrants(userId: string): Promise<RoleGrant[]> {
  const { read } = await getDatabase();
  return roleGrantsQuery(read).execute({ userId });
}

/** The distinct roles of `grants` (what the header's links depend on). */
export function roleNames(grants: readonly RoleGrant[]): Role[] {
  return [...new Set(grants.map((g) => g.role))];
}

/** True when `grants` give `role` over the unit at `unitPath` (an admin's scope satisfies every role). */
export function grantsCover(grants: RoleGrant[], role: Role, unitPath?: string): boolean {
  return grants.some(
    (g) => (g.role === role || g.role === "admin") && (unitPath === undefined || unitPath.startsWith(g.unitPath)),
  );
}

export function forbidden(message = "Forbidden"): Response {
  return new Response(message, { status: 403 });
}

/**
 * Requires `role` (over `unitId`'s subtree when given). Anonymous → redirect to login; signed in without the
 * grant → 403. Returns the user and the grants of that role, which callers use to scope every query.
 */
export async function requireRole(args: RequestArgs, role: Role, unitId?: string) {
  const user = await requireUser(args);
  const grants = await getRoleGrants(user.id);
  let unitPath: string | undefined;
  if (unitId !== undefined) {
    const { read } = await getDatabase();
    const [unit] = await read.select({ path: orgUnits.path }).from(orgUnits).where(and(eq(orgUnits.id, unitId)));
    if (!unit) throw new Response("Not found", { status: 404 });
    unitPath = unit.path;
  }
  if (!grantsCover(grants, role, unitPath)) throw forbidden();
  return { user, grants: grants.filter((g) => g.role === role || g.role === "admin") };
}
