/**
 * Calendar-date arithmetic on 'YYYY-MM-DD' strings. Everything goes through Date.UTC so the server's timezone can
 * never shift a day; well-formed ISO dates also compare correctly as plain strings, which the hot loops rely on.
 */

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Vietnam (Asia/Ho_Chi_Minh) is UTC+7 all year, no daylight saving. */
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

/** Days since 1970-01-01 of a valid 'YYYY-MM-DD'; throws RangeError naming `what` on anything else. */
export function toDayNumber(date: string, what = "date"): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`${what}: expected YYYY-MM-DD, got "${date}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC silently rolls 2027-02-30 over to March; a rolled date is not the date the caller wrote.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`${what}: "${date}" is not a calendar date`);
  }
  return Math.round(ms / DAY_MS);
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string") return false;
  try {
    toDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`addDays: days must be an integer, got ${days}`);
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * The calendar date of an instant (ms since epoch) at a fixed UTC offset. Certificates store instants; reports
 * count by the date in Vietnam, so a certificate issued at 06:00 on 1 January in Hà Nội (23:00 UTC the day
 * before) belongs to 1 January.
 */
export function isoDateAt(epochMs: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): IsoDate {
  if (!Number.isFinite(epochMs)) throw new RangeError(`isoDateAt: not a timestamp: ${epochMs}`);
  return new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
