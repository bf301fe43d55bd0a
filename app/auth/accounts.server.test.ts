/**
 * Session guarantees of ADR 0003: every login gets a new session id (a planted id is never promoted), a password
 * change or reset ends every session of the account, and an unknown or wrong password reveals nothing.
 */
import { describe, expect, it } from "vitest";
import { getDatabase } from "~/db.server";
import { makeUserWithSession } from "../../tests/factories/reports";
import { changeOwnPassword, login, setPassword } from "./accounts.server";
import { validateSessionCookie } from "./session.server";

const PASSWORD = "mat-khau-thu-nghiem-123";
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;

describe("sessions", () => {
  it("every login gets a new session id, never the one the browser already had", async () => {
    const u = await makeUserWithSession("phien.moi", "learner", "01");
    const first = await login({ username: "phien.moi", password: PASSWORD, ip: "10.1.0.1" });
    const second = await login({ username: "phien.moi", password: PASSWORD, ip: "10.1.0.1" });
    if (!first.ok || !second.ok) throw new Error("login failed");
    const ids = [u.cookie, cookieOf(first.setCookie), cookieOf(second.setCookie)];
    expect(new Set(ids).size).toBe(3);
    expect((await validateSessionCookie(cookieOf(second.setCookie))).user?.id).toBe(u.userId);
  });

  it("changing one's password ends every session of the account, this one included", async () => {
    const u = await makeUserWithSession("doi.mat.khau", "learner", "01");
    const other = await login({ username: "doi.mat.khau", password: PASSWORD, ip: "10.1.0.2" });
    if (!other.ok) throw new Error("login failed");
    expect(await changeOwnPassword(u.userId, "sai-mat-khau", "mat-khau-moi-rat-dai-1")).toBe("wrong_current");
    expect((await validateSessionCookie(u.cookie)).user?.id).toBe(u.userId);
    expect(await changeOwnPassword(u.userId, PASSWORD, "mat-khau-moi-rat-dai-1")).toBe("ok");
    expect((await validateSessionCookie(u.cookie)).user).toBeNull();
    expect((await validateSessionCookie(cookieOf(other.setCookie))).user).toBeNull();
    expect((await login({ username: "doi.mat.khau", password: PASSWORD, ip: "10.1.0.2" })).ok).toBe(false);
    expect((await login({ username: "doi.mat.khau", password: "mat-khau-moi-rat-dai-1", ip: "10.1.0.2" })).ok).toBe(true);
  });

  it("a reset from the CLI ends every session too", async () => {
    const u = await makeUserWithSession("dat.lai", "learner", "01");
    await setPassword("dat.lai", "mat-khau-moi-rat-dai-2", "cli");
    expect((await validateSessionCookie(u.cookie)).user).toBeNull();
  });

  it("an unknown account and a wrong password get the same answer", async () => {
    await getDatabase();
    const unknown = await login({ username: "khong.ton.tai", password: PASSWORD, ip: "10.1.0.3" });
    const wrong = await login({ username: "phien.moi", password: "sai", ip: "10.1.0.4" });
    expect(unknown).toEqual({ ok: false, reason: "invalid" });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
  });
});
