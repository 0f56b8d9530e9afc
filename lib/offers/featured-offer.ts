import "server-only";
/**
 * The one offer the paywall card features (a setting): its name and, for each eligible plan on
 * sale, the terms in plain words. Only an offer that can be taken now is featured: the same
 * findPublicOffer the offer page and Checkout use, so an ended, exhausted or not yet started
 * offer drops off the card. Cached for the reading path; a minute bounds how late it notices a
 * start or end date passing or the last redemption, and the offer's own checks at Checkout
 * stand behind it.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offers, type Offer } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { findPublicOffer } from "./public-offer";
import { describeOffer } from "./wording";

export interface FeaturedOffer {
  code: string;
  name: string;
  newCustomersOnly: boolean;
  plans: Array<{ id: number; name: string; headline: string; renewal: string }>;
}

/** An offer an admin may feature: live, and sellable (a trial, or a discount Stripe carries). */
export function featurable(offer: Offer): boolean {
  return !offer.archivedAt && (offer.kind === "trial" || offer.stripeCouponId !== null);
}

const cache = ttlCache<number, FeaturedOffer | null>("featured-offer", { ttlMs: 60_000, forgetOn: { settings: true, plans: true, offers: true } });

export function getFeaturedOffer(offerId: number): Promise<FeaturedOffer | null> {
  return cache.get(offerId, async () => loadFeaturedOffer(offerId));
}

async function loadFeaturedOffer(offerId: number): Promise<FeaturedOffer | null> {
  const db = await getDb();
  const [offer] = await db.select({ code: offers.code }).from(offers).where(eq(offers.id, offerId));
  if (!offer) return null;
  const found = await findPublicOffer(db, offer.code);
  // The code now belongs to the live offer that replaced this one: feature nothing until the admin chooses it.
  if (found.state !== "ok" || found.offer.id !== offerId) return null;
  return {
    code: found.offer.code,
    name: found.offer.name,
    newCustomersOnly: found.offer.newCustomersOnly,
    plans: found.plans.map((plan) => ({ id: plan.id, name: plan.name, ...describeOffer(found.offer, plan) })),
  };
}
