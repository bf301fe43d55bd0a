/**
 * Decisions the attempt server makes on every request, kept pure so the rules (attempts, cooldown, deadline,
 * which answers are acceptable) are tested without a database and read the same from routes and the sweep job.
 * All times are epoch milliseconds.
 */
import type { Paper } from "./draw";
import type { Exam, ExamRules } from "./exam-schema";

export type AttemptStatus = "in_progress" | "submitted" | "expired";
export type PreviousAttempt = {
  attemptNo: number;
  status: AttemptStatus;
  passed: boolean | null;
  /** when the attempt closed (for an expired one: when it was closed and graded); null while in progress */
  submittedAt: number | null;
};

export type StartDecision =
  | { ok: true; attemptNo: number; resume: boolean }
  | { ok: false; reason: "max_attempts" | "cooldown" | "already_passed"; retryAt?: number };

/** Default tolerance after the deadline for a save that left the browser in time but arrived late. */
export const DEFAULT_GRACE_MS = 2000;
const MINUTE = 60_000;

/**
 * Whether a learner may start (or must resume) an attempt. An open attempt is resumed, not duplicated, which is
 * what makes a double click or a second tab harmless; the caller must first close any open attempt whose
 * deadline has passed.
 */
export function canStartAttempt(input: {
  rules: ExamRules;
  previousAttempts: PreviousAttempt[];
  now: number;
}): StartDecision {
  const { rules, previousAttempts, now } = input;
  const open = previousAttempts.find((a) => a.status === "in_progress");
  if (open) return { ok: true, attemptNo: open.attemptNo, resume: true };

  if (previousAttempts.some((a) => a.passed === true)) return { ok: false, reason: "already_passed" };
  if (rules.maxAttempts !== null && previousAttempts.length >= rules.maxAttempts) {
    return { ok: false, reason: "max_attempts" };
  }
  const last = [...previousAttempts].sort((a, b) => b.attemptNo - a.attemptNo)[0];
  if (last && last.submittedAt !== null && rules.cooldownMinutes > 0) {
    const retryAt = last.submittedAt + rules.cooldownMinutes * MINUTE;
    if (now < retryAt) return { ok: false, reason: "cooldown", retryAt };
  }
  const attemptNo = previousAttempts.reduce((max, a) => Math.max(max, a.attemptNo), 0) + 1;
  return { ok: true, attemptNo, resume: false };
}

/** The deadline is fixed at start on the server; the client only ever displays it. */
export function deadlineFor(startedAt: number, rules: ExamRules): number {
  return startedAt + rules.timeLimitMinutes * MINUTE;
}

/** Time left to show on the countdown; never negative so a late page shows 0:00, not a negative clock. */
export function remainingMs(deadlineAt: number, now: number): number {
  return Math.max(0, deadlineAt - now);
}

/** True once the deadline plus a small grace has passed: the attempt must be closed with what was saved. */
export function isExpired(deadlineAt: number, now: number, graceMs: number = DEFAULT_GRACE_MS): boolean {
  return now > deadlineAt + graceMs;
}

export type AnswerRejection = {
  ok: false;
  error: "attempt_closed" | "deadline_passed" | "question_not_in_attempt" | "unknown_option" | "too_many_options";
  message: string;
};

/** Rejects saves to a closed or timed-out attempt before any answer is looked at; the server logs the refusal. */
export function canSaveAnswer(input: {
  status: AttemptStatus;
  deadlineAt: number;
  now: number;
  graceMs?: number;
}): { ok: true } | AnswerRejection {
  if (input.status !== "in_progress") {
    return { ok: false, error: "attempt_closed", message: `This attempt is already ${input.status}; answers can no longer be changed.` };
  }
  if (isExpired(input.deadlineAt, input.now, input.graceMs)) {
    return {
      ok: false,
      error: "deadline_passed",
      message: `The time limit ended at ${new Date(input.deadlineAt).toISOString()}; answers saved before it will be graded.`,
    };
  }
  return { ok: true };
}

/**
 * Checks one posted answer against the attempt's own paper (not the whole bank), so a tampered form cannot
 * answer a question it was not given; returns the selection de-duplicated in paper order. An empty selection
 * is valid: it clears the answer.
 */
export function validateAnswer(
  exam: Exam,
  paper: Paper,
  questionId: string,
  selected: string[],
): { ok: true; selected: string[] } | AnswerRejection {
  const entry = paper.questions.find((q) => q.id === questionId);
  const question = exam.questions.find((q) => q.id === questionId);
  if (!entry || !question) {
    return {
      ok: false,
      error: "question_not_in_attempt",
      message: `Question "${questionId}" is not part of this attempt.`,
    };
  }
  const unique = new Set(selected);
  if (unique.size > entry.optionOrder.length) {
    return {
      ok: false,
      error: "too_many_options",
      message: `Question "${questionId}" has ${entry.optionOrder.length} options but ${unique.size} were chosen.`,
    };
  }
  const unknown = [...unique].filter((id) => !entry.optionOrder.includes(id));
  if (unknown.length > 0) {
    return {
      ok: false,
      error: "unknown_option",
      message: `Question "${questionId}" has no option ${unknown.map((id) => `"${id}"`).join(", ")}.`,
    };
  }
  if (question.type !== "multiple" && unique.size > 1) {
    return {
      ok: false,
      error: "too_many_options",
      message: `Question "${questionId}" takes one answer, but ${unique.size} were chosen.`,
    };
  }
  return { ok: true, selected: entry.optionOrder.filter((id) => unique.has(id)) };
}
