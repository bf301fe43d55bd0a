import { describe, expect, it } from "vitest";
import { loadValidExam } from "../../tests/fixtures/exams";
import {
  canSaveAnswer,
  canStartAttempt,
  deadlineFor,
  isExpired,
  remainingMs,
  validateAnswer,
  type PreviousAttempt,
} from "./attempt-rules";
import type { Paper } from "./draw";
import type { ExamRules } from "./exam-schema";

const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 9, 0, 0);
const rules: ExamRules = {
  passPercent: 70,
  timeLimitMinutes: 30,
  maxAttempts: 3,
  cooldownMinutes: 60,
  shuffleOptions: true,
  review: "explanations",
};
const failed = (attemptNo: number, minutesAgo: number, status: "submitted" | "expired" = "submitted"): PreviousAttempt => ({
  attemptNo,
  status,
  passed: false,
  submittedAt: NOW - minutesAgo * MIN,
});

describe("canStartAttempt", () => {
  it.each([
    ["first attempt", rules, [], { ok: true, attemptNo: 1, resume: false }],
    [
      "an open attempt is resumed, not duplicated",
      rules,
      [failed(1, 120), { attemptNo: 2, status: "in_progress", passed: null, submittedAt: null }],
      { ok: true, attemptNo: 2, resume: true },
    ],
    ["after a failure, once the cooldown is over", rules, [failed(1, 61)], { ok: true, attemptNo: 2, resume: false }],
    ["exactly when the cooldown ends", rules, [failed(1, 60)], { ok: true, attemptNo: 2, resume: false }],
    ["during the cooldown", rules, [failed(1, 30)], { ok: false, reason: "cooldown", retryAt: NOW + 30 * MIN }],
    [
      "the cooldown counts from the latest attempt, whatever the list order",
      rules,
      [failed(2, 10), failed(1, 500)],
      { ok: false, reason: "cooldown", retryAt: NOW + 50 * MIN },
    ],
    ["an expired attempt counts like a submitted one", rules, [failed(1, 5, "expired")], { ok: false, reason: "cooldown", retryAt: NOW + 55 * MIN }],
    ["no cooldown configured", { ...rules, cooldownMinutes: 0 }, [failed(1, 0)], { ok: true, attemptNo: 2, resume: false }],
    ["all attempts used", rules, [failed(1, 300), failed(2, 200), failed(3, 100)], { ok: false, reason: "max_attempts" }],
    [
      "unlimited attempts",
      { ...rules, maxAttempts: null },
      [1, 2, 3, 4, 5].map((n) => failed(n, 1000 - n)),
      { ok: true, attemptNo: 6, resume: false },
    ],
    [
      "already passed, even with attempts left",
      rules,
      [{ attemptNo: 1, status: "submitted", passed: true, submittedAt: NOW - 1000 * MIN }],
      { ok: false, reason: "already_passed" },
    ],
    [
      "an expired attempt that passed counts as passed",
      rules,
      [failed(1, 500), { attemptNo: 2, status: "expired", passed: true, submittedAt: NOW - 5 * MIN }],
      { ok: false, reason: "already_passed" },
    ],
  ] as [string, ExamRules, PreviousAttempt[], unknown][])("%s", (_name, r, previousAttempts, expected) => {
    expect(canStartAttempt({ rules: r, previousAttempts, now: NOW })).toEqual(expected);
  });
});

describe("deadline helpers", () => {
  it("sets the deadline from the time limit", () => {
    expect(deadlineFor(NOW, rules)).toBe(NOW + 30 * MIN);
  });

  it.each([
    [NOW + 90_000, NOW, 90_000],
    [NOW, NOW, 0],
    [NOW - 5_000, NOW, 0],
  ])("remainingMs(%i, %i) = %i", (deadline, now, expected) => {
    expect(remainingMs(deadline, now)).toBe(expected);
  });

  it.each([
    ["before the deadline", NOW - 1, undefined, false],
    ["at the deadline", NOW, undefined, false],
    ["within the default 2 s grace", NOW + 2000, undefined, false],
    ["after the default grace", NOW + 2001, undefined, true],
    ["with no grace", NOW + 1, 0, true],
  ] as const)("isExpired %s", (_name, now, grace, expected) => {
    expect(isExpired(NOW, now, grace)).toBe(expected);
  });

  it.each([
    ["open and in time", "in_progress", NOW + 1, { ok: true }],
    ["open, late within grace", "in_progress", NOW - 1500, { ok: true }],
    ["open but past the deadline", "in_progress", NOW - 3000, { ok: false, error: "deadline_passed" }],
    ["already submitted", "submitted", NOW + 10 * MIN, { ok: false, error: "attempt_closed" }],
    ["already expired", "expired", NOW + 10 * MIN, { ok: false, error: "attempt_closed" }],
  ] as const)("canSaveAnswer: %s", (_name, status, deadlineAt, expected) => {
    const result = canSaveAnswer({ status, deadlineAt, now: NOW });
    expect(result).toMatchObject(expected);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
  });
});

describe("validateAnswer", () => {
  const exam = loadValidExam();
  const paper: Paper = {
    questions: [
      { id: "kns-001", optionOrder: ["c", "a", "b"] },
      { id: "kns-002", optionOrder: ["true", "false"] },
      { id: "kns-008", optionOrder: ["e", "d", "c", "b", "a"] },
    ],
  };

  it.each([
    ["one option of a single question", "kns-001", ["a"], { ok: true, selected: ["a"] }],
    ["clearing an answer", "kns-001", [], { ok: true, selected: [] }],
    ["a repeated option", "kns-001", ["a", "a"], { ok: true, selected: ["a"] }],
    ["true_false", "kns-002", ["false"], { ok: true, selected: ["false"] }],
    ["several options of a multiple question, returned in paper order", "kns-008", ["a", "c", "e"], { ok: true, selected: ["e", "c", "a"] }],
    ["every option of a multiple question", "kns-008", ["a", "b", "c", "d", "e"], { ok: true, selected: ["e", "d", "c", "b", "a"] }],
    ["a question of the bank not on this paper", "kns-005", ["b"], { ok: false, error: "question_not_in_attempt", message: 'Question "kns-005" is not part of this attempt.' }],
    ["a question that does not exist", "zzz", [], { ok: false, error: "question_not_in_attempt" }],
    ["an unknown option", "kns-001", ["a", "x"], { ok: false, error: "unknown_option", message: 'Question "kns-001" has no option "x".' }],
    ["two options of a single question", "kns-001", ["a", "b"], { ok: false, error: "too_many_options", message: 'Question "kns-001" takes one answer, but 2 were chosen.' }],
    ["both true and false", "kns-002", ["true", "false"], { ok: false, error: "too_many_options" }],
    ["more ids than the question has options", "kns-008", ["a", "b", "c", "d", "e", "f"], { ok: false, error: "too_many_options" }],
  ] as const)("%s", (_name, id, selected, expected) => {
    expect(validateAnswer(exam, paper, id, [...selected])).toEqual(expect.objectContaining(expected));
  });
});
