/**
 * "Download my data" (/account/data.json): the signed-in person's profile, progress, attempts and certificates,
 * and nothing of anyone else's; no password hash, session or exam material (question ids, option order, answers).
 */
import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, sessions } from "#db/schema";
import { saveAnswer, startAttempt, submitAttempt } from "~/assessments/attempts.server";
import type { Paper } from "~/assessments/draw";
import type { Exam } from "~/assessments/exam-schema";
import { getDatabase } from "~/db.server";
import { loader } from "~/routes/account_.data[.]json";
import { answerKey, createLearner, markLessonsRead, TEST_COURSE, writeTestContent } from "../../tests/factories/exams";
import { getLucia } from "./lucia.server";

const ctx = {} as AppLoadContext;
let exam: Exam;

beforeAll(() => {
  exam = writeTestContent().exam;
});

/** A learner who passed the exam: one attempt, one certificate. */
async function passedLearner(unitCode: string) {
  const database = await getDatabase();
  const l = await createLearner(database, { unitCode });
  await markLessonsRead(database, l.personId, TEST_COURSE);
  const s = await startAttempt(l.personId, TEST_COURSE);
  if (!s?.ok) throw new Error("start failed");
  const [row] = await database.read.select().from(attempts).where(eq(attempts.id, s.attemptId));
  const key = answerKey(exam);
  let seq = 1;
  for (const q of (JSON.parse(row!.paperJson) as Paper).questions) await saveAnswer(l.personId, s.attemptId, { questionId: q.id, selected: key.get(q.id)!, seq: seq++ });
  await submitAttempt(l.personId, s.attemptId, "candidate");
  const session = await (await getLucia()).createSession(l.userId, {});
  const [serial] = await database.read.all<{ serial: string }>(`select serial from certificates where person_id = '${l.personId}'`);
  return { ...l, attemptId: s.attemptId, serial: serial!.serial, paper: row!.paperJson, cookie: `lms_session=${session.id}`, sessionId: session.id };
}

describe("personal data download", () => {
  it("holds the caller's own profile, progress, attempts and certificates, and no one else's", async () => {
    const a = await passedLearner("G06");
    const b = await passedLearner("96");
    const res = (await loader({ request: new Request("http://localhost/account/data.json", { headers: { Cookie: a.cookie } }), params: {}, context: ctx })) as Response;
    expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(res.headers.get("Content-Disposition")).toMatch(/attachment/);
    const text = await res.text();
    const d = JSON.parse(text);
    expect(d.format).toBe("lms-personal-data/1");
    expect(d.person.unitCode).toBe("G06");
    expect(d.lessonProgress.length).toBeGreaterThan(0);
    expect(d.lessonProgress.every((p: { courseId: string }) => p.courseId === TEST_COURSE)).toBe(true);
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts[0]).toMatchObject({ id: a.attemptId, status: "submitted", passed: true, questionsAnswered: JSON.parse(a.paper).questions.length });
    expect(d.certificates.map((c: { serial: string }) => c.serial)).toEqual([a.serial]);
    // Nothing of the other learner.
    expect(text).not.toContain(b.serial);
    expect(text).not.toContain(b.attemptId);
    expect(text).not.toContain(b.personId);
    // No secrets, no exam material.
    const { read } = await getDatabase();
    const [s] = await read.select().from(sessions).where(eq(sessions.id, a.sessionId));
    expect(s).toBeDefined();
    expect(text).not.toContain(a.sessionId);
    expect(text).not.toMatch(/passwordHash|password_hash|argon2|paperJson|selectedJson|gradeJson|optionOrder/);
    for (const q of (JSON.parse(a.paper) as Paper).questions) expect(text).not.toContain(`"${q.id}"`);
  });

  it("sends an anonymous visitor to the login page", async () => {
    await expect(loader({ request: new Request("http://localhost/account/data.json"), params: {}, context: ctx })).rejects.toMatchObject({ status: 302 });
  });
});
