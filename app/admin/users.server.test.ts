/**
 * /admin/users: an administrator creates an account for a person on the roster, grants and revokes roles over a
 * unit, resets a password (every session ends), disables an account; bad input is a 400 naming the field; each
 * change leaves an audit event with the state before and after.
 */
import type { AppLoadContext } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "#db/schema";
import { login } from "~/auth/accounts.server";
import { validateSessionCookie } from "~/auth/session.server";
import { getDatabase } from "~/db.server";
import { action as createAction, loader as listLoader } from "~/routes/admin_.users";
import { action as userAction, loader as userLoader } from "~/routes/admin_.users_.$userId";
import { makePerson, makeUserWithSession } from "../../tests/factories/reports";

const ctx = {} as AppLoadContext;
const BASE = "http://localhost";
let admin: { userId: string; cookie: string };
let hr: { userId: string; cookie: string };

function post(path: string, cookie: string, form: Record<string, string>): Request {
  return new Request(BASE + path, { method: "POST", headers: { Cookie: cookie, Origin: BASE }, body: new URLSearchParams(form) });
}

/** A thrown or returned Response, or a data() result: status, body and location. */
async function outcome(p: Promise<unknown>): Promise<{ status: number; location: string | null; data: unknown }> {
  let r: unknown;
  try {
    r = await p;
  } catch (e) {
    if (!(e instanceof Response)) throw e;
    r = e;
  }
  if (r instanceof Response) return { status: r.status, location: r.headers.get("Location"), data: null };
  const d = r as { init?: { status?: number }; data?: unknown; type?: string };
  if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, location: null, data: d.data };
  return { status: 200, location: null, data: r };
}

async function events(subjectId: string, action: string) {
  const { read } = await getDatabase();
  return read.select().from(auditLog).where(and(eq(auditLog.subjectId, subjectId), eq(auditLog.action, action)));
}

beforeAll(async () => {
  admin = await makeUserWithSession("admin.users", "admin", "VN");
  hr = await makeUserWithSession("hr.users", "hr", "01");
});

describe("admin accounts and roles", () => {
  it("only an administrator reaches the pages and actions", async () => {
    expect((await outcome(listLoader({ request: new Request(`${BASE}/admin/users`, { headers: { Cookie: hr.cookie } }), params: {}, context: ctx }))).status).toBe(403);
    expect((await outcome(createAction({ request: post("/admin/users", hr.cookie, { username: "x" }), params: {}, context: ctx }))).status).toBe(403);
    expect((await outcome(userAction({ request: post(`/admin/users/${admin.userId}`, hr.cookie, { intent: "disable" }), params: { userId: admin.userId }, context: ctx }))).status).toBe(403);
  });

  it("refuses bad input with 400 and the fields that are wrong, and creates nothing", async () => {
    const r = await outcome(createAction({ request: post("/admin/users", admin.cookie, { username: "A B", displayName: "", password: "short" }), params: {}, context: ctx }));
    expect(r.status).toBe(400);
    expect(Object.keys((r.data as { errors: Record<string, string> }).errors).sort()).toEqual(["displayName", "password", "username"]);
    const unknown = await outcome(createAction({ request: post("/admin/users", admin.cookie, { username: "nguoi.moi", displayName: "Người mới", password: "mat-khau-du-dai-123", staffCode: "KHONG-CO" }), params: {}, context: ctx }));
    expect(unknown.status).toBe(400);
    expect((unknown.data as { errors: Record<string, string> }).errors).toEqual({ staffCode: "users.error.staffCode" });
    const { read } = await getDatabase();
    expect(await read.select().from(users).where(eq(users.username, "nguoi.moi"))).toEqual([]);
  });

  it("creates an account for a person, grants and revokes a scoped role, each audited before and after", async () => {
    const personId = await makePerson({ unitCode: "01", staffCode: "ADM-0001", fullName: "Đỗ Thị Mai" });
    const created = await outcome(createAction({ request: post("/admin/users", admin.cookie, { username: "do.thi.mai", displayName: "Đỗ Thị Mai", password: "mat-khau-du-dai-123", staffCode: "ADM-0001" }), params: {}, context: ctx }));
    expect(created.status).toBe(302);
    const userId = created.location!.match(/\/admin\/users\/(\w+)\?done=create/)![1]!;
    const { read } = await getDatabase();
    expect((await read.select({ p: users.personId }).from(users).where(eq(users.id, userId)))[0]!.p).toBe(personId);
    // The same person cannot get a second account.
    const again = await outcome(createAction({ request: post("/admin/users", admin.cookie, { username: "mai.2", displayName: "Mai", password: "mat-khau-du-dai-123", staffCode: "ADM-0001" }), params: {}, context: ctx }));
    expect(again.status).toBe(409);
    const [createdEvent] = await events(userId, "user.create");
    expect([createdEvent!.actorLabel, createdEvent!.actorUserId]).toEqual(["user:admin.users", admin.userId]);
    expect(JSON.parse(createdEvent!.afterJson!)).toMatchObject({ username: "do.thi.mai", personId });

    const args = (form: Record<string, string>) => ({ request: post(`/admin/users/${userId}`, admin.cookie, form), params: { userId }, context: ctx });
    expect((await outcome(userAction(args({ intent: "grant", role: "hr", unitCode: "96" })))).status).toBe(303);
    expect((await outcome(userAction(args({ intent: "grant", role: "hr", unitCode: "96" })))).status).toBe(409);
    const badUnit = await outcome(userAction(args({ intent: "grant", role: "hr", unitCode: "NOPE" })));
    expect(badUnit.status).toBe(400);
    expect((badUnit.data as { errors: unknown }).errors).toEqual({ unitCode: "users.error.unit" });
    expect((await outcome(userAction(args({ intent: "grant", role: "emperor", unitCode: "96" })))).status).toBe(400);
    const [grant] = await events(userId, "role.grant");
    expect(JSON.parse(grant!.beforeJson!)).toEqual({ roles: [] });
    expect(JSON.parse(grant!.afterJson!)).toEqual({ roles: ["hr@96"] });
    expect(grant!.actorUserId).toBe(admin.userId);

    const detail = await outcome(userLoader({ request: new Request(`${BASE}/admin/users/${userId}`, { headers: { Cookie: admin.cookie } }), params: { userId }, context: ctx }));
    const assignment = (detail.data as { user: { roles: { id: string; role: string; unitCode: string }[] } }).user.roles[0]!;
    expect(assignment).toMatchObject({ role: "hr", unitCode: "96" });
    expect((await outcome(userAction(args({ intent: "revoke", assignmentId: assignment.id })))).status).toBe(303);
    const [revoke] = await events(userId, "role.revoke");
    expect(JSON.parse(revoke!.beforeJson!)).toEqual({ roles: ["hr@96"] });
    expect(JSON.parse(revoke!.afterJson!)).toEqual({ roles: [] });
  });

  it("an administrator cannot revoke their own admin role or disable themselves", async () => {
    const detail = await outcome(userLoader({ request: new Request(`${BASE}/admin/users/${admin.userId}`, { headers: { Cookie: admin.cookie } }), params: { userId: admin.userId }, context: ctx }));
    const own = (detail.data as { user: { roles: { id: string; role: string }[] } }).user.roles.find((r) => r.role === "admin")!;
    const args = (form: Record<string, string>) => ({ request: post(`/admin/users/${admin.userId}`, admin.cookie, form), params: { userId: admin.userId }, context: ctx });
    expect((await outcome(userAction(args({ intent: "revoke", assignmentId: own.id })))).status).toBe(409);
    expect((await outcome(userAction(args({ intent: "disable" })))).status).toBe(409);
    expect((await outcome(userAction(args({ intent: "explode" })))).status).toBe(400);
  });

  it("a password reset ends every session of the account and is audited without any hash", async () => {
    const target = await makeUserWithSession("reset.me", "learner", "01");
    expect((await validateSessionCookie(target.cookie)).user?.id).toBe(target.userId);
    const args = (form: Record<string, string>) => ({ request: post(`/admin/users/${target.userId}`, admin.cookie, form), params: { userId: target.userId }, context: ctx });
    const short = await outcome(userAction(args({ intent: "reset", password: "123" })));
    expect(short.status).toBe(400);
    expect((short.data as { errors: unknown }).errors).toEqual({ password: "users.error.password" });
    expect((await outcome(userAction(args({ intent: "reset", password: "mat-khau-moi-du-dai-456" })))).status).toBe(303);
    expect((await validateSessionCookie(target.cookie)).user).toBeNull();
    expect((await login({ username: "reset.me", password: "mat-khau-moi-du-dai-456", ip: "10.9.9.9" })).ok).toBe(true);
    const [e] = await events(target.userId, "user.password_set");
    expect(e!.actorUserId).toBe(admin.userId);
    expect(Object.keys(JSON.parse(e!.beforeJson!))).toEqual(["passwordChangedAt"]);
    expect(JSON.parse(e!.afterJson!)).toMatchObject({ sessionsEnded: true });
    expect(`${e!.beforeJson}${e!.afterJson}`).not.toMatch(/argon2|mat-khau/);
  });

  it("disabling an account ends its sessions and refuses its login; enabling restores it; both audited", async () => {
    const target = await makeUserWithSession("disable.me", "learner", "01");
    const args = (form: Record<string, string>) => ({ request: post(`/admin/users/${target.userId}`, admin.cookie, form), params: { userId: target.userId }, context: ctx });
    expect((await outcome(userAction(args({ intent: "disable" })))).status).toBe(303);
    expect((await validateSessionCookie(target.cookie)).user).toBeNull();
    expect((await login({ username: "disable.me", password: "mat-khau-thu-nghiem-123", ip: "10.9.9.8" })).ok).toBe(false);
    expect((await outcome(userAction(args({ intent: "enable" })))).status).toBe(303);
    expect((await login({ username: "disable.me", password: "mat-khau-thu-nghiem-123", ip: "10.9.9.8" })).ok).toBe(true);
    const [d] = await events(target.userId, "user.disable");
    expect([JSON.parse(d!.beforeJson!), JSON.parse(d!.afterJson!)]).toEqual([{ status: "active" }, { status: "disabled" }]);
    expect(await events(target.userId, "user.enable")).toHaveLength(1);
  });

  it("searches accounts by username, name or staff code", async () => {
    const list = await outcome(listLoader({ request: new Request(`${BASE}/admin/users?q=ADM-0001`, { headers: { Cookie: admin.cookie } }), params: {}, context: ctx }));
    expect((list.data as { rows: { username: string }[] }).rows.map((r) => r.username)).toEqual(["do.thi.mai"]);
    const byName = await outcome(listLoader({ request: new Request(`${BASE}/admin/users?q=${encodeURIComponent("Đỗ Thị")}`, { headers: { Cookie: admin.cookie } }), params: {}, context: ctx }));
    expect((byName.data as { rows: { username: string }[] }).rows.map((r) => r.username)).toEqual(["do.thi.mai"]);
    const none = await outcome(listLoader({ request: new Request(`${BASE}/admin/users?q=${encodeURIComponent("%")}`, { headers: { Cookie: admin.cookie } }), params: {}, context: ctx }));
    expect((none.data as { rows: unknown[] }).rows).toEqual([]);
  });
});
