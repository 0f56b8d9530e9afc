import "server-only";
/**
 * An offer as a reader reaches it by its code: whether it can be taken now (started, not
 * ended, redemptions left, plans on sale) and, at Checkout, whether this reader may take it
 * (new customers only). The code is matched case-insensitively; a live offer wins over an
 * archived one with the same code.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { offers, plans, subscriptions, type Offer, type Plan } from "@/db/schema";
import type { CheckoutOffer } from "@/lib/billing/checkout";
import { hasTakenOffer, isNewCustomer, mayHaveTrial } from "@/lib/billing/eligibility";

export type OfferState = "ok" | "unknown" | "not_started" | "ended" | "exhausted";

export type OfferLookup = { state: "ok"; offer: Offer; plans: Plan[] } | { state: Exclude<OfferState, "ok">; offer: Offer | null };


const CODE = /^[A-Za-z0-9_-]{1,40}$/;

export async function findPublicOffer(db: Db, code: string, now = new Date()): Promise<OfferLookup> {
  if (!CODE.test(code)) return { state: "unknown", offer: null };
  const [offer] = await db
    .select()
    .from(offers)
    .where(sql`lower(${offers.code}) = lower(${code})`)
    .orderBy(sql`${offers.archivedAt} is not null`, sql`${offers.id} desc`)
    .limit(1);
  if (!offer) return { state: "unknown", offer: null };
  if (offer.archivedAt || (offer.endsAt && offer.endsAt <= now)) return { state: "ended", offer };
  if (offer.startsAt && offer.startsAt > now) return { state: "not_started", offer };
  if (offer.maxRedemptions !== null) {
    const [used] = await db.select({ n: sql<number>`count(*)::int` }).from(subscriptions).where(eq(subscriptions.offerId, offer.id));
    if (Number(used?.n ?? 0) >= offer.maxRedemptions) return { state: "exhausted", offer };
  }
  // A discount offer is only sellable once Stripe carries its coupon and code.
  if (offer.kind !== "trial" && (!offer.stripeCouponId || !offer.stripePromotionCodeId)) return { state: "ended", offer };
  const eligible = await db
    .select()
    .from(plans)
    .where(and(inArray(plans.id, offer.planIds), eq(plans.active, true), sql`${plans.stripePriceId} is not null`))
    .orderBy(plans.sortOrder, plans.id);
  if (eligible.length === 0) return { state: "ended", offer };
  return { state: "ok", offer, plans: eligible };
}

export type CheckoutOfferCheck =
  | { ok: true; offer: CheckoutOffer }
  | { ok: false; reason: Exclude<OfferState, "ok"> | "plan" | "new_customers_only" | "trial_used" | "already_taken" };

/**
 * The offer for a checkout of `planId` by this reader, checked again at the moment of buying.
 * A known (signed-in) reader is judged here, before payment: new customers only refuses an
 * account that has had a subscription, a trial offer one that has had a trial, and any offer an
 * account that has taken it already (once per account). An anonymous
 * reader's account is known only when the checkout settles, and is judged there
 * (lib/billing/checkout-eligibility.ts): Stripe's first-time rule looks at one customer only, and
 * an anonymous checkout makes a new one.
 */
export async function offerForCheckout(db: Db, code: string, planId: number, userId: string | null, now = new Date()): Promise<CheckoutOfferCheck> {
  const found = await findPublicOffer(db, code, now);
  if (found.state !== "ok") return { ok: false, reason: found.state };
  if (!found.plans.some((p) => p.id === planId)) return { ok: false, reason: "plan" };
  if (found.offer.newCustomersOnly && userId && !(await isNewCustomer(db, userId))) return { ok: false, reason: "new_customers_only" };
  if (found.offer.kind === "trial" && userId && !(await mayHaveTrial(db, userId, planId))) return { ok: false, reason: "trial_used" };
  if (userId && (await hasTakenOffer(db, userId, found.offer.id))) return { ok: false, reason: "already_taken" };
  const { offer } = found;
  return { ok: true, offer: { id: offer.id, code: offer.code, couponId: offer.kind === "trial" ? null : offer.stripeCouponId, trialDays: offer.kind === "trial" ? offer.trialDays : null } };
}
