/**
 * The table of cited legal documents in courses/README.md is the single list `<LawRef number>` is checked
 * against. Pure parsing and date formatting.
 */

export type LawEntry = {
  number: string;
  title: string;
  /** ISO date (YYYY-MM-DD) the document was issued. */
  issued: string;
  /** ISO date it takes effect, or null when the table says "—". */
  inForce: string | null;
  /** 1-based line in the markdown file. */
  line: number;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function cells(line: string): string[] {
  const t = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return t.split("|").map((c) => c.trim());
}

/**
 * Reads the first markdown table whose header has a `number` column (case-insensitive) and `title`,
 * `date issued` and `in force` columns. Rows with an unreadable date are skipped and reported in `problems`.
 */
export function parseLawsTable(markdown: string): { laws: LawEntry[]; problems: { line: number; message: string }[] } {
  const lines = markdown.split(/\r?\n/);
  const laws: LawEntry[] = [];
  const problems: { line: number; message: string }[] = [];
  let i = lines.findIndex((l) => l.trim().startsWith("|") && cells(l).some((c) => c.toLowerCase() === "number"));
  if (i < 0) return { laws, problems: [{ line: 0, message: "no table with a 'number' column was found" }] };
  const header = cells(lines[i]!).map((c) => c.toLowerCase());
  const col = (name: string) => header.findIndex((h) => h.startsWith(name));
  const cNumber = col("number");
  const cTitle = col("title");
  const cIssued = col("date");
  const cInForce = col("in force");
  i += 2; // header + separator row
  for (; i < lines.length && lines[i]!.trim().startsWith("|"); i++) {
    const row = cells(lines[i]!);
    const number = row[cNumber] ?? "";
    const issued = row[cIssued] ?? "";
    const inForceRaw = row[cInForce] ?? "";
    if (!number) continue;
    if (!ISO_DATE.test(issued)) {
      problems.push({ line: i + 1, message: `law ${number}: issue date "${issued}" is not YYYY-MM-DD` });
      continue;
    }
    laws.push({
      number: number.normalize("NFC"),
      title: (row[cTitle] ?? "").normalize("NFC"),
      issued,
      inForce: ISO_DATE.test(inForceRaw) ? inForceRaw : null,
      line: i + 1,
    });
  }
  return { laws, problems };
}

/** "2023-06-22" → "22/06/2023" (the Vietnamese administrative format, also used in the English UI). */
export function formatIsoDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}
