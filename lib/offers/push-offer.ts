import "server-only";
/**
 * Makes Stripe carry an offer, like plans: a coupon and a promotion code with the offer's public
 * code (lib/billing/offer-coupons.ts makes them, idempotently), and our row names them. A trial
 * offer is Checkout's trial days: nothing to push.
 * The offer page applies the coupon, which carries the limits Stripe can hold for both ways in
 * (max redemptions, the end date). The promotion code is only for readers typing it at
 * Checkout: it is made inactive, and typed-codes.ts turns it on only where that is safe.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { offers, type Offer } from "@/db/schema";
import { findOrCreateCoupon, findOrCreatePromotionCode, setPromotionCodeActive } from "@/lib/billing/offer-coupons";
import { announceChange } from "@/lib/cache/invalidation";
import { reconcileTypedCodes } from "./typed-codes";

/** Pushes one offer; returns the promotion code id (null for a trial offer). */
export async function pushOfferToStripe(db: Db, offer: Offer, now = new Date()): Promise<string | null> {
  if (offer.kind === "trial") return null;
  const coupon = await findOrCreateCoupon(offer, now);
  let promo = await findOrCreatePromotionCode(offer, coupon.id, now);
  if (offer.archivedAt && promo.active) promo = await setPromotionCodeActive(promo.id, false);
  if (offer.stripeCouponId !== coupon.id || offer.stripePromotionCodeId !== promo.id || offer.promotionCodeActive !== promo.active) {
    await db
      .update(offers)
      .set({ stripeCouponId: coupon.id, stripePromotionCodeId: promo.id, promotionCodeActive: promo.active, updatedAt: new Date() })
      .where(eq(offers.id, offer.id));
    // Now sellable: a paywall card that features it may show it.
    await announceChange(db, "offers");
  }
  return promo.id;
}

export type OfferPushOutcome = { ok: true } | { ok: false; message: string };

/** For the admin: push by id, and say why not when Stripe refuses or cannot be reached. */
export async function tryPushOfferToStripe(db: Db, offerId: number): Promise<OfferPushOutcome> {
  try {
    const [offer] = await db.select().from(offers).where(eq(offers.id, offerId));
    if (!offer) return { ok: false, message: "This offer no longer exists." };
    // The offer it replaces gives up its code first: Stripe keeps active codes unique.
    const [replaced] = offer.replacesOfferId ? await db.select().from(offers).where(eq(offers.id, offer.replacesOfferId)) : [];
    if (replaced) await pushOfferToStripe(db, replaced);
    await pushOfferToStripe(db, offer);
    await reconcileTypedCodes(db);
    return { ok: true };
  } catch (error) {
    console.error(`Could not push offer ${offerId} to Stripe:`, error);
    return { ok: false, message: error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error) };
  }
}
