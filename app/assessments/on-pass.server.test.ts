/**
 * The certificate is issued in the same write as the grading: when issuing fails, the grade is rolled back too
 * and the attempt stays open, so a pass is never recorded without its certificate.
 */
import { eq } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { attempts, certificates } from "#db/schema";
import { getDatabase } from "~/db.server";
import { answerKey, createLearner, markLessonsRead, TEST_COURSE, writeTestContent } from "../../tests/factories/exams";
import { saveAnswer, startAttempt, submitAttempt } from "./attempts.server";
import type { Paper } from "./draw";
import type { Exam } from "./exam-schema";

const issuing = vi.hoisted(() => ({ fail: true, calls: 0 }));
vi.mock("~/certificates/issue.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/certificates/issue.server")>();
  return {
    ...real,
    issueCertificateForPass: async (...args: Parameters<typeof real.issueCertificateForPass>) => {
      issuing.calls++;
      if (issuing.fail) throw new Error("signing key unavailable");
      return real.issueCertificateForPass(...args);
    },
  };
});

let exam: Exam;
beforeAll(() => {
  exam = writeTestContent().exam;
});

it("a failure to issue the certificate rolls the grading back; a retried submit then grades and issues once", async () => {
  const database = await getDatabase();
  const learner = await createLearner(database);
  await markLessonsRead(database, learner.personId, TEST_COURSE);
  const now = Date.UTC(2026, 10, 25, 2);
  const start = await startAttempt(learner.personId, TEST_COURSE, now);
  if (!start?.ok) throw new Error("not started");
  const [row] = await database.read.select().from(attempts).where(eq(attempts.id, start.attemptId));
  const paper = JSON.parse(row!.paperJson) as Paper;
  const key = answerKey(exam);
  for (const q of paper.questions) await saveAnswer(learner.personId, start.attemptId, { questionId: q.id, selected: key.get(q.id)!, seq: 1 }, now + 1000);

  await expect(submitAttempt(learner.personId, start.attemptId, "candidate", now + 2000)).rejects.toThrow("signing key unavailable");
  const [after] = await database.read.select().from(attempts).where(eq(attempts.id, start.attemptId));
  expect(after).toMatchObject({ status: "in_progress", passed: null, gradeJson: null, submittedAt: null });

  issuing.fail = false;
  expect(await submitAttempt(learner.personId, start.attemptId, "candidate", now + 3000)).toEqual({ closedNow: true });
  const [graded] = await database.read.select().from(attempts).where(eq(attempts.id, start.attemptId));
  expect(graded).toMatchObject({ status: "submitted", passed: true });
  expect(await database.read.select().from(certificates).where(eq(certificates.attemptId, start.attemptId))).toHaveLength(1);
  expect(issuing.calls).toBe(2);
});
