/**
 * The autosave endpoint's two adapters give the same answers (ADR 0016): the Express handler scripts/server.ts
 * mounts before Remix, and the Remix route (with getLoadContext in front of it, as in production). Each case is set
 * up twice, identically, once per adapter, and the status, JSON body, headers and what the database kept are
 * compared; the cases cover every answer the endpoint gives.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptAnswers, attemptEvents, attempts } from "#db/schema";
import { getLucia } from "~/auth/lucia.server";
import { getDatabase } from "~/db.server";
import { getLoadContext } from "~/entry.server";
import { action, loader } from "~/routes/exam.$attemptId.save";
import { createLearner, markLessonsRead, TEST_COURSE, writeTestContent } from "../../tests/factories/exams";
import { saveAnswer, startAttempt, submitAttempt } from "./attempts.server";
import { createAutosaveHandler, MAX_SAVE_BODY_BYTES } from "./autosave-endpoint.server";
import type { Paper } from "./draw";
import type { Exam } from "./exam-schema";

let exam: Exam;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  exam = writeTestContent().exam;
  const app = express();
  app.post("/exam/:attemptId/save", createAutosaveHandler());
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** What a case sends: a cookie header, the URL's attempt id and the raw body. */
interface Sent {
  cookie: string;
  attemptId: string;
  body: string;
  /** The attempt whose stored answers and events are compared afterwards. */
  watch: string | null;
  /** Its paper: question and option ids are compared by position (each setup draws its own paper). */
  paper?: Paper;
}
interface Answer {
  status: number;
  json: unknown;
  headers: Record<string, string | null>;
  setCookie: string[];
  stored: unknown;
}

const COMPARED_HEADERS = ["cache-control", "content-type"];

async function sessionCookie(userId: string): Promise<string> {
  const lucia = await getLucia();
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize().split(";")[0]!;
}

async function openAttempt(now = Date.now()) {
  const database = await getDatabase();
  const learner = await createLearner(database);
  await markLessonsRead(database, learner.personId, TEST_COURSE);
  const started = await startAttempt(learner.personId, TEST_COURSE, now);
  if (!started?.ok) throw new Error(`start failed: ${JSON.stringify(started)}`);
  const [row] = await database.read.select().from(attempts).where(eq(attempts.id, started.attemptId));
  const paper = JSON.parse(row!.paperJson) as Paper;
  return { ...learner, attemptId: started.attemptId, paper, cookie: await sessionCookie(learner.userId) };
}

const q0 = (paper: Paper) => paper.questions[0]!;
const save = (paper: Paper, seq: number, option = 0) => JSON.stringify({ questionId: q0(paper).id, selected: [q0(paper).optionOrder[option]!], seq });

/** Question and option ids as their positions on the paper ("q1", "q1/o2"), so two drawn papers compare. */
function byPosition(paper: Paper | undefined) {
  const q = (id: unknown) => {
    const i = paper?.questions.findIndex((x) => x.id === id) ?? -1;
    return i < 0 ? id : `q${i + 1}`;
  };
  const o = (qid: unknown, ids: unknown) =>
    Array.isArray(ids) ? ids.map((id) => { const order = paper?.questions.find((x) => x.id === qid)?.optionOrder ?? []; const i = order.indexOf(id as string); return i < 0 ? id : `o${i + 1}`; }) : ids;
  return { q, o };
}

/** What the database kept for an attempt, without ids and times. */
async function kept(attemptId: string | null, paper?: Paper) {
  if (!attemptId) return null;
  const { q, o } = byPosition(paper);
  const { read } = await getDatabase();
  const answers = await read.select({ q: attemptAnswers.questionId, s: attemptAnswers.selectedJson, seq: attemptAnswers.seq }).from(attemptAnswers).where(eq(attemptAnswers.attemptId, attemptId));
  const events = await read.select({ kind: attemptEvents.kind, detail: attemptEvents.detailJson }).from(attemptEvents).where(eq(attemptEvents.attemptId, attemptId));
  const [row] = await read.select({ status: attempts.status }).from(attempts).where(eq(attempts.id, attemptId));
  return {
    status: row?.status,
    answers: answers.map((a) => ({ q: q(a.q), s: o(a.q, JSON.parse(a.s)), seq: a.seq })),
    events: events
      .map((e) => ({ kind: e.kind, detail: JSON.parse(e.detail ?? "{}") as Record<string, unknown> }))
      .map(({ kind, detail }) => ({ kind, error: detail.error, questionId: q(detail.questionId), seq: detail.seq })),
  };
}

function normalise(json: unknown, sent: Sent): unknown {
  const text = JSON.stringify(json).replaceAll(sent.attemptId, "<attempt>");
  const value = JSON.parse(text) as Record<string, unknown>;
  if (typeof value.savedAt === "number") value.savedAt = "<time>";
  const { q, o } = byPosition(sent.paper);
  if ("selected" in value) value.selected = o(value.questionId, value.selected);
  if ("questionId" in value) value.questionId = q(value.questionId);
  return value;
}

async function viaExpress(sent: Sent): Promise<Answer> {
  const res = await fetch(`${baseUrl}/exam/${encodeURIComponent(sent.attemptId)}/save`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(sent.cookie ? { Cookie: sent.cookie } : {}) },
    body: sent.body,
  });
  expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  return {
    status: res.status,
    json: normalise(await res.json(), sent),
    headers: Object.fromEntries(COMPARED_HEADERS.map((h) => [h, res.headers.get(h)])),
    setCookie: res.headers.getSetCookie(),
    stored: await kept(sent.watch, sent.paper),
  };
}

/** The Remix route as the production server calls it: getLoadContext first (session, cookie refresh), then the action. */
async function viaRemix(sent: Sent): Promise<Answer> {
  const headers = new Headers();
  const fakeRes = { setHeader: (k: string, v: string) => headers.set(k, v), append: (k: string, v: string) => headers.append(k, v) };
  const fakeReq = { headers: { cookie: sent.cookie || undefined }, ip: "127.0.0.1", method: "POST", path: `/exam/${sent.attemptId}/save` };
  const context = await getLoadContext(fakeReq as never, fakeRes as never);
  const request = new Request(`http://localhost/exam/${sent.attemptId}/save`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(sent.cookie ? { Cookie: sent.cookie } : {}) },
    body: sent.body,
  });
  const res = (await action({ request, params: { attemptId: sent.attemptId }, context: context as AppLoadContext })) as Response;
  expect(headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  return {
    status: res.status,
    json: normalise(await res.json(), sent),
    headers: Object.fromEntries(COMPARED_HEADERS.map((h) => [h, res.headers.get(h)])),
    setCookie: headers.getSetCookie(),
    stored: await kept(sent.watch, sent.paper),
  };
}

const MIN = 60_000;
const CASES: [string, number, () => Promise<Sent>][] = [
  ["ok: stored", 200, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: save(a.paper, 5), watch: a.attemptId, paper: a.paper };
  }],
  ["ok in English, with a BOM before the JSON", 200, async () => {
    const a = await openAttempt();
    return { cookie: `lang=en; ${a.cookie}`, attemptId: a.attemptId, body: `\uFEFF${save(a.paper, 5)}`, watch: a.attemptId, paper: a.paper };
  }],
  ["stale seq: the newer answer is kept and reported", 200, async () => {
    const a = await openAttempt();
    const newer = await saveAnswer(a.personId, a.attemptId, { questionId: q0(a.paper).id, selected: [q0(a.paper).optionOrder[1]!], seq: 10 });
    expect(newer.ok).toBe(true);
    return { cookie: a.cookie, attemptId: a.attemptId, body: save(a.paper, 5), watch: a.attemptId, paper: a.paper };
  }],
  ["closed attempt: 409, rejection logged", 409, async () => {
    const a = await openAttempt();
    await submitAttempt(a.personId, a.attemptId, "candidate");
    return { cookie: a.cookie, attemptId: a.attemptId, body: save(a.paper, 5), watch: a.attemptId, paper: a.paper };
  }],
  ["deadline passed: 409, logged, the attempt closed", 409, async () => {
    const a = await openAttempt(Date.now() - (exam.rules.timeLimitMinutes + 10) * MIN);
    return { cookie: a.cookie, attemptId: a.attemptId, body: save(a.paper, 5), watch: a.attemptId, paper: a.paper };
  }],
  ["foreign attempt: 404, nothing stored", 404, async () => {
    const owner = await openAttempt();
    const other = await openAttempt();
    return { cookie: other.cookie, attemptId: owner.attemptId, body: save(owner.paper, 5), watch: owner.attemptId, paper: owner.paper };
  }],
  ["malformed attempt id: 404", 404, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: "NOT-AN-ID!", body: save(a.paper, 5), watch: a.attemptId, paper: a.paper };
  }],
  ["unknown option: 400, logged", 400, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: JSON.stringify({ questionId: q0(a.paper).id, selected: ["zz"], seq: 3 }), watch: a.attemptId, paper: a.paper };
  }],
  ["question not in the attempt: 400", 400, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: JSON.stringify({ questionId: "no-such-question", selected: [], seq: 3 }), watch: a.attemptId, paper: a.paper };
  }],
  ["bad JSON: 400, nothing stored", 400, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: '{"questionId": ', watch: a.attemptId, paper: a.paper };
  }],
  ["JSON of the wrong shape (no seq): 400", 400, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: JSON.stringify({ questionId: q0(a.paper).id, selected: [] }), watch: a.attemptId, paper: a.paper };
  }],
  ["a body above the cap, even valid JSON: 400, nothing stored", 400, async () => {
    const a = await openAttempt();
    const body = save(a.paper, 5);
    return { cookie: a.cookie, attemptId: a.attemptId, body: body.replace("{", "{" + " ".repeat(MAX_SAVE_BODY_BYTES)), watch: a.attemptId, paper: a.paper };
  }],
  ["signed out: 401 JSON (no redirect), nothing stored", 401, async () => {
    const a = await openAttempt();
    return { cookie: "", attemptId: a.attemptId, body: save(a.paper, 5), watch: a.attemptId, paper: a.paper };
  }],
  ["a session that no longer exists: 401 and the cookie cleared", 401, async () => {
    const a = await openAttempt();
    return { cookie: "lms_session=0123456789abcdefghij0123456789abcdefghij", attemptId: a.attemptId, body: save(a.paper, 5), watch: a.attemptId, paper: a.paper };
  }],
];

describe("the autosave endpoint answers the same through Express and through Remix", () => {
  for (const [name, status, setUp] of CASES) {
    it(name, async () => {
      const viaHandler = await viaExpress(await setUp());
      const viaRoute = await viaRemix(await setUp());
      expect(viaHandler.status).toBe(status);
      expect(viaHandler).toEqual(viaRoute);
      expect(viaHandler.headers).toEqual({ "cache-control": "no-store", "content-type": "application/json; charset=utf-8" });
    });
  }

  it("the stored answer is what was sent, and a rejection is logged once per request", async () => {
    const a = await openAttempt();
    const ok = await viaExpress({ cookie: a.cookie, attemptId: a.attemptId, body: save(a.paper, 7, 1), watch: a.attemptId, paper: a.paper });
    expect(ok.json).toMatchObject({ ok: true, stored: true, seq: 7, questionId: "q1", selected: ["o2"] });
    expect(ok.stored).toMatchObject({ answers: [{ q: "q1", s: ["o2"], seq: 7 }], events: [{ kind: "started" }] });
    const bad = await viaExpress({ cookie: a.cookie, attemptId: a.attemptId, body: JSON.stringify({ questionId: q0(a.paper).id, selected: ["zz"], seq: 8 }), watch: a.attemptId, paper: a.paper });
    expect(bad.stored).toMatchObject({ answers: [{ q: "q1", s: ["o2"], seq: 7 }], events: [{ kind: "started" }, { kind: "answer_rejected", error: "unknown_option", seq: 8 }] });
  });

  it("GET is 405 JSON on the Remix route (the handler takes POST only and leaves GET to Remix)", async () => {
    const res = (await loader()) as Response;
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ ok: false, error: "method_not_allowed" });
    const viaHandler = await fetch(`${baseUrl}/exam/abcdefghijkl/save`);
    expect(viaHandler.status).toBe(404); // this test app has no Remix behind the handler
  });
});
