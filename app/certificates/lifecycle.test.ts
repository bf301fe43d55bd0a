import { describe, expect, it } from "vitest";
import {
  addMonthsVietnam,
  checkTransition,
  deriveStatus,
  expiryFor,
  issuerCodeForPath,
  maskName,
  renewDue,
  sameName,
  statusListPosition,
  vietnamDate,
  vietnamMidnight,
  vietnamYear,
  DAY_MS,
  type CertStatus,
  type StatusAction,
  type StatusEvent,
} from "./lifecycle";

const T = (iso: string) => Date.parse(iso);
const ev = (status: StatusEvent["status"], at: string, createdAt = at, reason = `${status} reason`): StatusEvent => ({
  status,
  reason,
  effectiveAt: T(at),
  createdAt: T(createdAt),
});

describe("deriveStatus", () => {
  const now = T("2026-06-01T00:00:00Z");
  it.each<[string, number | null, StatusEvent[], CertStatus, string | null]>([
    ["no events, no expiry", null, [], "valid", null],
    ["no events, expiry later", T("2027-01-01T00:00:00Z"), [], "valid", null],
    ["no events, expired yesterday", T("2026-05-31T00:00:00Z"), [], "expired", null],
    ["expiry exactly now counts as expired", now, [], "expired", null],
    ["revoked", null, [ev("revoked", "2026-01-01T00:00:00Z")], "revoked", "revoked reason"],
    ["revoked beats expired", T("2026-02-01T00:00:00Z"), [ev("revoked", "2026-01-01T00:00:00Z")], "revoked", "revoked reason"],
    ["revocation dated in the future is not yet effective", null, [ev("revoked", "2026-07-01T00:00:00Z")], "valid", null],
    ["suspended", null, [ev("suspended", "2026-03-01T00:00:00Z")], "suspended", "suspended reason"],
    ["suspended then reinstated", null, [ev("suspended", "2026-03-01T00:00:00Z"), ev("reinstated", "2026-04-01T00:00:00Z")], "valid", null],
    ["reinstated then suspended again", null, [ev("suspended", "2026-02-01T00:00:00Z"), ev("reinstated", "2026-03-01T00:00:00Z"), ev("suspended", "2026-04-01T00:00:00Z")], "suspended", "suspended reason"],
    ["reinstated after expiry is expired", T("2026-05-01T00:00:00Z"), [ev("suspended", "2026-03-01T00:00:00Z"), ev("reinstated", "2026-04-01T00:00:00Z")], "expired", null],
    ["a revocation is final even with a later reinstatement row", null, [ev("revoked", "2026-02-01T00:00:00Z"), ev("reinstated", "2026-03-01T00:00:00Z")], "revoked", "revoked reason"],
    ["suspension then revocation", null, [ev("suspended", "2026-02-01T00:00:00Z"), ev("revoked", "2026-03-01T00:00:00Z")], "revoked", "revoked reason"],
    ["events out of order are sorted by effective date", null, [ev("reinstated", "2026-04-01T00:00:00Z"), ev("suspended", "2026-03-01T00:00:00Z")], "valid", null],
    ["same effective date: later recorded wins", null, [ev("reinstated", "2026-04-01T00:00:00Z", "2026-04-02T00:00:00Z"), ev("suspended", "2026-04-01T00:00:00Z", "2026-04-01T00:00:00Z")], "valid", null],
  ])("%s", (_name, expiresAt, events, status, reason) => {
    const d = deriveStatus({ expiresAt }, events, now);
    expect(d.status).toBe(status);
    expect(d.reason).toBe(reason);
    if (status === "revoked") expect(d.revokedAt).toBe(events.find((e) => e.status === "revoked")!.effectiveAt);
    else expect(d.revokedAt).toBeNull();
  });

  it("reports expiry alongside revocation", () => {
    expect(deriveStatus({ expiresAt: T("2026-02-01T00:00:00Z") }, [ev("revoked", "2026-01-01T00:00:00Z")], now).expired).toBe(true);
  });
});

describe("checkTransition", () => {
  it.each<[CertStatus, StatusAction, string]>([
    ["valid", "revoke", "revoked"],
    ["valid", "suspend", "suspended"],
    ["valid", "reinstate", "not_suspended"],
    ["suspended", "revoke", "revoked"],
    ["suspended", "suspend", "already_suspended"],
    ["suspended", "reinstate", "reinstated"],
    ["expired", "revoke", "revoked"],
    ["expired", "suspend", "suspended"],
    ["expired", "reinstate", "not_suspended"],
    ["revoked", "revoke", "already_revoked"],
    ["revoked", "suspend", "already_revoked"],
    ["revoked", "reinstate", "already_revoked"],
  ])("%s + %s → %s", (current, action, expected) => {
    const r = checkTransition(current, action);
    expect(r.ok ? r.event : r.reason).toBe(expected);
  });
});

describe("Vietnam calendar", () => {
  it.each([
    ["2025-12-31T16:59:59Z", 2025, "2025-12-31"],
    ["2025-12-31T17:00:00Z", 2026, "2026-01-01"],
    ["2026-06-15T05:00:00Z", 2026, "2026-06-15"],
  ])("%s is %i / %s in Vietnam", (iso, year, date) => {
    expect(vietnamYear(T(iso))).toBe(year);
    expect(vietnamDate(T(iso))).toBe(date);
  });

  it("vietnamMidnight is 17:00 UTC the day before", () => {
    expect(new Date(vietnamMidnight("2026-01-01")).toISOString()).toBe("2025-12-31T17:00:00.000Z");
  });

  it.each([
    ["2025-11-22T03:00:00Z", 36, "2028-11-22T03:00:00.000Z"],
    ["2025-11-22T03:00:00Z", 0, "2025-11-22T03:00:00.000Z"],
    ["2026-01-31T03:00:00Z", 1, "2026-02-28T03:00:00.000Z"],
    ["2027-12-31T03:00:00Z", 2, "2028-02-29T03:00:00.000Z"],
    // 23:30 on 31 Jan in Vietnam is 16:30 UTC: the Vietnam day (31) is clamped, not the UTC one.
    ["2026-01-31T16:30:00Z", 1, "2026-02-28T16:30:00.000Z"],
    ["2026-03-31T18:00:00Z", 1, "2026-04-30T18:00:00.000Z"],
  ])("%s + %i months = %s", (from, months, to) => {
    expect(new Date(addMonthsVietnam(T(from), months)).toISOString()).toBe(to);
  });

  it("expiryFor: null validity means no expiry", () => {
    expect(expiryFor(T("2025-11-22T03:00:00Z"), null)).toBeNull();
    expect(expiryFor(T("2025-11-22T03:00:00Z"), 24)).toBe(T("2027-11-22T03:00:00Z"));
    expect(() => addMonthsVietnam(0, -1)).toThrow(/months/);
  });
});

describe("issuerCodeForPath", () => {
  it.each([
    ["/VN/G06/G06-VP/", "G06"],
    ["/VN/G06/", "G06"],
    ["/VN/96/32002/", "96"],
    ["/VN/01/00070/", "01"],
    ["/VN/", "VN"],
  ])("%s → %s", (path, code) => expect(issuerCodeForPath(path)).toBe(code));
});

describe("renewDue", () => {
  const now = T("2026-06-01T00:00:00Z");
  it.each<[string, number | null, boolean]>([
    ["never expires", null, false],
    ["61 days left", now + 61 * DAY_MS, false],
    ["60 days left", now + 60 * DAY_MS, true],
    ["10 days left", now + 10 * DAY_MS, true],
    ["expired", now - DAY_MS, true],
  ])("%s → %s", (_n, expiresAt, due) => expect(renewDue(expiresAt, now)).toBe(due));
});

describe("maskName / sameName", () => {
  it.each([
    ["Nguyễn Thị Hường", "Nguyễn T. H."],
    ["Đặng Quốc Vượng", "Đặng Q. V."],
    ["Lê Thị Ánh Tuyết", "Lê T. Á. T."],
    ["  Lê   ánh ", "Lê Á."],
    ["Mai", "M."],
  ])("%s → %s", (name, masked) => expect(maskName(name)).toBe(masked));

  it.each<[string, string, boolean]>([
    ["Nguyễn Thị Hường", "Nguyễn Thị Hường", true],
    ["nguyễn  thị hường ", "Nguyễn Thị Hường", true],
    ["Nguyễn Thị Hường".normalize("NFD"), "Nguyễn Thị Hường", true],
    ["Nguyen Thi Huong", "Nguyễn Thị Hường", false],
    ["", "Nguyễn Thị Hường", false],
  ])("sameName(%j, %j) = %s", (a, b, same) => expect(sameName(a, b)).toBe(same));
});

describe("statusListPosition", () => {
  it.each([
    [0, 0, 0],
    [131_071, 0, 131_071],
    [131_072, 1, 0],
    [300_000, 2, 37_856],
  ])("%i → list %i index %i", (g, listId, index) => expect(statusListPosition(g)).toEqual({ listId, index }));
});
