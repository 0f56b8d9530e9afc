import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { grants, users, type Grant } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import type { AdminActor } from "./admin-action";
import { recordAudit } from "./audit";

const DAY_MS = 86_400_000;

/**
 * Complimentary access: a reason (required) and an optional last day (inclusive, UTC). A grant
 * starts now; without an end it lasts until revoked.
 */
export const grantFormSchema = z.object({
  userId: z.string().trim().min(1).max(200),
  reason: z.string({ error: "Give a reason" }).trim().min(1, "Give a reason (the audit log keeps it)").max(300, "At most 300 characters"),
  endsOn: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim() ?? "";
      if (s === "") return null;
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
      if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== s) {
        ctx.addIssue({ code: "custom", message: "Enter a date like 2026-12-31, or leave it blank for no end" });
        return z.NEVER;
      }
      // Access runs through the whole last day: it ends at the following midnight, UTC.
      const ends = new Date(day.getTime() + DAY_MS);
      if (ends.getTime() <= Date.now()) {
        ctx.addIssue({ code: "custom", message: "The last day must be today or later" });
        return z.NEVER;
      }
      return ends;
    }),
});
export type GrantForm = z.output<typeof grantFormSchema>;

export const revokeGrantSchema = z.object({ grantId: z.coerce.number<string>().int().positive().max(2_147_483_647) });

function snapshot(grant: Grant) {
  return { userId: grant.userId, reason: grant.reason, startsAt: grant.startsAt, endsAt: grant.endsAt, revokedAt: grant.revokedAt };
}

export type GrantChange = { ok: true; grantId: number; changed: boolean } | { ok: false; message: string };

/** Comps a reader, audited in the same transaction. The reading path sees it on the next request. */
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
