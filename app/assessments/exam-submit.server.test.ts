/**
 * Posting to the taking page answers the same through the Express submit handler (which sends the submit's redirect
 * itself and hands everything else on, body unread) and through the Remix route alone (ADR 0016). Each case is
 * set up twice, once per path; status, Location, body, what was stored and whether the handler handed on are compared.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import { createRequire } from "node:module";
import { and, eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptAnswers, attemptEvents, attempts } from "#db/schema";
import { getLucia } from "~/auth/lucia.server";
import { getDatabase } from "~/db.server";
import { getLoadContext } from "~/entry.server";
import { action } from "~/routes/exam.$attemptId";
import { createLearner, markLessonsRead, TEST_COURSE, writeTestContent } from "../../tests/factories/exams";
import { startAttempt, submitAttempt } from "./attempts.server";
import type { Paper } from "./draw";
import type { Exam } from "./exam-schema";
import { createExamSubmitHandler } from "./exam-submit.server";

// The adapter's own function (not in its index): how the production server turns the Express request into Remix's.
const { createRemixRequest } = createRequire(import.meta.url)("@remix-run/express/dist/server.js") as {
  createRemixRequest: (req: express.Request, res: express.Response) => Request;
};

let exam: Exam;
let server: Server;
let baseUrl: string;
let handedOn = 0;

interface Sent {
  cookie: string;
  attemptId: string;
  body: string;
  contentType?: string;
}
interface Outcome {
  status: number;
  location: string | null;
  body: unknown;
}

async function runAction(request: Request, attemptId: string, context: unknown): Promise<Outcome> {
  try {
    const out = (await action({ request, params: { attemptId }, context: context as AppLoadContext })) as unknown as { data: unknown; init: { status: number } };
    return { status: out.init.status, location: null, body: out.data };
  } catch (thrown) {
    const r = thrown as Response;
    return { status: r.status, location: r.headers.get("Location"), body: await r.text() };
  }
}

beforeAll(async () => {
  exam = writeTestContent().exam;
  const app = express();
  app.post("/exam/:attemptId", createExamSubmitHandler(), async (req, res, next) => {
    // What Remix does with a request handed on: its Request reads the body from the Express request stream.
    handedOn++;
    try {
      const context = await getLoadContext(req, res);
      const out = await runAction(createRemixRequest(req, res), req.params.attemptId!, context);
      res.status(out.status);
      if (out.location) res.setHeader("Location", out.location);
      res.json(out.body);
    } catch (e) {
      next(e);
    }
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function stored(attemptId: string) {
  const { read } = await getDatabase();
  const [row] = await read.select({ status: attempts.status, reason: attempts.submitReason }).from(attempts).where(eq(attempts.id, attemptId));
  const events = await read.select({ kind: attemptEvents.kind }).from(attemptEvents).where(eq(attemptEvents.attemptId, attemptId));
  const answers = await read.select({ n: attemptAnswers.questionId }).from(attemptAnswers).where(eq(attemptAnswers.attemptId, attemptId));
  return { ...row, events: events.map((e) => e.kind).sort(), answers: answers.length };
}

const normalise = (s: unknown, attemptId: string) => (typeof s === "string" ? s.replaceAll(attemptId, "<attempt>") : s);

async function viaExpress(sent: Sent) {
  const before = handedOn;
  const res = await fetch(`${baseUrl}/exam/${sent.attemptId}`, {
    method: "POST",
    headers: { "Content-Type": sent.contentType ?? "application/x-www-form-urlencoded", ...(sent.cookie ? { Cookie: sent.cookie } : {}) },
    body: sent.body,
    redirect: "manual",
  });
  const text = await res.text();
  return {
    status: res.status,
    location: normalise(res.headers.get("location"), sent.attemptId),
    body: normalise(res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text, sent.attemptId),
    stored: await stored(sent.attemptId),
    handedOn: handedOn > before,
  };
}

async function viaRemix(sent: Sent) {
  const fakeRes = { setHeader: () => undefined, append: () => undefined };
  const context = await getLoadContext({ headers: { cookie: sent.cookie || undefined }, ip: "127.0.0.1", method: "POST", path: "/" } as never, fakeRes as never);
  const request = new Request(`http://localhost/exam/${sent.attemptId}`, {
    method: "POST",
    headers: { "Content-Type": sent.contentType ?? "application/x-www-form-urlencoded", ...(sent.cookie ? { Cookie: sent.cookie } : {}) },
    body: sent.body,
  });
  const out = await runAction(request, sent.attemptId, context);
  return { status: out.status, location: normalise(out.location, sent.attemptId), body: normalise(out.body, sent.attemptId), stored: await stored(sent.attemptId) };
}

async function openAttempt(now = Date.now()) {
  const database = await getDatabase();
  const l = await createLearner(database);
  await markLessonsRead(database, l.personId, TEST_COURSE);
  const started = await startAttempt(l.personId, TEST_COURSE, now);
  if (!started?.ok) throw new Error(`start failed: ${JSON.stringify(started)}`);
  const [row] = await database.read.select().from(attempts).where(eq(attempts.id, started.attemptId));
  const lucia = await getLucia();
  const session = await lucia.createSession(l.userId, {});
  return { ...l, attemptId: started.attemptId, paper: JSON.parse(row!.paperJson) as Paper, cookie: lucia.createSessionCookie(session.id).serialize().split(";")[0]! };
}

const MIN = 60_000;
const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();
const CASES: [string, { status: number; handedOn: boolean }, () => Promise<Sent>][] = [
  ["submit: 302 to the result, graded once", { status: 302, handedOn: false }, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: "intent=submit&reason=candidate" };
  }],
  ["submit of an attempt already submitted: 302 to the result, nothing changes", { status: 302, handedOn: false }, async () => {
    const a = await openAttempt();
    await submitAttempt(a.personId, a.attemptId, "candidate");
    return { cookie: a.cookie, attemptId: a.attemptId, body: "intent=submit&reason=candidate" };
  }],
  ["submit after the deadline: closed as expired, 302 to the result", { status: 302, handedOn: false }, async () => {
    const a = await openAttempt(Date.now() - (exam.rules.timeLimitMinutes + 10) * MIN);
    return { cookie: a.cookie, attemptId: a.attemptId, body: "intent=submit&reason=deadline" };
  }],
  ["submit of someone else's attempt: 404, nothing changes", { status: 404, handedOn: true }, async () => {
    const owner = await openAttempt();
    const other = await openAttempt();
    return { cookie: other.cookie, attemptId: owner.attemptId, body: "intent=submit&reason=candidate" };
  }],
  ["submit with an unknown reason: 400", { status: 400, handedOn: true }, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: "intent=submit&reason=cheat" };
  }],
  ["no-JS save: handed on with its body, stored, 302 to the next question", { status: 302, handedOn: true }, async () => {
    const a = await openAttempt();
    const q = a.paper.questions[0]!;
    return { cookie: a.cookie, attemptId: a.attemptId, body: form([["intent", "save"], ["questionId", q.id], ["choice", q.optionOrder[0]!], ["q", "1"], ["go", "next"]]) };
  }],
  ["no-JS save of an option not on the paper: 400, the rejection logged once", { status: 400, handedOn: true }, async () => {
    const a = await openAttempt();
    return { cookie: a.cookie, attemptId: a.attemptId, body: form([["intent", "save"], ["questionId", a.paper.questions[0]!.id], ["choice", "zz"], ["q", "1"]]) };
  }],
  ["submit as multipart: left to Remix, which submits", { status: 302, handedOn: true }, async () => {
    const a = await openAttempt();
    const b = "----lms";
    return { cookie: a.cookie, attemptId: a.attemptId, contentType: `multipart/form-data; boundary=${b}`, body: `--${b}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsubmit\r\n--${b}--\r\n` };
  }],
  ["signed out: to the login page, nothing changes", { status: 302, handedOn: true }, async () => {
    const a = await openAttempt();
    return { cookie: "", attemptId: a.attemptId, body: "intent=submit&reason=candidate" };
  }],
];

describe("posting to the taking page answers the same through the Express submit handler and through Remix", () => {
  for (const [name, want, setUp] of CASES) {
    it(name, async () => {
      const { handedOn: wasHandedOn, ...viaHandler } = await viaExpress(await setUp());
      const viaRoute = await viaRemix(await setUp());
      expect(viaHandler).toEqual(viaRoute);
      expect(viaHandler.status).toBe(want.status);
      expect(wasHandedOn).toBe(want.handedOn);
    });
  }

  it("a submit is graded once and sends the result's address", async () => {
    const a = await openAttempt();
    const res = await viaExpress({ cookie: a.cookie, attemptId: a.attemptId, body: "intent=submit&reason=candidate" });
    expect(res.location).toBe("/exam/<attempt>/result");
    expect(res.stored).toMatchObject({ status: "submitted", reason: "candidate" });
    const again = await viaExpress({ cookie: a.cookie, attemptId: a.attemptId, body: "intent=submit&reason=candidate" });
    expect(again.location).toBe("/exam/<attempt>/result");
    const { read } = await getDatabase();
    const graded = await read.select().from(attemptEvents).where(and(eq(attemptEvents.attemptId, a.attemptId), eq(attemptEvents.kind, "submitted")));
    expect(graded).toHaveLength(1);
  });
});
