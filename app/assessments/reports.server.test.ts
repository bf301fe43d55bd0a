import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, orgUnits } from "#db/schema";
import type { RoleGrant } from "~/auth/session.server";
import { getDatabase } from "~/db.server";
import { answerKey, createLearner, markLessonsRead, TEST_COURSE, wrongKey, writeTestContent } from "../../tests/factories/exams";
import { saveAnswer, startAttempt, submitAttempt } from "./attempts.server";
import type { Paper } from "./draw";
import type { Exam } from "./exam-schema";
import { courseItemAnalysis, hrAttemptList } from "./reports.server";

let exam: Exam;
const now = Date.UTC(2026, 10, 25, 2);

beforeAll(() => {
  exam = writeTestContent().exam;
});

async function unit(code: string) {
  const { read } = await getDatabase();
  const [u] = await read.select().from(orgUnits).where(eq(orgUnits.code, code));
  return u!;
}

async function grantOver(code: string): Promise<RoleGrant> {
  const u = await unit(code);
  return { role: "hr", unitId: u.id, unitCode: u.code, unitPath: u.path, unitNameVi: u.nameVi, unitNameEn: u.nameEn };
}

async function takeExam(unitCode: string, right: boolean, name: string) {
  const database = await getDatabase();
  const learner = await createLearner(database, { unitCode, name });
  await markLessonsRead(database, learner.personId, TEST_COURSE);
  const start = await startAttempt(learner.personId, TEST_COURSE, now);
  if (!start?.ok) throw new Error("not started");
  const [row] = await database.read.select().from(attempts).where(eq(attempts.id, start.attemptId));
  const key = right ? answerKey(exam) : wrongKey(exam);
  for (const q of (JSON.parse(row!.paperJson) as Paper).questions) {
    await saveAnswer(learner.personId, start.attemptId, { questionId: q.id, selected: key.get(q.id)!, seq: 1 }, now + 1000);
  }
  await submitAttempt(learner.personId, start.attemptId, "candidate", now + 2000);
  return start.attemptId;
}

describe("who sees which attempts", () => {
  it("HR of a ministry sees its own people's results only; item analysis is scoped the same way", async () => {
    const inMinistry = await takeExam("G06", true, "Người Bộ Một");
    await takeExam("G06", false, "Người Bộ Hai");
    const inProvince = await takeExam("96", true, "Người Tỉnh");

    const ministry = await hrAttemptList(await unit("G06"));
    expect(ministry.rows.map((r) => r.personName).sort()).toEqual(["Người Bộ Hai", "Người Bộ Một"]);
    expect(ministry.rows.find((r) => r.id === inMinistry)).toMatchObject({ passed: true, status: "submitted", scorePercent: 100 });
    expect(ministry.rows.find((r) => r.id === inMinistry)!.certificateSerial).toMatch(/^KNS-/);
    expect(ministry.rows.some((r) => r.id === inProvince)).toBe(false);
    expect(ministry.total).toBe(2);

    const province = await hrAttemptList(await unit("96"));
    expect(province.rows.map((r) => r.id)).toEqual([inProvince]);

    const analysis = await courseItemAnalysis([await grantOver("G06")], TEST_COURSE);
    expect(analysis!.attempts).toBe(2);
    expect(analysis!.passes).toBe(1);
    expect(analysis!.list.rows).toHaveLength(2);
    const drawn = analysis!.items.filter((i) => i.n > 0);
    expect(drawn.length).toBeGreaterThan(0);
    for (const item of drawn) {
      // One candidate answered everything right, the other everything wrong.
      if (item.n === 2) expect(item.facility).toBe(0.5);
      else expect([0, 1]).toContain(item.facility);
    }
    expect(analysis!.items).toHaveLength(exam.questions.length);
    expect(analysis!.items[0]!.text.vi).toBe(exam.questions[0]!.text.vi);

    const national = await courseItemAnalysis([await grantOver("VN")], TEST_COURSE);
    expect(national!.attempts).toBe(3);
  });

  it("filters by course", async () => {
    const list = await hrAttemptList(await unit("G06"), { courseId: "khong-co-khoa-nay" });
    expect(list.rows).toEqual([]);
  });
});
