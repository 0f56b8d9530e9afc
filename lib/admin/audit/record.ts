import "server-only";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { AdminActor } from "../shared/action";

export interface AuditEntry {
  actor: AdminActor;
  /** What was done, as `noun.verb`: "article.update", "settings.update", "plan.archive"… */
  action: string;
  targetType: string;
  targetId: string | number | null;
  /** JSON-serialisable state before and after; null when it did not exist (or no longer does). */
  before: unknown;
  after: unknown;
}

/**
 * Records an admin change. Pass the transaction that makes the change, so the change and its
 * record are written together or not at all.
 */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: entry.actor.id,
    actorEmail: entry.actor.email,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId === null ? null : String(entry.targetId),
    before: toJson(entry.before),
    after: toJson(entry.after),
  });
}

// Dates become ISO strings and undefined fields disappear, exactly as the jsonb column will hold them.
function toJson(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}
