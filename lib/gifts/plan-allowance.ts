import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { plans } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/admin-action";
import { recordAudit } from "@/lib/admin/audit";

export const planAllowanceSchema = z.object({
  planId: z.coerce.number<unknown>().int().positive(),
  giftAllowance: z.coerce.number<unknown>({ error: "Enter a number of gifts" }).int().min(0, "0 or more").max(1_000, "At most 1,000"),
});

/** Every plan (archived ones too: their subscribers still give) with its monthly gift allowance. */
export function listPlanAllowances(db: Db) {
  return db
    .select({ id: plans.id, name: plans.name, active: plans.active, giftAllowance: plans.giftAllowance })
    .from(plans)
    .orderBy(asc(plans.sortOrder), asc(plans.id));
}

/** Sets a plan's allowance; it applies to this month's remaining gifts at once (nothing is cached). */
export async function setPlanGiftAllowance(db: Db, admin: AdminActor, input: z.infer<typeof planAllowanceSchema>): Promise<{ found: boolean }> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const [before] = await tx.select({ giftAllowance: plans.giftAllowance }).from(plans).where(eq(plans.id, input.planId)).for("update");
    if (!before) return { found: false };
    await tx.update(plans).set({ giftAllowance: input.giftAllowance, updatedAt: sql`now()` }).where(eq(plans.id, input.planId));
    await recordAudit(tx, { actor: admin, action: "plan.gift-allowance", targetType: "plan", targetId: input.planId, before, after: { giftAllowance: input.giftAllowance } });
    return { found: true };
  });
}
