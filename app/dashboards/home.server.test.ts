import { describe, expect, it } from "vitest";
import { lessonProgress, rosterImports } from "#db/schema";
import { getDatabase } from "~/db.server";
import { newId } from "~/utils/ids";
import { issuedCertificate, makeCourse, makePerson, makeUser } from "../../tests/factories/certificates";
import { ABANDONED_AFTER_MS, adminHome, courseStatus, problemImports, vietnamDayStart } from "./home.server";

const HOUR = 3_600_000;

async function addImport(o: { status: "previewed" | "committed" | "failed"; createdAt: number; fileName: string; errors?: number; actorUserId?: string | null }) {
  const database = await getDatabase();
  const id = newId();
  await database.write((tx) =>
    tx.insert(rosterImports).values({
      id,
      actorUserId: o.actorUserId ?? null,
      unitId: "ou-01",
      fileName: o.fileName,
      fileSha256: id,
      mode: "partial",
      status: o.status,
      countsJson: "{}",
      errorsJson: JSON.stringify(Array.from({ length: o.errors ?? 0 }, (_, i) => ({ row: i + 2 }))),
      createdAt: o.createdAt,
    }),
  );
  return id;
}

describe("vietnamDayStart", () => {
  it("is midnight in Viet Nam (UTC+7), whatever the server's zone", () => {
    // 2026-11-25 16:59 UTC is 23:59 in Hà Nội: still the 25th there.
    expect(new Date(vietnamDayStart(Date.UTC(2026, 10, 25, 16, 59))).toISOString()).toBe("2026-11-24T17:00:00.000Z");
    // 17:00 UTC is midnight of the 26th in Hà Nội.
    expect(new Date(vietnamDayStart(Date.UTC(2026, 10, 25, 17, 0))).toISOString()).toBe("2026-11-25T17:00:00.000Z");
  });
});

describe("problemImports", () => {
  it("lists failed imports (also previews with row errors) and previews left uncommitted for a day, newest first; never committed or fresh clean ones", async () => {
    const { read } = await getDatabase();
    const database = await getDatabase();
    const user = await makeUser(database, { username: `hr-imports-${Date.now()}` });
    const now = Date.UTC(2026, 10, 25, 5);
    const failed = await addImport({ status: "failed", createdAt: now - 2 * HOUR, fileName: "loi.csv", errors: 3, actorUserId: user.id });
    const abandoned = await addImport({ status: "previewed", createdAt: now - ABANDONED_AFTER_MS - HOUR, fileName: "bo-do.csv" });
    await addImport({ status: "previewed", createdAt: now - HOUR, fileName: "dang-xem.csv" });
    const rejected = await addImport({ status: "previewed", createdAt: now - 30 * 60_000, fileName: "co-loi.csv", errors: 2 });
    await addImport({ status: "committed", createdAt: now - 3 * HOUR, fileName: "xong.csv" });
    const list = (await problemImports(read, now)).filter((i) => [failed, abandoned, rejected].includes(i.id) || ["dang-xem.csv", "xong.csv"].includes(i.fileName));
    expect(list.map((i) => [i.fileName, i.problem, i.errorCount, i.unitCode])).toEqual([
      ["co-loi.csv", "failed", 2, "01"],
      ["loi.csv", "failed", 3, "01"],
      ["bo-do.csv", "abandoned", 0, "01"],
    ]);
    expect(list[1]!.actor).toBe(user.username);
  });
});

describe("courseStatus", () => {
  it("gives each course its version, lesson count and learners in progress or passed", async () => {
    const database = await getDatabase();
    const course = await makeCourse(database, { titleVi: "Khóa thử trạng thái" });
    // Two learners passed (one certificate each), one has only opened a lesson.
    await issuedCertificate(database, { course });
    await issuedCertificate(database, { course });
    const reader = await makePerson(database, { unitCode: "G06" });
    await database.write((tx) =>
      tx.insert(lessonProgress).values({ id: newId(), personId: reader.id, courseId: course.courseId, lessonSlug: "01-mo-dau", firstViewedAt: Date.now(), completedAt: null }),
    );
    const row = (await courseStatus(database.read)).find((c) => c.id === course.courseId)!;
    expect(row).toMatchObject({ titleVi: "Khóa thử trạng thái", status: "active", version: `h-${course.courseVersionId}`.slice(0, 12), lessonCount: 0, inProgress: 1, passed: 2 });
    expect(row.versionSince).toBeGreaterThan(0);
  });
});

describe("adminHome", () => {
  it("counts certificates issued since midnight in Viet Nam", async () => {
    const database = await getDatabase();
    const now = Date.now();
    const before = await adminHome(now);
    await issuedCertificate(database, { issuedAt: vietnamDayStart(now) + 1000 });
    await issuedCertificate(database, { issuedAt: vietnamDayStart(now) - 1000 });
    const after = await adminHome(now);
    expect(after.certsToday).toBe(before.certsToday + 1);
    expect(after.userCount).toBeGreaterThanOrEqual(after.activeUserCount);
    expect(after.courses.length).toBeGreaterThan(0);
  });
});
