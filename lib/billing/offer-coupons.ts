import "server-only";
/**
 * An offer's objects in Stripe: a coupon with our id (`masthead-offer-<id>`) and a promotion
 * code with the offer's public code, found before created and made with idempotency keys, so a
 * retry after a failure converges and never makes a second one (lib/offers/push-offer.ts says
 * when). The promotion code is made inactive: lib/offers/typed-codes.ts turns it on.
 */
import Stripe from "stripe";
import type { Offer } from "@/db/schema";
import { OFFER_METADATA_KEY } from "./checkout-metadata";
import { stripe } from "./stripe-client";

export function couponIdFor(offer: Pick<Offer, "id">): string {
  return `masthead-offer-${offer.id}`;
}

export async function findOrCreateCoupon(offer: Offer, now: Date): Promise<Stripe.Coupon> {
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

export async function findOrCreatePromotionCode(offer: Offer, couponId: string, now: Date): Promise<Stripe.PromotionCode> {
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

/** Turns a promotion code on or off (whether readers may type it at Checkout); returns Stripe's answer. */
export async function setPromotionCodeActive(promotionCodeId: string, active: boolean): Promise<Stripe.PromotionCode> {
  return stripe().promotionCodes.update(promotionCodeId, { active });
}
