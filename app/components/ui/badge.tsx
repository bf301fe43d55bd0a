import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

/**
 * Every status word the app shows maps to one tone: "met" and "valid" green, "on track" blue (fine, not done),
 * "at risk", "suspended" and "expired" amber, "off track", "revoked" and "altered" red. Others are neutral.
 */
const TONES: Record<string, BadgeTone> = {
  met: "success",
  valid: "success",
  committed: "success",
  passed: "success",
  at_risk: "warning",
  suspended: "warning",
  expired: "warning",
  on_track: "info",
  previewed: "info",
  in_progress: "info",
  off_track: "danger",
  revoked: "danger",
  altered: "danger",
  failed: "danger",
  unknown: "neutral",
};

export function toneOf(status: string): BadgeTone {
  return TONES[status] ?? "neutral";
}

/** A small pill. Give `status` (a status code) to colour it by status, or `tone` directly. */
export function Badge({ tone, status, className, children }: { tone?: BadgeTone; status?: string; className?: string; children: ReactNode }) {
  const t = tone ?? (status ? toneOf(status) : "neutral");
  return (
    <span className={["badge", `badge--${t}`, className].filter(Boolean).join(" ")} data-status={status}>
      {children}
    </span>
  );
}
