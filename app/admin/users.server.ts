/**
 * Accounts and roles for administrators (context/users.md: the administrator "manages accounts and roles"):
 * search, create an account for a person on the roster, grant or revoke a role over a unit subtree, reset a
 * password (every session ends), disable or enable an account. Each change is one write with its audit event,
 * which records the state before and after. Password hashing happens before the write (ADR 0002).
 */
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { orgUnits, people, roleAssignments, ROLES, users, type Role } from "#db/schema";
import { insertUser, prepareUser, setPassword, AccountError } from "~/auth/accounts.server";
import { getLucia } from "~/auth/lucia.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password-rules";
import { getDatabase, type Tx } from "~/db.server";
import { audit } from "~/utils/audit.server";
import { newId } from "~/utils/ids";

export interface AdminActor {
  userId: string;
  label: string;
}

/** A form error: the field it belongs to and the message key that explains it (shown in vi or en). */
export class UserAdminError extends Error {
  override name = "UserAdminError";
  constructor(
    readonly field: string,
    readonly messageKey: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(`${field}: ${messageKey}`);
  }
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export const CreateUserSchema = z.object({
  username: z.string().trim().toLowerCase().regex(USERNAME),
  displayName: z.string().trim().min(1).max(200),
  staffCode: z.string().trim().max(64).optional().transform((v) => (v ? v : undefined)),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(500),
});
export const GrantSchema = z.object({ role: z.enum(ROLES), unitCode: z.string().trim().min(1).max(64) });
export const RevokeSchema = z.object({ assignmentId: z.string().min(1).max(64) });
export const ResetSchema = z.object({ password: z.string().min(MIN_PASSWORD_LENGTH).max(500) });

/** zod issues → { field: message key } for the form. */
export function fieldErrors(issues: z.ZodIssue[], keys: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const f = String(i.path[0] ?? "");
    if (!out[f]) out[f] = keys[f] ?? "users.error.intent";
  }
  return out;
}

export interface UserListRow {
  id: string;
  username: string;
  displayName: string;
  status: "active" | "disabled";
  staffCode: string | null;
  roles: { role: Role; unitCode: string }[];
}

export const USER_LIST_LIMIT = 100;

/** Accounts whose username, name or staff code contains `q` (all when empty), alphabetical, at most 100. */
export async function searchUsers(q: string): Promise<{ rows: UserListRow[]; truncated: boolean }> {
  const { read } = await getDatabase();
  const term = q.normalize("NFC").trim().slice(0, 100);
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const match = term
    ? or(sql`${users.username} like ${pattern} escape '\\'`, sql`${users.displayName} like ${pattern} escape '\\'`, sql`${people.staffCode} like ${pattern} escape '\\'`)
    : undefined;
  const found = await read
    .select({ id: users.id, username: users.username, displayName: users.displayName, status: users.status, staffCode: people.staffCode })
    .from(users)
    .leftJoin(people, eq(users.personId, people.id))
    .where(match)
    .orderBy(asc(users.username))
    .limit(USER_LIST_LIMIT + 1);
  const rows = found.slice(0, USER_LIST_LIMIT);
  const grants = rows.length
    ? await read
        .select({ userId: roleAssignments.userId, role: roleAssignments.role, unitCode: orgUnits.code })
        .from(roleAssignments)
        .innerJoin(orgUnits, eq(roleAssignments.orgUnitId, orgUnits.id))
        .where(inArray(roleAssignments.userId, rows.map((r) => r.id)))
    : [];
  return {
    rows: rows.map((r) => ({ ...r, roles: grants.filter((g) => g.userId === r.id).map((g) => ({ role: g.role, unitCode: g.unitCode })) })),
    truncated: found.length > USER_LIST_LIMIT,
  };
}

export interface UserDetail {
  id: string;
  username: string;
  displayName: string;
  status: "active" | "disabled";
  person: { fullName: string; staffCode: string } | null;
  roles: { id: string; role: Role; unitCode: string; unitNameVi: string; unitNameEn: string | null }[];
}

export async function getUserDetail(userId: string): Promise<UserDetail | null> {
  const { read } = await getDatabase();
  const [u] = await read
    .select({ id: users.id, username: users.username, displayName: users.displayName, status: users.status, fullName: people.fullName, staffCode: people.staffCode })
    .from(users)
    .leftJoin(people, eq(users.personId, people.id))
    .where(eq(users.id, userId));
  if (!u) return null;
  const roles = await read
    .select({ id: roleAssignments.id, role: roleAssignments.role, unitCode: orgUnits.code, unitNameVi: orgUnits.nameVi, unitNameEn: orgUnits.nameEn })
    .from(roleAssignments)
    .innerJoin(orgUnits, eq(roleAssignments.orgUnitId, orgUnits.id))
    .where(eq(roleAssignments.userId, userId))
    .orderBy(asc(roleAssignments.role), asc(orgUnits.code));
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    status: u.status,
    person: u.fullName && u.staffCode ? { fullName: u.fullName, staffCode: u.staffCode } : null,
    roles,
  };
}

/** The grants of an account as the audit records them (before/after a role change). */
async function rolesOf(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx
    .select({ role: roleAssignments.role, unitCode: orgUnits.code })
    .from(roleAssignments)
    .innerJoin(orgUnits, eq(roleAssignments.orgUnitId, orgUnits.id))
    .where(eq(roleAssignments.userId, userId));
  return rows.map((r) => `${r.role}@${r.unitCode}`).sort();
}

async function existingUser(tx: Tx, userId: string) {
  const [u] = await tx.select({ id: users.id, username: users.username, status: users.status }).from(users).where(eq(users.id, userId));
  if (!u) throw new UserAdminError("user", "users.error.intent", 404);
  return u;
}

/** Creates an account, linked to the roster person with `staffCode` when given (a person has at most one). */
export async function createAccount(input: z.infer<typeof CreateUserSchema>, actor: AdminActor): Promise<string> {
  const prepared = await prepareUser({ username: input.username, displayName: input.displayName, password: input.password });
  const database = await getDatabase();
  return database.write(async (tx) => {
    let personId: string | null = null;
    if (input.staffCode) {
      const [p] = await tx.select({ id: people.id }).from(people).where(eq(people.staffCode, input.staffCode));
      if (!p) throw new UserAdminError("staffCode", "users.error.staffCode");
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.personId, p.id));
      if (taken) throw new UserAdminError("staffCode", "users.error.personTaken", 409);
      personId = p.id;
    }
    try {
      return await insertUser(tx, { ...prepared, personId }, actor.label, actor.userId);
    } catch (e) {
      if (e instanceof AccountError) throw new UserAdminError("username", "users.error.usernameTaken", 409);
      throw e;
    }
  });
}

export async function grantRole(userId: string, input: z.infer<typeof GrantSchema>, actor: AdminActor): Promise<void> {
  const database = await getDatabase();
  await database.write(async (tx) => {
    await existingUser(tx, userId);
    const [unit] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, input.unitCode));
    if (!unit) throw new UserAdminError("unitCode", "users.error.unit");
    const [dup] = await tx
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.role, input.role), eq(roleAssignments.orgUnitId, unit.id)));
    if (dup) throw new UserAdminError("role", "users.error.roleExists", 409);
    const before = await rolesOf(tx, userId);
    await tx.insert(roleAssignments).values({ id: newId(), userId, role: input.role, orgUnitId: unit.id, grantedBy: actor.label, createdAt: Date.now() });
    await audit(tx, { actorUserId: actor.userId, actorLabel: actor.label, action: "role.grant", subjectType: "user", subjectId: userId, unitId: unit.id, before: { roles: before }, after: { roles: await rolesOf(tx, userId) } });
  });
}

export async function revokeRole(userId: string, assignmentId: string, actor: AdminActor): Promise<void> {
  const database = await getDatabase();
  await database.write(async (tx) => {
    await existingUser(tx, userId);
    const [a] = await tx.select().from(roleAssignments).where(and(eq(roleAssignments.id, assignmentId), eq(roleAssignments.userId, userId)));
    if (!a) throw new UserAdminError("assignmentId", "users.error.intent", 404);
    // An administrator cannot take away their own administration: the system must never be left without one.
    if (userId === actor.userId && a.role === "admin") throw new UserAdminError("assignmentId", "users.error.self", 409);
    const before = await rolesOf(tx, userId);
    await tx.delete(roleAssignments).where(eq(roleAssignments.id, a.id));
    await audit(tx, { actorUserId: actor.userId, actorLabel: actor.label, action: "role.revoke", subjectType: "user", subjectId: userId, unitId: a.orgUnitId, before: { roles: before }, after: { roles: await rolesOf(tx, userId) } });
  });
}

/** Sets a new password and ends every session (accounts.server `setPassword`, audited with the admin as actor). */
export async function resetPassword(userId: string, password: string, actor: AdminActor): Promise<void> {
  const { read } = await getDatabase();
  const [u] = await read.select({ username: users.username }).from(users).where(eq(users.id, userId));
  if (!u) throw new UserAdminError("user", "users.error.intent", 404);
  await setPassword(u.username, password, actor.label, { actorUserId: actor.userId });
}

/** Disables (every session ends at once) or re-enables an account. */
export async function setAccountStatus(userId: string, status: "active" | "disabled", actor: AdminActor): Promise<void> {
  if (userId === actor.userId && status === "disabled") throw new UserAdminError("status", "users.error.self", 409);
  const database = await getDatabase();
  await database.write(async (tx) => {
    const u = await existingUser(tx, userId);
    if (u.status === status) return;
    await tx.update(users).set({ status }).where(eq(users.id, userId));
    await audit(tx, { actorUserId: actor.userId, actorLabel: actor.label, action: status === "disabled" ? "user.disable" : "user.enable", subjectType: "user", subjectId: userId, before: { status: u.status }, after: { status } });
  });
  if (status === "disabled") await (await getLucia()).invalidateUserSessions(userId);
}

