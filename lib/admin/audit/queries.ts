import "server-only";
import { desc, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";

export const AUDIT_ENTRIES_PER_PAGE = 50;

export interface AuditLogRow {
  id: number;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  at: Date;
}

/** One page of the audit log, newest first. */
export async function listAuditEntries(db: Db, page: number): Promise<{ rows: AuditLogRow[]; pages: number }> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
  const rows = await db
    .select({
      id: auditLog.id,
      actorEmail: auditLog.actorEmail,
      actorUserId: auditLog.actorUserId,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      before: auditLog.before,
      after: auditLog.after,
      at: auditLog.at,
    })
    .from(auditLog)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_ENTRIES_PER_PAGE)
    .offset((page - 1) * AUDIT_ENTRIES_PER_PAGE);
  return {
    rows: rows.map(({ actorEmail, actorUserId, ...row }) => ({ ...row, actor: actorEmail ?? actorUserId ?? "(deleted user)" })),
    pages: Math.max(1, Math.ceil((count?.n ?? 0) / AUDIT_ENTRIES_PER_PAGE)),
  };
}
