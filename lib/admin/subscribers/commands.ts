import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { grants, users, type Grant } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";
import type { GrantForm } from "./form";

function snapshot(grant: Grant) {
  return { userId: grant.userId, reason: grant.reason, startsAt: grant.startsAt, endsAt: grant.endsAt, revokedAt: grant.revokedAt };
}

export type GrantChange = { ok: true; grantId: number; changed: boolean } | { ok: false; message: string };

/** Grants a reader access, audited in the same transaction. The reading path sees it on the next request. */
export async function grantAccess(db: Db, actor: AdminActor, form: GrantForm): Promise<GrantChange> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, form.userId));
    if (!user) return { ok: false, message: "This reader no longer exists." };
    const [grant] = await tx
      .insert(grants)
      .values({ userId: user.id, reason: form.reason, endsAt: form.endsOn, createdBy: actor.id })
      .returning();
    await recordAudit(tx, { actor, action: "grant.create", targetType: "grant", targetId: grant!.id, before: null, after: snapshot(grant!) });
    // Every instance forgets what it cached about this reader when this commits.
    await announceChange(tx, "readers", user.id);
    return { ok: true, grantId: grant!.id, changed: true };
  });
}

/** Ends a grant now (kept, marked revoked, for the record). Revoking twice changes nothing. */
export async function revokeGrant(db: Db, actor: AdminActor, grantId: number): Promise<GrantChange & { userId?: string }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(grants).where(eq(grants.id, grantId)).for("update");
    if (!before) return { ok: false, message: "This grant no longer exists." };
    if (before.revokedAt) return { ok: true, grantId, changed: false, userId: before.userId };
    const [after] = await tx
      .update(grants)
      .set({ revokedAt: new Date(), revokedBy: actor.id })
      .where(and(eq(grants.id, grantId), isNull(grants.revokedAt)))
      .returning();
    await recordAudit(tx, { actor, action: "grant.revoke", targetType: "grant", targetId: grantId, before: snapshot(before), after: snapshot(after!) });
    await announceChange(tx, "readers", before.userId);
    return { ok: true, grantId, changed: true, userId: before.userId };
  });
}
