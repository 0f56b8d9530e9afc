import "server-only";
/**
 * Makes Stripe carry an offer, like plans: a coupon with our id (`masthead-offer-<id>`) and a
 * promotion code with the offer's public code, found before created and made with idempotency
 * keys, so a retry after a failure converges and never makes a second one. A trial offer is
 * Checkout's trial days: nothing to push.
 * The offer page applies the coupon, which carries the limits Stripe can hold for both ways in
 * (max redemptions, the end date). The promotion code is only for readers typing it at
 * Checkout: it is made inactive, and typed-codes.ts turns it on only where that is safe.
 */
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "@/db/client";
import { offers, type Offer } from "@/db/schema";
import { OFFER_METADATA_KEY } from "@/lib/billing/checkout-metadata";
import { stripe } from "@/lib/billing/stripe-client";
import { announceChange } from "@/lib/cache/invalidation";
import { reconcileTypedCodes } from "./typed-codes";

export function couponIdFor(offer: Pick<Offer, "id">): string {
  return `masthead-offer-${offer.id}`;
}

async function findOrCreateCoupon(offer: Offer, now: Date): Promise<Stripe.Coupon> {
  const api = stripe();
  const id = couponIdFor(offer);
  try {
    return await api.coupons.retrieve(id);
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404)) throw error;
  }
  return api.coupons.create(
    {
      id,
      name: offer.name.slice(0, 40),
      ...(offer.kind === "percent" ? { percent_off: offer.percentOff ?? 0 } : { amount_off: offer.amountOff ?? 0, currency: offer.currency ?? "usd" }),
      duration: offer.duration,
      ...(offer.duration === "repeating" ? { duration_in_months: offer.durationMonths ?? 1 } : {}),
      ...(offer.maxRedemptions !== null ? { max_redemptions: offer.maxRedemptions } : {}),
      ...(offer.endsAt && offer.endsAt > now ? { redeem_by: Math.floor(offer.endsAt.getTime() / 1000) } : {}),
      metadata: { [OFFER_METADATA_KEY]: String(offer.id) },
    },
    { idempotencyKey: `masthead-coupon-${offer.id}` },
  );
}

async function findOrCreatePromotionCode(offer: Offer, couponId: string, now: Date): Promise<Stripe.PromotionCode> {
  const api = stripe();
  if (offer.stripePromotionCodeId) return api.promotionCodes.retrieve(offer.stripePromotionCodeId);
  for await (const promo of api.promotionCodes.list({ coupon: couponId, limit: 100 })) {
    if (promo.metadata?.[OFFER_METADATA_KEY] === String(offer.id)) return promo;
  }
  return api.promotionCodes.create(
    {
      promotion: { type: "coupon", coupon: couponId },
      code: offer.code,
      active: false,
      ...(offer.maxRedemptions !== null ? { max_redemptions: offer.maxRedemptions } : {}),
      ...(offer.endsAt && offer.endsAt > now ? { expires_at: Math.floor(offer.endsAt.getTime() / 1000) } : {}),
      restrictions: { first_time_transaction: offer.newCustomersOnly },
      metadata: { [OFFER_METADATA_KEY]: String(offer.id) },
    },
    { idempotencyKey: `masthead-promo-${offer.id}` },
  );
}

/** Pushes one offer; returns the promotion code id (null for a trial offer). */
export async function pushOfferToStripe(db: Db, offer: Offer, now = new Date()): Promise<string | null> {
  if (offer.kind === "trial") return null;
  const coupon = await findOrCreateCoupon(offer, now);
  let promo = await findOrCreatePromotionCode(offer, coupon.id, now);
  if (offer.archivedAt && promo.active) promo = await stripe().promotionCodes.update(promo.id, { active: false });
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
