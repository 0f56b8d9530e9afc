import "server-only";
/**
 * Codes readers type at Stripe Checkout (a setting, off by default). Stripe takes any active
 * promotion code and checks only its expiry, redemptions and first-time-customer rule; it
 * cannot know an offer's eligible plans (every plan is one Stripe product) or its start date.
 * So a code is active in Stripe only while typing it grants nothing the offer does not: the
 * setting is on, the offer is live and has started, and every plan on sale is eligible. The
 * offer page applies the coupon itself after our own checks and never needs the code active.
 *
 * What should be active changes with time (a start date passes) and with other rows (a plan
 * goes on sale), so this reconciles rather than reacting to each change: after every admin
 * change to offers, plans or the setting, and once a minute in each server (reconcile-worker).
 */
import { eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { offers, plans, type Offer } from "@/db/schema";
import { setPromotionCodeActive } from "@/lib/billing/offer-coupons";
import { loadReadingSettings } from "@/lib/settings";

export interface TypedCodeContext {
  acceptsCodes: boolean;
  /** Active plans, priced in Stripe or about to be (so a new plan closes the codes before it sells). */
  saleablePlanIds: readonly number[];
  now: Date;
}

type Terms = Pick<Offer, "kind" | "archivedAt" | "startsAt" | "endsAt" | "planIds" | "stripePromotionCodeId">;

/** Whether the offer's promotion code should be active in Stripe (typeable at Checkout). */
export function typeable(offer: Terms, { acceptsCodes, saleablePlanIds, now }: TypedCodeContext): boolean {
  if (!acceptsCodes || offer.kind === "trial" || offer.stripePromotionCodeId === null || offer.archivedAt !== null) return false;
  if ((offer.startsAt && offer.startsAt > now) || (offer.endsAt && offer.endsAt <= now)) return false;
  return saleablePlanIds.length > 0 && saleablePlanIds.every((id) => offer.planIds.includes(id));
}

export interface ReconcileResult {
  activated: number;
  deactivated: number;
  failed: number;
}

/**
 * Makes Stripe's `active` flags match `typeable`, deactivations first (Stripe keeps active
 * codes unique, and a replaced offer shares its code with its successor). Stripe is called
 * first and our copy written after, so a failure leaves a difference the next run retries.
 * Two servers running at once set the same flags: harmless.
 */
export async function reconcileTypedCodes(db: Db, now = new Date()): Promise<ReconcileResult> {
  const [settings, saleable, pushed] = await Promise.all([
    loadReadingSettings(db),
    db.select({ id: plans.id }).from(plans).where(eq(plans.active, true)),
    db.select().from(offers).where(isNotNull(offers.stripePromotionCodeId)),
  ]);
  const context: TypedCodeContext = { acceptsCodes: settings.offers.checkoutAcceptsCodes, saleablePlanIds: saleable.map((p) => p.id), now };
  const changes = pushed
    .map((offer) => ({ offer, active: typeable(offer, context) }))
    .filter(({ offer, active }) => offer.promotionCodeActive !== active)
    .sort((a, b) => Number(a.active) - Number(b.active));
  const result: ReconcileResult = { activated: 0, deactivated: 0, failed: 0 };
  for (const { offer, active } of changes) {
    try {
      await setPromotionCodeActive(offer.stripePromotionCodeId!, active);
      await db.update(offers).set({ promotionCodeActive: active, updatedAt: sql`now()` }).where(eq(offers.id, offer.id));
      result[active ? "activated" : "deactivated"] += 1;
    } catch (error) {
      result.failed += 1;
      console.error(`Could not set promotion code ${offer.stripePromotionCodeId} (offer ${offer.id}) active=${active}:`, error);
    }
  }
  return result;
}
