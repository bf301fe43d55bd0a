import { auditLog } from "#db/schema";
import type { Tx } from "~/db.server";
import { newId } from "./ids";

export interface AuditEntry {
  actorUserId?: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  unitId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  requestId?: string | null;
}

/** Records an audit event inside the caller's write, so the event exists exactly when the change does. */
export async function audit(tx: Tx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    id: newId(),
    at: Date.now(),
    actorUserId: e.actorUserId ?? null,
    actorLabel: e.actorLabel,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId ?? null,
    unitId: e.unitId ?? null,
    beforeJson: e.before === undefined ? null : JSON.stringify(e.before),
    afterJson: e.after === undefined ? null : JSON.stringify(e.after),
    ip: e.ip ?? null,
    requestId: e.requestId ?? null,
  });
}
