import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { deleteAccount } from "@/lib/privacy/delete-account";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";
import type { DeleteReaderForm } from "./form";

export type DeleteReaderOutcome = { ok: true; deleted: boolean; ended: number } | { ok: false; field?: "confirmation"; message: string };

/**
 * The admin deletes a reader's account for a request received by mail: the same deletion as the
 * reader's button (lib/privacy/delete-account.ts), with the audit entry in its transaction. The
 * entry names the account by id only: the address it erases is not copied into the log.
 */
export async function deleteReaderByAdmin(db: Db, actor: AdminActor, form: DeleteReaderForm): Promise<DeleteReaderOutcome> {
  const [reader] = await db.select({ email: users.email, deletedAt: users.deletedAt, role: users.role }).from(users).where(eq(users.id, form.userId));
  if (!reader) return { ok: false, message: "This reader no longer exists." };
  if (reader.deletedAt) return { ok: true, deleted: false, ended: 0 };
  if (reader.role === "admin") return { ok: false, message: "An admin account cannot be deleted here: remove it from ADMIN_EMAILS first." };
  const expected = reader.email ?? "delete";
  if (form.confirmation.toLowerCase() !== expected) {
    return { ok: false, field: "confirmation", message: reader.email ? "Type the reader's email address exactly, to confirm." : "This account has no address: type DELETE to confirm." };
  }
  const outcome = await deleteAccount(db, form.userId, {
    by: "admin",
    inTransaction: (tx, erased) =>
      recordAudit(tx, {
        actor,
        action: "reader.delete",
        targetType: "user",
        targetId: erased.userId,
        before: { hadEmail: erased.hadEmail, subscriptions: erased.ended.map((e) => ({ subscription: e.subscription, ended: e.kind, refund: e.kind === "withdrawal" ? e.refund : 0 })) },
        after: { deleted: true, reason: "request received by mail" },
      }),
  });
  if (!outcome.ok) return { ok: false, message: "This reader no longer exists." };
  return { ok: true, deleted: outcome.deleted, ended: outcome.deleted ? outcome.ended.length : 0 };
}
