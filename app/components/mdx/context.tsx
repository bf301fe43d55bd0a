/**
 * What the MDX components need from the page: where the course's images are served, the UI labels (so the app's
 * i18n can supply them; Vietnamese by default) and how to link to another lesson.
 */
import { createContext, useContext } from "react";

export type MdxLabels = {
  calloutNote: string;
  calloutWarning: string;
  calloutLaw: string;
  selfCheck: string;
  check: string;
  correct: string;
  incorrect: string;
  showAnswer: string;
  answer: string;
  explanation: string;
  chooseOne: string;
  chooseMany: string;
  /** Before the document number: "số 20/2023/QH15" / "No. 20/2023/QH15". */
  lawNumber: string;
  /** Before the issue date: "ban hành ngày 22/06/2023" / "issued 22/06/2023". */
  lawIssued: string;
};

export const mdxLabels: Record<"vi" | "en", MdxLabels> = {
  vi: {
    calloutNote: "Ghi chú",
    calloutWarning: "Lưu ý",
    calloutLaw: "Quy định pháp luật",
    selfCheck: "Tự kiểm tra",
    check: "Kiểm tra",
    correct: "Chính xác!",
    incorrect: "Chưa đúng.",
    showAnswer: "Xem đáp án",
    answer: "Đáp án",
    explanation: "Giải thích",
    chooseOne: "Chọn một đáp án",
    chooseMany: "Chọn tất cả đáp án đúng",
    lawNumber: "số",
    lawIssued: "ban hành ngày",
  },
  en: {
    calloutNote: "Note",
    calloutWarning: "Warning",
    calloutLaw: "Legal basis",
    selfCheck: "Self-check",
    check: "Check",
    correct: "Correct!",
    incorrect: "Not quite.",
    showAnswer: "Show answer",
    answer: "Answer",
    explanation: "Explanation",
    chooseOne: "Choose one answer",
    chooseMany: "Choose all correct answers",
    lawNumber: "No.",
    lawIssued: "issued",
  },
};

export type MdxContextValue = {
  /** URL prefix of the course's assets, e.g. "/course-assets/ky-nang-so-co-ban"; "assets/x.png" → prefix + "/x.png". */
  assetBase?: string;
  labels: MdxLabels;
  /** URL of another lesson of the same course, for `[text](./02-lesson-slug)` links. */
  lessonHref?: (lessonSlug: string, lessonNumber: number) => string;
};

export const MdxContext = createContext<MdxContextValue>({ labels: mdxLabels.vi });

export function useMdx(): MdxContextValue {
  return useContext(MdxContext);
}

/** "assets/img/a b.png" → `${assetBase}/img/a%20b.png`; anything else is returned unchanged. */
export function assetUrl(src: string, assetBase: string | undefined): string {
  if (!assetBase || !src.startsWith("assets/")) return src;
  const rest = src.slice("assets/".length).split("/").map(encodeURIComponent).join("/");
  return `${assetBase.replace(/\/+$/, "")}/${rest}`;
}

const LESSON_LINK = /^\.\/(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\/?(#.*)?$/;

/** True for a link to another lesson of the same course ("./02-email", "./02-email#buoc-1"). */
export function isLessonLink(href: string): boolean {
  return LESSON_LINK.test(href);
}

/** "./02-email#buoc-1" → lessonHref("email", 2) + "#buoc-1"; other links are returned unchanged. */
export function resolveHref(href: string, ctx: Pick<MdxContextValue, "assetBase" | "lessonHref">): string {
  const m = LESSON_LINK.exec(href);
  if (m && ctx.lessonHref) return ctx.lessonHref(m[2]!, Number(m[1])) + (m[3] ?? "");
  if (href.startsWith("./assets/")) return assetUrl(href.slice(2), ctx.assetBase);
  return href;
}
