import { expect, test } from "vitest";
import { renderMdxToHtml } from "../components/mdx/render.server";
import { compileCourses } from "./compile.server";
import { withLessonLinkLang } from "./lesson-html";

const compiled = compileCourses({ coursesDir: "tests/fixtures/courses/valid", lawsFile: "courses/README.md", write: false });

/** The HTML the build stores for a lesson (rendered once by the compiler, shown as is by LessonBody). */
const html = async (lesson: number, lang: "vi" | "en") => {
  const { courses, errors } = await compiled;
  expect(errors).toEqual([]);
  return courses[0]!.lessons[lesson]!.pages[lang].html;
};

test("a compiled lesson is prebuilt to HTML with the MDX components (no JavaScript needed)", async () => {
  const out = await html(0, "vi");
  // Heading with the id used by the table of contents.
  expect(out).toContain('<h2 id="muc-tieu">Mục tiêu</h2>');
  // Callout: role=note with its title.
  expect(out).toMatch(/<div class="mdx-callout mdx-callout--law" role="note" aria-label="Căn cứ pháp lý"><p class="mdx-callout__title">Căn cứ pháp lý<\/p>/);
  // Term: focusable word described by its tooltip; ids are prefixed so they never clash with the page's own.
  const term = /<span class="mdx-term__word" tabindex="0" aria-describedby="([^"]+)">văn bản điện tử<\/span><span class="mdx-term__tip" role="tooltip" id="([^"]+)">Văn bản được tạo lập/.exec(out);
  expect(term).not.toBeNull();
  expect(term![1]).toBe(term![2]);
  expect(term![1]).toMatch(/^:mdx-/);
  // LawRef: number and the issue date taken from the laws table, dd/mm/yyyy.
  expect(out).toContain("Luật Giao dịch điện tử</span><span class=\"mdx-lawref__meta\"> (số 20/2023/QH15, ban hành ngày 22/06/2023)</span>");
  // Figure: src rewritten to the asset route of the course.
  expect(out).toContain('<img src="/course-assets/khoa-hoc-mau/so-do.png" alt="Sơ đồ luồng văn bản điện tử"');
  expect(out).toContain("<figcaption>Luồng văn bản</figcaption>");
  // Steps: an ordered list.
  expect(out).toMatch(/<ol class="mdx-steps"><li class="mdx-step"><p class="mdx-step__title">Đăng nhập<\/p>/);
  // SelfCheck without JS: the options and a <details> revealing answer and explanation.
  expect(out).toContain('<ol class="mdx-selfcheck__options" type="A"><li>Có</li><li>Không</li></ol>');
  expect(out).toMatch(/<details class="mdx-selfcheck__details"><summary>Xem đáp án<\/summary><p class="mdx-selfcheck__answer"><strong>Đáp án:<\/strong> A\. Có<\/p>/);
  expect(out).toContain("Luật Giao dịch điện tử công nhận giá trị pháp lý");
  // …and the interactive part enhance.ts reveals: hidden, radio buttons, a disabled Check button, the key.
  expect(out).toMatch(/<section class="mdx-selfcheck" aria-labelledby="[^"]+" data-answer="0">/);
  expect(out).toMatch(/<div class="mdx-selfcheck__interactive" hidden=""><fieldset class="mdx-selfcheck__fieldset"><legend class="mdx-selfcheck__legend">Chọn một đáp án<\/legend><label class="mdx-selfcheck__option"><input type="radio"/);
  expect(out).toContain('<button type="button" class="mdx-selfcheck__button" disabled="">Kiểm tra</button>');
  expect(out).toMatch(/<p class="mdx-selfcheck__verdict mdx-selfcheck__verdict--right" hidden="">Chính xác!<\/p>/);
  // Lesson links point at the lesson route, marked so ?lang= can be carried over.
  expect(out).toContain('data-lesson-link="" href="/courses/khoa-hoc-mau/chu-ky-so#ky-so-la-gi"');
  // No script: nothing in the stored HTML needs eval.
  expect(out).not.toContain("<script");
});

test("English page: English labels, markdown images and multi-answer SelfCheck", async () => {
  const out = await html(1, "en");
  expect(out).toContain('<img src="/course-assets/khoa-hoc-mau/quy-trinh.png" alt="Signing procedure"');
  expect(out).toContain("<summary>Show answer</summary>");
  expect(out).toContain("<strong>Answer:</strong> A. Keep the PIN secret; C. Lock the computer when leaving");
  expect(out).toContain('<p class="mdx-callout__title">Warning</p>');
  expect(out).toContain('href="/courses/khoa-hoc-mau/gioi-thieu"');
  // Several right answers: checkboxes, and every right option in the key.
  expect(out).toMatch(/data-answer="0 2"/);
  expect(out).toContain('<input type="checkbox"');
  expect(out).toContain("Choose all correct answers");
});

test("an explicit ?lang= is carried over to links to other lessons, and only to those", async () => {
  const out = await html(0, "vi");
  const en = withLessonLinkLang(out, "en");
  expect(en).toContain('data-lesson-link="" href="/courses/khoa-hoc-mau/chu-ky-so?lang=en#ky-so-la-gi"');
  expect(en.replace(/\?lang=en/g, "")).toBe(out);
  expect(withLessonLinkLang(out, null)).toBe(out);
});

test("rendering evaluates the compiled code once and gives plain HTML", async () => {
  const { bundleMDX } = await import("mdx-bundler");
  const { code } = await bundleMDX({ source: "# Tiêu đề\n\n<SelfCheck question=\"Q?\" options={[\"a\", \"b\"]} answer={1} />\n" });
  const out = renderMdxToHtml(code, { lang: "en" });
  expect(out).toContain("<h1>Tiêu đề</h1>");
  expect(out).toContain('data-answer="1"');
  expect(out).toContain("<summary>Show answer</summary>");
  expect(out).toContain("<strong>Answer:</strong> B. b");
});
