import { describe, expect, test } from "vitest";
import { buildSearchIndex, fold, foldWithMap, highlight, makeSnippet, parseQuery, search, type SearchDoc, type SnippetPart } from "./search-core";

const marked = (parts: SnippetPart[]) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join("");

describe("fold", () => {
  test.each([
    ["dữ liệu", "du lieu"],
    ["Dữ Liệu", "du lieu"],
    ["ĐĂNG KÝ", "dang ky"],
    ["đường", "duong"],
    ["Nghị định", "nghi dinh"],
    ["  nhiều   khoảng\n\ntrắng ", "nhieu khoang trang"],
    // NFD input (combining marks) folds the same as NFC.
    ["du\u031B\u0303 lie\u0302\u0323u", "du lieu"],
    ["Data QUALITY", "data quality"],
  ])("%j → %j", (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  test("the map points every folded character back at its original characters", () => {
    const text = "Bảo vệ  dữ liệu";
    const { folded, starts, ends } = foldWithMap(text);
    expect(folded).toBe("bao ve du lieu");
    const at = folded.indexOf("du lieu");
    expect(text.slice(starts[at]!, ends[at + "du lieu".length - 1]!)).toBe("dữ liệu");
    // NFD: the marks after a base letter belong to that letter's range.
    const nfd = "ve\u0302\u0323 x";
    const m = foldWithMap(nfd);
    expect(m.folded).toBe("ve x");
    expect(nfd.slice(m.starts[1]!, m.ends[1]!)).toBe("e\u0302\u0323");
  });
});

describe("parseQuery", () => {
  test.each([
    ["du lieu", { phrase: "du lieu", terms: ["du", "lieu"] }],
    ["  Dữ   LIỆU!! ", { phrase: "du lieu", terms: ["du", "lieu"] }],
    ["a", { phrase: "a", terms: ["a"] }],
    ["a du", { phrase: "a du", terms: ["du"] }],
    ["", null],
    ["  !!! ", null],
  ])("%j", (q, expected) => {
    expect(parseQuery(q)).toEqual(expected);
  });
});

const docs: SearchDoc[] = [
  {
    courseSlug: "quan-ly-du-lieu",
    courseTitle: "Quản lý dữ liệu",
    lessonSlug: "luat-du-lieu",
    lessonNumber: 1,
    lessonTitle: "Luật Dữ liệu",
    lang: "vi",
    text: "Luật Dữ liệu có hiệu lực từ ngày 01/07/2025.\nMỗi cơ quan phải quản lý dữ liệu do mình tạo lập một cách thống nhất.",
  },
  {
    courseSlug: "quan-ly-du-lieu",
    courseTitle: "Basic data management",
    lessonSlug: "luat-du-lieu",
    lessonNumber: 1,
    lessonTitle: "The Law on Data",
    lang: "en",
    text: "The Law on Data took effect on 1 July 2025.\nEvery agency manages the data it creates.",
  },
  {
    courseSlug: "ky-nang-so",
    courseTitle: "Kỹ năng số",
    lessonSlug: "thu-dien-tu",
    lessonNumber: 3,
    lessonTitle: "Thư điện tử",
    lang: "vi",
    text: "Đăng ký tài khoản thư công vụ.\nKhông gửi dữ kiện nhạy cảm; dung lượng hộp thư có hạn; liều lượng tệp đính kèm.",
  },
];

describe("search", () => {
  const index = buildSearchIndex(docs);

  test('"du lieu" finds "dữ liệu" and marks it in the title and the snippet', () => {
    const { results, total } = search(index, "du lieu");
    expect(total).toBe(1);
    expect(results[0]!.lessonSlug).toBe("luat-du-lieu");
    expect(results[0]!.lang).toBe("vi");
    expect(marked(results[0]!.title)).toBe("Luật [Dữ liệu]");
    expect(marked(results[0]!.snippet)).toBe("Luật [Dữ liệu] có hiệu lực từ ngày 01/07/2025.");
  });

  test("words side by side win: lessons holding the syllables apart are left out when the phrase exists", () => {
    // Doc 3 holds "dữ kiện" and "liều lượng" (both syllables, apart) and "dung lượng" (du must not match dung).
    expect(search(index, "du lieu").results.map((r) => r.courseSlug)).toEqual(["quan-ly-du-lieu"]);
    // No lesson has "law data" side by side: every lesson holding both words is a hit.
    expect(search(index, "law data").results.map((r) => `${r.lessonSlug}.${r.lang}`)).toEqual(["luat-du-lieu.en"]);
    expect(search(index, "kien lieu").results.map((r) => r.lessonSlug)).toEqual(["thu-dien-tu"]);
  });

  test("terms match whole words (dun does not match dung), except the last one", () => {
    expect(search(index, "dun kien").results).toEqual([]);
    expect(search(index, "kien dun").results.map((r) => r.lessonSlug)).toEqual(["thu-dien-tu"]);
  });

  test("the last word may be the start of a word (typing)", () => {
    expect(search(index, "dang k").results.map((r) => r.lessonSlug)).toEqual(["thu-dien-tu"]);
    expect(search(index, "dang").results.map((r) => r.lessonSlug)).toEqual(["thu-dien-tu"]);
    expect(search(index, "dan").results.map((r) => r.lessonSlug)).toEqual(["thu-dien-tu"]);
  });

  test("searches both languages; the reader's language wins a tie", () => {
    const en = search(index, "data", { preferLang: "en" }).results;
    expect(en.map((r) => r.lang)).toEqual(["en"]);
    expect(marked(en[0]!.title)).toBe("The Law on [Data]");
    // "2025" appears once in each language's text.
    expect(search(index, "2025", { preferLang: "en" }).results.map((r) => r.lang)).toEqual(["en", "vi"]);
    expect(search(index, "2025", { preferLang: "vi" }).results.map((r) => r.lang)).toEqual(["vi", "en"]);
  });

  test("every term must occur; order of results is by score", () => {
    expect(search(index, "du lieu 2030").results).toEqual([]);
    expect(search(index, "quan ly du lieu").results[0]!.lessonSlug).toBe("luat-du-lieu");
  });

  test("an empty query returns nothing", () => {
    expect(search(index, "   ")).toEqual({ query: null, total: 0, results: [] });
  });
});

describe("makeSnippet", () => {
  const q = parseQuery("du lieu")!;
  test("cuts a long paragraph around the hit at word boundaries, with ellipses", () => {
    const long = `${"Một câu mở đầu khá dài để đẩy cụm từ ra xa đầu đoạn văn. ".repeat(5)}Ở đây nói về dữ liệu dùng chung. ${"Phần còn lại của đoạn văn cũng dài như vậy. ".repeat(5)}`;
    const s = makeSnippet(long, q, 120);
    const text = marked(s);
    expect(text.startsWith("…")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
    expect(text).toContain("[dữ liệu]");
    expect(text.length).toBeLessThan(140);
    // Cut at spaces: no half words at either end.
    const inner = text.slice(1, -1);
    expect(long.includes(inner.replace(/[[\]]/g, ""))).toBe(true);
    expect(long[long.indexOf(inner.replace(/[[\]]/g, "")) - 1]).toBe(" ");
  });

  test("marks every hit and nothing else", () => {
    expect(marked(makeSnippet("Dữ liệu mở và dữ liệu chủ; dung lượng, đủ.", q))).toBe("[Dữ liệu] mở và [dữ liệu] chủ; dung lượng, đủ.");
  });

  test("highlight keeps the original text exactly", () => {
    const title = "Chia sẻ DỮ LIỆU và dữ-liệu";
    const parts = highlight(title, q);
    expect(parts.map((p) => p.text).join("")).toBe(title);
    expect(marked(parts)).toBe("Chia sẻ [DỮ LIỆU] và dữ-liệu");
    // Without the phrase, each word is marked.
    expect(marked(highlight("Dữ kiện và liều lượng", q))).toBe("[Dữ] kiện và [liều] lượng");
  });
});
