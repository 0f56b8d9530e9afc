import "server-only";
/**
 * The retention offer the cancel screen shows (one for the site, set in the admin): nothing, a
 * discount (a live discount offer, whose Stripe coupon is applied to the subscription) or a
 * pause of 1 to 3 months (Stripe's pause_collection).
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { offers, retentionOffer, type Offer } from "@/db/schema";

export type Retention = { kind: "none" } | { kind: "discount"; offer: Offer } | { kind: "pause"; months: number };

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
