/**
 * The discount columns of our subscription copy, from Stripe's subscription fetched with
 * `expand: ["discounts.source.coupon"]` (SUBSCRIPTION_DISCOUNT_EXPAND), the offer it was
 * bought with (from the metadata our Checkout sets) and its paused collection. Dates stay on
 * Stripe's clock like the row's others.
 */
import type Stripe from "stripe";
import type { subscriptions } from "@/db/schema";
import { OFFER_METADATA_KEY } from "./sync-offer";

export const SUBSCRIPTION_DISCOUNT_EXPAND = ["discounts.source.coupon"];

type DiscountColumns = Pick<
  typeof subscriptions.$inferInsert,
  "discountPercentBp" | "discountAmountOff" | "discountDuration" | "discountStart" | "discountEnd" | "offerId" | "collectionPaused" | "pausedUntil"
>;

const date = (unix: number | null): Date | null => (unix ? new Date(unix * 1000) : null);

export function discountCopy(sub: Stripe.Subscription): DiscountColumns {
  const offerId = Number(sub.metadata?.[OFFER_METADATA_KEY]);
  const base = {
    offerId: Number.isSafeInteger(offerId) && offerId > 0 ? offerId : null,
    collectionPaused: sub.pause_collection !== null,
    pausedUntil: date(sub.pause_collection?.resumes_at ?? null),
  };
  const discount = sub.discounts.find((d): d is Stripe.Discount => typeof d !== "string");
  const coupon = discount && typeof discount.source.coupon === "object" ? discount.source.coupon : null;
  if (!discount || !coupon) {
    return { ...base, discountPercentBp: null, discountAmountOff: null, discountDuration: null, discountStart: null, discountEnd: null };
  }
  const duration: "once" | "repeating" | "forever" = coupon.duration === "repeating" ? "repeating" : coupon.duration === "forever" ? "forever" : "once";
  return {
    ...base,
    discountPercentBp: coupon.percent_off !== null ? Math.round(coupon.percent_off * 100) : null,
    discountAmountOff: coupon.percent_off === null ? coupon.amount_off : null,
    discountDuration: duration,
    discountStart: date(discount.start),
    discountEnd: date(discount.end),
  };
}
