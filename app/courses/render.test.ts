import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { expect, test } from "vitest";
import { LessonBody } from "../components/mdx/LessonBody";
import { compileCourses } from "./compile.server";

const compiled = compileCourses({ coursesDir: "tests/fixtures/courses/valid", lawsFile: "courses/README.md", write: false });

const render = async (lesson: number, lang: "vi" | "en") => {
  const { courses, errors } = await compiled;
  expect(errors).toEqual([]);
  const page = courses[0]!.lessons[lesson]!.pages[lang];
  return renderToString(
    createElement(LessonBody, {
      code: page.code,
      lang,
      assetBase: "/course-assets/khoa-hoc-mau",
      lessonHref: (slug: string) => `/courses/khoa-hoc-mau/${slug}`,
    }),
  );
};

test("a compiled lesson renders on the server with the MDX components (no JavaScript needed)", async () => {
  const html = await render(0, "vi");
  // Heading with the id used by the table of contents.
  expect(html).toContain('<h2 id="muc-tieu">Mục tiêu</h2>');
  // Callout: role=note with its title.
  expect(html).toMatch(/<div class="mdx-callout mdx-callout--law" role="note" aria-label="Căn cứ pháp lý"><p class="mdx-callout__title">Căn cứ pháp lý<\/p>/);
  // Term: focusable word described by its tooltip.
  const term = /<span class="mdx-term__word" tabindex="0" aria-describedby="([^"]+)">văn bản điện tử<\/span><span class="mdx-term__tip" role="tooltip" id="([^"]+)">Văn bản được tạo lập/.exec(html);
  expect(term).not.toBeNull();
  expect(term![1]).toBe(term![2]);
  // LawRef: number and the issue date taken from the laws table, dd/mm/yyyy.
  expect(html).toContain("Luật Giao dịch điện tử</span><span class=\"mdx-lawref__meta\"> (số 20/2023/QH15, ban hành ngày 22/06/2023)</span>");
  // Figure: src rewritten to the asset route.
  expect(html).toContain('<img src="/course-assets/khoa-hoc-mau/so-do.png" alt="Sơ đồ luồng văn bản điện tử"');
  expect(html).toContain("<figcaption>Luồng văn bản</figcaption>");
  // Steps: an ordered list.
  expect(html).toMatch(/<ol class="mdx-steps"><li class="mdx-step"><p class="mdx-step__title">Đăng nhập<\/p>/);
  // SelfCheck without JS: the options and a <details> revealing answer and explanation.
  expect(html).toContain('<ol class="mdx-selfcheck__options" type="A"><li>Có</li><li>Không</li></ol>');
  expect(html).toMatch(/<details class="mdx-selfcheck__details"><summary>Xem đáp án<\/summary><p class="mdx-selfcheck__answer"><strong>Đáp án:<\/strong> A\. Có<\/p>/);
  expect(html).toContain("Luật Giao dịch điện tử công nhận giá trị pháp lý");
  // Lesson links go through lessonHref.
  expect(html).toContain('href="/courses/khoa-hoc-mau/chu-ky-so#ky-so-la-gi"');
});

test("English labels, markdown images and multi-answer SelfCheck", async () => {
  const html = await render(1, "en");
  expect(html).toContain('<img src="/course-assets/khoa-hoc-mau/quy-trinh.png" alt="Signing procedure"');
  expect(html).toContain("<summary>Show answer</summary>");
  expect(html).toContain("<strong>Answer:</strong> A. Keep the PIN secret; C. Lock the computer when leaving");
  expect(html).toContain('<p class="mdx-callout__title">Warning</p>');
  expect(html).toContain('href="/courses/khoa-hoc-mau/gioi-thieu"');
});
