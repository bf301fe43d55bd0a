/**
 * Pure rules of a certificate's life: which body issues it, when it expires, what its status is on a given day,
 * which status changes are allowed, when to invite renewal, how much of a name an anonymous serial lookup shows.
 * No I/O here: every function is table-tested in lifecycle.test.ts.
 */

export const CERT_STATUSES = ["valid", "revoked", "suspended", "expired"] as const;
export type CertStatus = (typeof CERT_STATUSES)[number];

export const STATUS_ACTIONS = ["revoke", "suspend", "reinstate"] as const;
/** Longest reason accepted for a revocation, suspension or reinstatement. */
export const REASON_MAX = 500;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

/** Status events as stored in certificate_status_events (revocation, suspension and reinstatement are rows). */
export interface StatusEvent {
  status: "revoked" | "suspended" | "reinstated";
  reason: string;
  effectiveAt: number;
  createdAt: number;
}

export interface DerivedStatus {
  status: CertStatus;
  /** Set when revoked: when it took effect and why. */
  revokedAt: number | null;
  /** Set when suspended: since when and why. */
  suspendedAt: number | null;
  reason: string | null;
  /** True when the certificate is past its expiry (also reported when revoked or suspended). */
  expired: boolean;
}

const VN_OFFSET_MS = 7 * 3600_000;
export const DAY_MS = 86_400_000;
/** Learners see "renew" this many days before expiry. */
export const RENEW_WINDOW_DAYS = 60;

/**
 * Status on `now`. Events that take effect later (a revocation dated in the future) are ignored until then.
 * A revocation is final: it wins over any later event. Otherwise the latest suspension/reinstatement decides,
 * and a certificate that is neither revoked nor suspended is expired from `expiresAt` on.
 */
export function deriveStatus(cert: { expiresAt: number | null }, events: readonly StatusEvent[], now: number): DerivedStatus {
  const effective = events
    .filter((e) => e.effectiveAt <= now)
    .slice()
    .sort((a, b) => a.effectiveAt - b.effectiveAt || a.createdAt - b.createdAt);
  const expired = cert.expiresAt !== null && cert.expiresAt <= now;
  const revocation = effective.find((e) => e.status === "revoked");
  if (revocation) return { status: "revoked", revokedAt: revocation.effectiveAt, suspendedAt: null, reason: revocation.reason, expired };
  const last = effective.filter((e) => e.status !== "revoked").at(-1);
  if (last?.status === "suspended") return { status: "suspended", revokedAt: null, suspendedAt: last.effectiveAt, reason: last.reason, expired };
  return { status: expired ? "expired" : "valid", revokedAt: null, suspendedAt: null, reason: null, expired };
}

export type TransitionCheck = { ok: true; event: StatusEvent["status"] } | { ok: false; reason: "already_revoked" | "not_suspended" | "already_suspended" };

/**
 * Whether an officer may apply `action` to a certificate whose current status is `current`. A revoked certificate
 * stays revoked forever; only a suspended one can be reinstated; an expired one can still be revoked or suspended
 * (so that a fraud found later is recorded).
 */
export function checkTransition(current: CertStatus, action: StatusAction): TransitionCheck {
  if (current === "revoked") return { ok: false, reason: "already_revoked" };
  switch (action) {
    case "revoke":
      return { ok: true, event: "revoked" };
    case "suspend":
      return current === "suspended" ? { ok: false, reason: "already_suspended" } : { ok: true, event: "suspended" };
    case "reinstate":
      return current === "suspended" ? { ok: true, event: "reinstated" } : { ok: false, reason: "not_suspended" };
  }
}

/** The Vietnam calendar year (UTC+7) of an instant. */
export function vietnamYear(ms: number): number {
  return new Date(ms + VN_OFFSET_MS).getUTCFullYear();
}

/** YYYY-MM-DD in Vietnam time. */
export function vietnamDate(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of Vietnam midnight starting `date` (YYYY-MM-DD). */
export function vietnamMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - VN_OFFSET_MS;
}

/**
 * `months` calendar months after `ms`, counted on the Vietnam calendar; the day is clamped to the end of a shorter
 * month (31 Jan + 1 month = 28/29 Feb), the time of day is kept.
 */
export function addMonthsVietnam(ms: number, months: number): number {
  if (!Number.isInteger(months) || months < 0) throw new Error(`addMonthsVietnam: months must be a whole number ≥ 0, got ${months}`);
  const d = new Date(ms + VN_OFFSET_MS);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime() - VN_OFFSET_MS;
}

/** Expiry from the course's validity (null months = never expires). */
export function expiryFor(issuedAt: number, validityMonths: number | null | undefined): number | null {
  return validityMonths === null || validityMonths === undefined ? null : addMonthsVietnam(issuedAt, validityMonths);
}

/**
 * The issuing body for a holder: the unit at depth 1 of the holder's unit path (a ministry, ministry-level body,
 * government agency or province: path "/VN/G06/G06-VP/" → "G06"), or the national root "VN" for a holder placed
 * at the root itself.
 */
export function issuerCodeForPath(unitPath: string, nationalCode = "VN"): string {
  const parts = unitPath.split("/").filter(Boolean);
  return parts[1] ?? nationalCode;
}

/** True from RENEW_WINDOW_DAYS before expiry (and after it): the learner is invited to renew. */
export function renewDue(expiresAt: number | null, now: number, windowDays = RENEW_WINDOW_DAYS): boolean {
  return expiresAt !== null && expiresAt - now <= windowDays * DAY_MS;
}

/** Whole days until expiry (negative once expired), or null for no expiry. */
export function daysUntil(expiresAt: number | null, now: number): number | null {
  return expiresAt === null ? null : Math.floor((expiresAt - now) / DAY_MS);
}

/**
 * What an anonymous serial lookup shows of a name: the family name and the initials of the other names
 * ("Nguyễn Thị Hường" → "Nguyễn T. H."). Serials are sequential, so a full name per serial would let anyone
 * list every holder; the person holding the paper can confirm the full name with the name field.
 */
export function maskName(name: string): string {
  const parts = name.normalize("NFC").trim().split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return parts[0] ? `${[...parts[0]][0]}.` : "";
  return [parts[0], ...parts.slice(1).map((p) => `${[...p][0]!.toLocaleUpperCase("vi")}.`)].join(" ");
}

/** Compares a typed name with the holder's name: NFC, case and spacing ignored, diacritics significant. */
export function sameName(typed: string, holder: string): boolean {
  const norm = (s: string) => s.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("vi");
  return norm(typed) !== "" && norm(typed) === norm(holder);
}

/** Bitstring Status List pages: indexes are global and unique; list N holds indexes N·SIZE … (N+1)·SIZE−1. */
export const STATUS_LIST_SIZE = 131_072;
export function statusListPosition(globalIndex: number): { listId: number; index: number } {
  return { listId: Math.floor(globalIndex / STATUS_LIST_SIZE), index: globalIndex % STATUS_LIST_SIZE };
}
