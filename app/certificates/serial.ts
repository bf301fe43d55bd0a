/**
 * Human-readable certificate serials: `<PREFIX>-<YYYY>-<NNNNNN>-<C>`, e.g. `KNS-2025-000123-7`.
 *
 * PREFIX is the credential's serial prefix (2–5 letters, e.g. KNS, AIC, QLD, HTX, LDS), YYYY the issue year,
 * NNNNNN a 6-digit sequence (per prefix and year) and C a check character computed with ISO/IEC 7064
 * MOD 37,36 (hybrid system) over the alphanumerics `PREFIX YYYY NNNNNN`. That scheme detects every single
 * substituted character and every transposition of two adjacent characters, which are the typical typing
 * errors when someone copies a serial from paper into the verify page.
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"; // values 0..35
const M = 36;

export const SERIAL_PATTERN = /^([A-Z]{2,5})-(\d{4})-(\d{6})-([0-9A-Z])$/;
export const SERIAL_MIN_YEAR = 2000;
export const SERIAL_MAX_YEAR = 2999;
export const SERIAL_MAX_SEQUENCE = 999_999;

export interface ParsedSerial {
  /** Canonical form, e.g. "KNS-2025-000123-7". */
  serial: string;
  prefix: string;
  year: number;
  sequence: number;
  check: string;
}

export type SerialError = "empty" | "format" | "year" | "sequence" | "check";

export type ParseSerialResult =
  | { ok: true; value: ParsedSerial }
  | { ok: false; reason: SerialError; message: string };

function charValue(ch: string): number {
  const v = ALPHABET.indexOf(ch);
  if (v < 0) throw new Error(`serial check: character "${ch}" is not 0-9 or A-Z`);
  return v;
}

/** ISO/IEC 7064 MOD 37,36 check character for an uppercase alphanumeric string. */
export function mod3736Check(body: string): string {
  let p = M;
  for (const ch of body) {
    let s = (p + charValue(ch)) % M;
    if (s === 0) s = M;
    p = (s * 2) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

function checkInput(prefix: string, year: number, sequence: number): void {
  if (!/^[A-Z]{2,5}$/.test(prefix)) {
    throw new Error(`formatSerial: prefix "${prefix}" must be 2 to 5 uppercase letters A-Z`);
  }
  if (!Number.isInteger(year) || year < SERIAL_MIN_YEAR || year > SERIAL_MAX_YEAR) {
    throw new Error(`formatSerial: year ${year} must be an integer from ${SERIAL_MIN_YEAR} to ${SERIAL_MAX_YEAR}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > SERIAL_MAX_SEQUENCE) {
    throw new Error(`formatSerial: sequence ${sequence} must be an integer from 1 to ${SERIAL_MAX_SEQUENCE}`);
  }
}

/** Builds the canonical serial. Throws on a bad prefix, year or sequence (programming errors, not user input). */
export function formatSerial(prefix: string, year: number, sequence: number): string {
  checkInput(prefix, year, sequence);
  const seq = String(sequence).padStart(6, "0");
  return `${prefix}-${year}-${seq}-${mod3736Check(`${prefix}${year}${seq}`)}`;
}

/**
 * Parses what a person typed. Accepts lowercase, surrounding/inner spaces, and en/em dashes or spaces instead of
 * hyphens ("kns 2025 000123 7", "KNS–2025–000123–7"). Never auto-corrects characters: a wrong check character is
 * reported as such so the page can say "check the serial for a typo".
 */
export function parseSerial(input: string): ParseSerialResult {
  const raw = input.normalize("NFKC").trim().toUpperCase();
  if (raw === "") return { ok: false, reason: "empty", message: "The serial is empty." };
  const unified = raw
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s*-\s*/g, "-")
    .replace(/\s+/g, "-");
  const m = SERIAL_PATTERN.exec(unified);
  if (!m) {
    return {
      ok: false,
      reason: "format",
      message: `"${input.trim()}" is not a serial of the form ABC-2025-000123-X (letters, year, 6 digits, check character).`,
    };
  }
  const [, prefix, yearText, seqText, check] = m as unknown as [string, string, string, string, string];
  const year = Number(yearText);
  const sequence = Number(seqText);
  if (year < SERIAL_MIN_YEAR || year > SERIAL_MAX_YEAR) {
    return { ok: false, reason: "year", message: `Year ${yearText} in the serial is outside ${SERIAL_MIN_YEAR}–${SERIAL_MAX_YEAR}.` };
  }
  if (sequence < 1) {
    return { ok: false, reason: "sequence", message: `Sequence ${seqText} in the serial must be at least 000001.` };
  }
  const expected = mod3736Check(`${prefix}${yearText}${seqText}`);
  if (expected !== check) {
    return {
      ok: false,
      reason: "check",
      message: `The check character "${check}" does not match the rest of the serial; there is probably a typo.`,
    };
  }
  return { ok: true, value: { serial: `${prefix}-${yearText}-${seqText}-${check}`, prefix, year, sequence, check } };
}

/** True only for a serial in canonical form (uppercase, hyphens) with a correct check character. */
export function isValidSerial(serial: string): boolean {
  if (!SERIAL_PATTERN.test(serial)) return false;
  const r = parseSerial(serial);
  return r.ok && r.value.serial === serial;
}
