/** Accounts: log in, log out (here or everywhere), create, reset and change passwords. Callable from routes and CLI. */
import { eq } from "drizzle-orm";
import { roleAssignments, users, type Role } from "#db/schema";
import { getDatabase, type Tx } from "~/db.server";
import { audit } from "~/utils/audit.server";
import { newId } from "~/utils/ids";
import { getLucia } from "./lucia.server";
import { dummyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password.server";
import { THROTTLE, accountKey, clearFailures, ipKey, lockedFor, recordFailure } from "./throttle.server";

export type LoginResult =
  | { ok: true; userId: string; setCookie: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryInMinutes: number };

export const normaliseUsername = (u: string) => u.normalize("NFC").trim().toLowerCase();

export async function login(input: { username: string; password: string; ip: string }): Promise<LoginResult> {
  const database = await getDatabase();
  const username = normaliseUsername(input.username);
  const keys = [accountKey(username), ipKey(input.ip)];
  const lockMs = await lockedFor(database, keys);
  if (lockMs > 0) return { ok: false, reason: "locked", retryInMinutes: Math.ceil(lockMs / 60_000) };

  const [user] = await database.read.select().from(users).where(eq(users.username, username));
  const valid = user
    ? user.status === "active" && (await verifyPassword(user.passwordHash, input.password))
    : (await verifyPassword(await dummyHash(), input.password), false);
  if (!valid || !user) {
    await recordFailure(database, [
      { key: keys[0]!, max: THROTTLE.maxPerAccount },
      { key: keys[1]!, max: THROTTLE.maxPerIp },
    ]);
    const after = await lockedFor(database, keys);
    if (after > 0) return { ok: false, reason: "locked", retryInMinutes: Math.ceil(after / 60_000) };
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(database, keys[0]!);
  // A new session id on every login: a session planted before login can never be promoted (no fixation).
  const lucia = await getLucia();
  const session = await lucia.createSession(user.id, {});
  return { ok: true, userId: user.id, setCookie: lucia.createSessionCookie(session.id).serialize() };
}

export async function logout(sessionId: string): Promise<string> {
  const lucia = await getLucia();
  await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

export async function logoutEverywhere(userId: string): Promise<string> {
  const lucia = await getLucia();
  await lucia.invalidateUserSessions(userId);
  return lucia.createBlankSessionCookie().serialize();
}

export class AccountError extends Error {
  override name = "AccountError";
}

export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  personId?: string | null;
  email?: string | null;
  locale?: "vi" | "en";
  roles?: { role: Role; orgUnitId: string }[];
  isDemo?: boolean;
}

export type PreparedUser = Omit<NewUser, "password"> & { passwordHash: string };

/** Validates and hashes outside any write: argon2 takes ~16 ms and other writers should not wait for it. */
export async function prepareUser(u: NewUser): Promise<PreparedUser> {
  checkNewPassword(u.password);
  const { password, ...rest } = u;
  return { ...rest, passwordHash: await hashPassword(password) };
}

/** Creates an account with its role grants in the caller's write (used by the CLI and the demo seed). */
export async function insertUser(tx: Tx, u: PreparedUser, actorLabel: string, actorUserId: string | null = null): Promise<string> {
  const username = normaliseUsername(u.username);
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (existing) throw new AccountError(`The username "${username}" is already taken.`);
  const now = Date.now();
  const id = newId();
  await tx.insert(users).values({
    id,
    username,
    displayName: u.displayName.normalize("NFC").trim(),
    email: u.email ?? null,
    personId: u.personId ?? null,
    passwordHash: u.passwordHash,
    locale: u.locale ?? "vi",
    isDemo: u.isDemo ?? false,
    createdAt: now,
    passwordChangedAt: now,
  });
  for (const r of u.roles ?? []) {
    await tx.insert(roleAssignments).values({ id: newId(), userId: id, role: r.role, orgUnitId: r.orgUnitId, grantedBy: actorLabel, createdAt: now });
  }
  await audit(tx, { actorUserId, actorLabel, action: "user.create", subjectType: "user", subjectId: id, before: null, after: { username, personId: u.personId ?? null, roles: u.roles ?? [] } });
  return id;
}

export async function createUser(u: NewUser, actorLabel = "cli"): Promise<string> {
  const prepared = await prepareUser(u);
  const database = await getDatabase();
  return database.write((tx) => insertUser(tx, prepared, actorLabel));
}

/** Sets a new password and ends every session of the account (after a reset or a change, old sessions must die). */
export async function setPassword(username: string, password: string, actorLabel: string, options: { actorUserId?: string | null } = {}): Promise<void> {
  checkNewPassword(password);
  const database = await getDatabase();
  const passwordHash = await hashPassword(password);
  const name = normaliseUsername(username);
  const userId = await database.write(async (tx) => {
    const [user] = await tx.select({ id: users.id, passwordChangedAt: users.passwordChangedAt }).from(users).where(eq(users.username, name));
    if (!user) throw new AccountError(`There is no account with the username "${name}".`);
    const now = Date.now();
    await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, user.id));
    // Never the hashes: when the password changed, and that every session ends with it.
    await audit(tx, {
      actorUserId: options.actorUserId ?? null,
      actorLabel,
      action: "user.password_set",
      subjectType: "user",
      subjectId: user.id,
      before: { passwordChangedAt: user.passwordChangedAt },
      after: { passwordChangedAt: now, sessionsEnded: true },
    });
    return user.id;
  });
  const lucia = await getLucia();
  await lucia.invalidateUserSessions(userId);
  await clearFailures(database, accountKey(name));
}

export async function changeOwnPassword(userId: string, current: string, next: string): Promise<"ok" | "wrong_current"> {
  const database = await getDatabase();
  const [user] = await database.read.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, current))) return "wrong_current";
  await setPassword(user.username, next, `user:${user.username}`);
  return "ok";
}
