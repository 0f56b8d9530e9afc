import "server-only";
/**
 * Offers as the admin makes them: create (an edit is a create that replaces, archiving the old
 * offer in the same transaction: billing terms never change under a code already handed out),
 * archive, the retention offer of the cancel screen, and where offers appear (codes typed at
 * Checkout, the paywall card's offer). Every change has its audit row.
 */
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { offers, plans, retentionOffer, siteSettings, type Offer } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { recordAudit } from "../audit/record";
import { lockSiteSettings, storeSiteSettings } from "../settings/commands";
import { parseMoneyInput } from "@/lib/billing/money";
import type { AdminActor } from "../shared/action";
import { usableForRetention } from "@/lib/retention/retention-offer";
import { featurable } from "@/lib/offers/featured-offer";
import type { OfferInput, OfferPlacementInput, RetentionInput } from "./form";

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
      }
      // Checked before anything is written, so a refusal leaves the old offer live.
      const [taken] = await tx
        .select({ id: offers.id })
        .from(offers)
        .where(and(sql`lower(${offers.code}) = lower(${input.code})`, isNull(offers.archivedAt), replaced ? ne(offers.id, replaced.id) : undefined));
      if (taken) return { ok: false, field: "code", message: CODE_TAKEN };
      if (replaced) await tx.update(offers).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(offers.id, replaced.id));
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
      // An edit keeps its place on the paywall card.
      if (replaced) await moveFeatured(tx, replaced.id, offer.id);
      await announceChange(tx, "offers");
      await recordAudit(tx, { actor, action: replaced ? "offer.replace" : "offer.create", targetType: "offer", targetId: offer.id, before: replaced ?? null, after: offer });
      return { ok: true as const, offerId: offer.id };
    });
  } catch (error) {
    // Two admins saving the same code at once: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, field: "code", message: CODE_TAKEN };
    throw error;
  }
}

/** The paywall card's offer follows an edit, and goes with an archive. */
async function moveFeatured(tx: Tx, from: number, to: number | null): Promise<void> {
  const moved = await tx.update(siteSettings).set({ featuredOfferId: to, updatedAt: sql`now()` }).where(eq(siteSettings.featuredOfferId, from)).returning({ id: siteSettings.id });
  if (moved.length > 0) await announceChange(tx, "settings");
}

export async function archiveOffer(db: Db, actor: AdminActor, id: number): Promise<OfferChange> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(offers).where(eq(offers.id, id));
    if (!before) return { ok: false, message: "This offer no longer exists." };
    if (before.archivedAt) return { ok: true, offerId: id };
    const [after] = await tx.update(offers).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(offers.id, id)).returning();
    await moveFeatured(tx, id, null);
    await announceChange(tx, "offers");
    await recordAudit(tx, { actor, action: "offer.archive", targetType: "offer", targetId: id, before, after });
    return { ok: true, offerId: id };
  });
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

/**
 * Stores where offers appear. Readers' pages hear of it at commit (the paywall card); the
 * caller then reconciles the typed codes with Stripe, which must not happen inside this
 * transaction.
 */
export async function saveOfferPlacement(db: Db, actor: AdminActor, input: OfferPlacementInput): Promise<{ ok: true; changed: boolean } | { ok: false; field: string; message: string }> {
  if (input.featuredOfferId !== null) {
    const [offer] = await db.select().from(offers).where(eq(offers.id, input.featuredOfferId));
    if (!offer || !featurable(offer)) return { ok: false, field: "featuredOfferId", message: "Choose a live offer" };
  }
  return db.transaction(async (tx) => {
    const row = await lockSiteSettings(tx);
    const before = row && { checkoutAcceptsCodes: row.checkoutAcceptsCodes, featuredOfferId: row.featuredOfferId };
    if (before?.checkoutAcceptsCodes === input.checkoutAcceptsCodes && before.featuredOfferId === input.featuredOfferId) return { ok: true as const, changed: false };
    await storeSiteSettings(tx, input);
    await recordAudit(tx, { actor, action: "offer-placement.update", targetType: "site_settings", targetId: 1, before: before ?? null, after: input });
    return { ok: true as const, changed: true };
  });
}
