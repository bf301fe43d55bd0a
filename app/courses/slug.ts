/** Heading ids: ASCII, lower-kebab, Vietnamese diacritics folded ("Chữ ký số" → "chu-ky-so"). Pure. */

export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Returns a function giving unique ids within one page: "muc-tieu", "muc-tieu-1", "muc-tieu-2", … */
export function createSlugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text: string) => {
    const base = slugify(text) || "muc";
    let id = base;
    let n = seen.get(base) ?? 0;
    while (seen.has(id)) {
      n += 1;
      id = `${base}-${n}`;
    }
    seen.set(base, n);
    seen.set(id, seen.get(id) ?? 0);
    return id;
  };
}
