/**
 * Starting an exam answers the same through the Express handler (which sends the redirect itself and hands every
 * other outcome on) and through the Remix route alone (ADR 0016). Each case is set up twice, once per path; the
 * status, Location (attempt ids as "<attempt>"), body, Set-Cookie and the attempts stored are compared.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, sessions, users } from "#db/schema";
import { getLucia } from "~/auth/lucia.server";
import { getDatabase } from "~/db.server";
import { getLoadContext } from "~/entry.server";
import { action } from "~/routes/courses_.$slug_.exam";
import { newId } from "~/utils/ids";
import { createLearner, markLessonsRead, TEST_COURSE, writeTestContent } from "../../tests/factories/exams";
import { startAttempt } from "./attempts.server";
import { createExamStartHandler } from "./exam-start.server";

let server: Server;
let baseUrl: string;
let handedOn = 0;

interface Sent {
  cookie: string;
  slug: string;
  /** Whose attempts are compared afterwards. */
  personId: string | null;
}
interface Answer {
  status: number;
  location: string | null;
  body: unknown;
  sessionCookies: number;
  attempts: unknown;
}

/** The Remix route's action as the production server runs it: getLoadContext, then the action; its outcome as HTTP. */
async function remix(sent: Sent, res: { setHeader(k: string, v: string): unknown; append(k: string, v: string): unknown }) {
  const context = await getLoadContext({ headers: { cookie: sent.cookie || undefined }, ip: "127.0.0.1", method: "POST", path: "/" } as never, res as never);
  const request = new Request(`http://localhost/courses/${sent.slug}/exam`, { method: "POST", headers: sent.cookie ? { Cookie: sent.cookie } : {} });
  try {
    const out = (await action({ request, params: { slug: sent.slug }, context: context as AppLoadContext })) as unknown as { data: unknown; init: { status: number } };
    return { status: out.init.status, location: null, body: out.data };
  } catch (thrown) {
    const r = thrown as Response;
    return { status: r.status, location: r.headers.get("Location"), body: await r.text() };
  }
}

beforeAll(async () => {
  writeTestContent();
  const app = express();
  app.post("/courses/:slug/exam", createExamStartHandler(), async (req, res) => {
    // What Remix would do with a request the handler handed on.
    handedOn++;
    const out = await remix({ cookie: req.headers.cookie ?? "", slug: req.params.slug!, personId: null }, res);
    res.status(out.status);
    if (out.location) res.setHeader("Location", out.location);
    res.json(out.body);
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function storedAttempts(personId: string | null) {
  if (!personId) return null;
  const { read } = await getDatabase();
  const rows = await read.select({ status: attempts.status, attemptNo: attempts.attemptNo }).from(attempts).where(eq(attempts.personId, personId));
  return rows;
}

const normalise = (location: string | null) => location?.replace(/^\/exam\/[0-9a-z]+$/, "/exam/<attempt>") ?? null;

async function viaExpress(sent: Sent): Promise<Answer & { handedOn: boolean }> {
  const before = handedOn;
  const res = await fetch(`${baseUrl}/courses/${sent.slug}/exam`, { method: "POST", headers: sent.cookie ? { Cookie: sent.cookie } : {}, redirect: "manual" });
  const text = await res.text();
  return {
    status: res.status,
    location: normalise(res.headers.get("location")),
    body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
    sessionCookies: res.headers.getSetCookie().filter((c) => c.startsWith("lms_session=")).length,
    attempts: await storedAttempts(sent.personId),
    handedOn: handedOn > before,
  };
}

async function viaRemix(sent: Sent): Promise<Answer> {
  const cookies: string[] = [];
  const out = await remix(sent, { setHeader: () => undefined, append: (k: string, v: string) => k === "Set-Cookie" && cookies.push(v) });
  return {
    status: out.status,
    location: normalise(out.location),
    body: out.body,
    sessionCookies: cookies.filter((c) => c.startsWith("lms_session=")).length,
    attempts: await storedAttempts(sent.personId),
  };
}

async function cookieFor(userId: string, options: { expiringSoon?: boolean } = {}) {
  const lucia = await getLucia();
  const session = await lucia.createSession(userId, {});
  if (options.expiringSoon) {
    // Less than half of the 30 days left: the next validation extends it and sends a new cookie.
    const database = await getDatabase();
    await database.write((tx) => tx.update(sessions).set({ expiresAt: Math.floor(Date.now() / 1000) + 86_400 }).where(eq(sessions.id, session.id)));
  }
  return lucia.createSessionCookie(session.id).serialize().split(";")[0]!;
}

async function learner(options: { lessonsRead?: boolean; expiringSoon?: boolean } = {}) {
  const database = await getDatabase();
  const l = await createLearner(database);
  if (options.lessonsRead !== false) await markLessonsRead(database, l.personId, TEST_COURSE);
  return { ...l, cookie: await cookieFor(l.userId, options) };
}

const CASES: [string, { status: number; handedOn: boolean }, () => Promise<Sent>][] = [
  ["a new attempt: 302 to it", { status: 302, handedOn: false }, async () => {
    const l = await learner();
    return { cookie: l.cookie, slug: TEST_COURSE, personId: l.personId };
  }],
  ["an attempt in progress: 302 to the same one, nothing new stored", { status: 302, handedOn: false }, async () => {
    const l = await learner();
    const open = await startAttempt(l.personId, TEST_COURSE);
    expect(open?.ok).toBe(true);
    return { cookie: l.cookie, slug: TEST_COURSE, personId: l.personId };
  }],
  ["a session due for renewal: one new cookie, and the redirect", { status: 302, handedOn: false }, async () => {
    const l = await learner({ expiringSoon: true });
    return { cookie: l.cookie, slug: TEST_COURSE, personId: l.personId };
  }],
  ["lessons unread: 409 with the reason, rendered by Remix", { status: 409, handedOn: true }, async () => {
    const l = await learner({ lessonsRead: false });
    return { cookie: l.cookie, slug: TEST_COURSE, personId: l.personId };
  }],
  ["lessons unread and a session due for renewal: one new cookie, not two", { status: 409, handedOn: true }, async () => {
    const l = await learner({ lessonsRead: false, expiringSoon: true });
    return { cookie: l.cookie, slug: TEST_COURSE, personId: l.personId };
  }],
  ["a course that does not exist: 404", { status: 404, handedOn: true }, async () => {
    const l = await learner();
    return { cookie: l.cookie, slug: "khong-co-khoa-nay", personId: l.personId };
  }],
  ["a malformed slug: 404", { status: 404, handedOn: true }, async () => {
    const l = await learner();
    return { cookie: l.cookie, slug: "Not_A_Slug", personId: l.personId };
  }],
  ["an account without a roster person: 403", { status: 403, handedOn: true }, async () => {
    const database = await getDatabase();
    const userId = newId();
    const now = Date.now();
    await database.write((tx) => tx.insert(users).values({ id: userId, personId: null, username: `khong.nguoi.${userId.slice(-8)}`, displayName: "Không hồ sơ", passwordHash: "x", createdAt: now, passwordChangedAt: now }));
    return { cookie: await cookieFor(userId), slug: TEST_COURSE, personId: null };
  }],
  ["signed out: to the login page", { status: 302, handedOn: true }, async () => ({ cookie: "", slug: TEST_COURSE, personId: null })],
];

describe("starting an exam answers the same through the Express handler and through Remix", () => {
  for (const [name, want, setUp] of CASES) {
    it(name, async () => {
      const { handedOn: wasHandedOn, ...viaHandler } = await viaExpress(await setUp());
      const viaRoute = await viaRemix(await setUp());
      expect(viaHandler).toEqual(viaRoute);
      expect(viaHandler.status).toBe(want.status);
      expect(wasHandedOn).toBe(want.handedOn);
      expect(viaHandler.sessionCookies).toBe(name.includes("renewal") ? 1 : 0);
    });
  }

  it("the redirect names the attempt stored for this person", async () => {
    const l = await learner();
    const res = await fetch(`${baseUrl}/courses/${TEST_COURSE}/exam`, { method: "POST", headers: { Cookie: l.cookie }, redirect: "manual" });
    const { read } = await getDatabase();
    const [row] = await read.select({ id: attempts.id }).from(attempts).where(eq(attempts.personId, l.personId));
    expect(res.headers.get("location")).toBe(`/exam/${row!.id}`);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
