/** Whatever grants the right to read in full, already judged against the clock (./entitlement.ts). */
export interface Entitlement {
  /** `gift-subscription`: a redeemed gift subscription's grant (lib/gift-subscriptions), backed by its paid checkout. */
  source: "subscription" | "grant" | "gift-subscription";
  /** When the right ends; null for no set end. */
  until: Date | null;
}

import type { FamilyAccess } from "./family";

/** Who is reading. Anonymous readers are metered by cookie, registered ones on the server. */
export type Reader =
  | { kind: "anonymous" }
  // `paused`: set when a paused subscription is why there is no entitlement (the card says so instead of selling one).
  // `subscribed`: they hold a live subscription (LIVE_STATUSES), entitled today or not: the card sells them nothing.
  // `experimentKey`: what experiments hash them on (the browser id they first signed in with), when kept.
  // `newsletterSubscriber`: on a newsletter list (segment rules may look at it).
  // `family`: a place in a payer's family subscription that reads now; `familyEnded`: they hold a place, and none reads now (the card says so).
  | {
      kind: "user";
      userId: string;
      entitlement: Entitlement | null;
      paused?: { until: Date | null };
      subscribed?: boolean;
      trialedPlanIds?: Array<number | null>;
      experimentKey?: string | null;
      newsletterSubscriber?: boolean;
      family?: FamilyAccess | null;
      familyEnded?: boolean;
    }
  // A search engine's crawler whose address DNS proved (VERIFIED_CRAWLERS); never from a header alone.
  | { kind: "crawler"; name: "google" };

export const ANONYMOUS: Reader = { kind: "anonymous" };
