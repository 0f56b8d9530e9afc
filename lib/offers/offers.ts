/**
 * Offers as the admin makes them: create (an edit is a create that replaces, archiving the old
 * offer in the same transaction: billing terms never change under a code already handed out),
 * archive, and the list with how many subscriptions each brought. Every change has its audit row.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { offers, plans, subscriptions, type Offer } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/admin-action";
import { recordAudit } from "@/lib/admin/audit";
import { parseMoneyInput } from "@/lib/admin/money-input";
import type { OfferInput } from "./offer-form";

export type OfferChange = { ok: true; offerId: number } | { ok: false; field?: string; message: string };

const CODE_TAKEN = "Another live offer already uses this code";

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return (error as { code?: string })?.code === "23505" || cause?.code === "23505";
}

export async function createOffer(db: Db, actor: AdminActor, input: OfferInput): Promise<OfferChange> {
  const eligible = await db.select().from(plans).where(inArray(plans.id, input.planIds));
  if (eligible.length !== input.planIds.length) return { ok: false, field: "planIds", message: "One of these plans no longer exists" };
  const currencies = new Set(eligible.map((p) => p.currency));
  let amountOff: number | null = null;
  let currency: string | null = null;
  if (input.kind === "amount") {
    if (currencies.size !== 1) return { ok: false, field: "planIds", message: "An amount off needs plans of one currency" };
    currency = [...currencies][0] ?? null;
    const parsed = parseMoneyInput(input.amountText ?? "", currency ?? "usd");
    if (!parsed.ok) return { ok: false, field: "amountOff", message: parsed.message };
    if (parsed.amount <= 0) return { ok: false, field: "amountOff", message: "Enter an amount above 0" };
    amountOff = parsed.amount;
  }
  try {
    return await db.transaction(async (tx) => {
      let replaced: Offer | undefined;
      if (input.replaces !== null) {
        [replaced] = await tx.select().from(offers).where(and(eq(offers.id, input.replaces), isNull(offers.archivedAt)));
        if (!replaced) return { ok: false, message: "The offer being edited is archived or gone: reload the page." };
        await tx.update(offers).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(offers.id, replaced.id));
      }
      const [taken] = await tx.select({ id: offers.id }).from(offers).where(and(sql`lower(${offers.code}) = lower(${input.code})`, isNull(offers.archivedAt)));
      if (taken) return { ok: false, field: "code", message: CODE_TAKEN };
      const [offer] = await tx
        .insert(offers)
        .values({
          name: input.name,
          code: input.code,
          kind: input.kind,
          percentOff: input.percentOff,
          amountOff,
          currency,
          trialDays: input.trialDays,
          duration: input.duration,
          durationMonths: input.durationMonths,
          planIds: input.planIds,
          newCustomersOnly: input.newCustomersOnly,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          maxRedemptions: input.maxRedemptions,
          replacesOfferId: replaced?.id ?? null,
        })
        .returning();
      if (!offer) throw new Error("insert returned no offer");
      await recordAudit(tx, { actor, action: replaced ? "offer.replace" : "offer.create", targetType: "offer", targetId: offer.id, before: replaced ?? null, after: offer });
      return { ok: true as const, offerId: offer.id };
    });
  } catch (error) {
    // Two admins saving the same code at once: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, field: "code", message: CODE_TAKEN };
    throw error;
  }
}

export async function archiveOffer(db: Db, actor: AdminActor, id: number): Promise<OfferChange> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(offers).where(eq(offers.id, id));
    if (!before) return { ok: false, message: "This offer no longer exists." };
    if (before.archivedAt) return { ok: true, offerId: id };
    const [after] = await tx.update(offers).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(offers.id, id)).returning();
    await recordAudit(tx, { actor, action: "offer.archive", targetType: "offer", targetId: id, before, after });
    return { ok: true, offerId: id };
  });
}

export interface AdminOffer extends Offer {
  /** Subscriptions bought with it (any status). */
  subscriptions: number;
}

/** Live offers first (newest first), then archived ones. */
export async function listOffersForAdmin(db: Db): Promise<AdminOffer[]> {
  const [rows, counts] = await Promise.all([
    db.select().from(offers).orderBy(sql`${offers.archivedAt} is not null`, desc(offers.id)),
    db
      .select({ offerId: subscriptions.offerId, n: sql<number>`count(*)::int` })
      .from(subscriptions)
      .where(sql`${subscriptions.offerId} is not null`)
      .groupBy(subscriptions.offerId),
  ]);
  const by = new Map(counts.map((c) => [c.offerId, Number(c.n)]));
  return rows.map((offer) => ({ ...offer, subscriptions: by.get(offer.id) ?? 0 }));
}

export async function activePlansForOffers(db: Db) {
  return db.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.sortOrder), asc(plans.id));
}
