/**
 * The retention offer the cancel screen shows (one for the site, set in the admin): nothing, a
 * discount (a live discount offer, whose Stripe coupon is applied to the subscription) or a
 * pause of 1 to 3 months (Stripe's pause_collection).
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { offers, retentionOffer, type Offer } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/admin-action";
import { recordAudit } from "@/lib/admin/audit";

export type Retention = { kind: "none" } | { kind: "discount"; offer: Offer } | { kind: "pause"; months: number };

export const retentionFormSchema = z
  .object({
    kind: z.enum(["none", "discount", "pause"], { error: "Choose what the cancel screen offers" }),
    offerId: z.string().optional(),
    pauseMonths: z.string().optional(),
  })
  .transform((form, ctx) => {
    if (form.kind === "discount" && !/^\d{1,9}$/.test(form.offerId ?? "")) {
      ctx.addIssue({ code: "custom", path: ["offerId"], message: "Choose a discount offer" });
      return z.NEVER;
    }
    if (form.kind === "pause" && !/^[123]$/.test(form.pauseMonths ?? "")) {
      ctx.addIssue({ code: "custom", path: ["pauseMonths"], message: "Choose 1, 2 or 3 months" });
      return z.NEVER;
    }
    return {
      kind: form.kind,
      offerId: form.kind === "discount" ? Number(form.offerId) : null,
      pauseMonths: form.kind === "pause" ? Number(form.pauseMonths) : null,
    };
  });

export type RetentionInput = z.output<typeof retentionFormSchema>;

/** A discount offer fit to keep a subscriber: live, a discount (not a trial), in Stripe. */
export function usableForRetention(offer: Offer): boolean {
  return !offer.archivedAt && offer.kind !== "trial" && offer.stripeCouponId !== null;
}

export async function loadRetention(db: Db): Promise<Retention> {
  const [row] = await db.select().from(retentionOffer).leftJoin(offers, eq(offers.id, retentionOffer.offerId)).where(eq(retentionOffer.id, 1));
  if (!row) return { kind: "none" };
  const { retention_offer: setting, offers: offer } = row;
  if (setting.kind === "pause" && setting.pauseMonths) return { kind: "pause", months: setting.pauseMonths };
  if (setting.kind === "discount" && offer && usableForRetention(offer)) return { kind: "discount", offer };
  return { kind: "none" };
}

export async function saveRetention(db: Db, actor: AdminActor, input: RetentionInput): Promise<{ ok: true } | { ok: false; field: string; message: string }> {
  if (input.offerId !== null) {
    const [offer] = await db.select().from(offers).where(eq(offers.id, input.offerId));
    if (!offer || !usableForRetention(offer)) return { ok: false, field: "offerId", message: "Choose a live discount offer that is in Stripe" };
  }
  const values = { kind: input.kind, offerId: input.offerId, pauseMonths: input.pauseMonths, updatedAt: new Date() };
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(retentionOffer).where(eq(retentionOffer.id, 1));
    await tx.insert(retentionOffer).values({ id: 1, ...values }).onConflictDoUpdate({ target: retentionOffer.id, set: values });
    await recordAudit(tx, { actor, action: "retention.update", targetType: "retention_offer", targetId: 1, before: before ?? null, after: values });
  });
  return { ok: true };
}
