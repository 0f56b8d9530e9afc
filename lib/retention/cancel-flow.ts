import "server-only";
/**
 * Cancelling on our own site (as AB 2863 asks: online, at most one save screen that does not
 * stand in the way): the save screen is shown at most once per subscription, never to a trial
 * or to a subscription already cancelling or paused; "Cancel anyway" sits on the same screen.
 * Every command acts only on the caller's own subscription, calls Stripe, then copies Stripe's
 * answer into our row (so the page shows the new state at once; the webhook agrees later).
 */
import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/db/client";
import { planPrices, subscriptions, type Offer, type SubscriptionRow } from "@/db/schema";
import { stripe } from "@/lib/billing/stripe-client";
import { syncSubscription } from "@/lib/billing/sync-subscription";
import { loadRetention, type Retention } from "./retention-offer";
import { addMonths, describeRetention, retentionTerms } from "./retention-terms";

export const CANCEL_REASONS = {
  too_expensive: "It costs too much",
  unused: "I don't read it enough",
  low_quality: "The journalism isn't for me",
  switched_service: "I read elsewhere now",
  missing_features: "Something is missing",
  other: "Another reason",
} as const satisfies Partial<Record<Stripe.SubscriptionUpdateParams.CancellationDetails.Feedback, string>>;

export const cancelFormSchema = z.object({
  subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/, "Unknown subscription"),
  reason: z
    .string()
    .optional()
    .transform((v) => (v && v in CANCEL_REASONS ? (v as keyof typeof CANCEL_REASONS) : null)),
});

export class NotYourSubscriptionError extends Error {
  constructor() {
    super("That subscription is not yours.");
    this.name = "NotYourSubscriptionError";
  }
}

async function ownSubscription(db: Db, userId: string, id: string): Promise<SubscriptionRow> {
  const [sub] = await db.select().from(subscriptions).where(and(eq(subscriptions.stripeSubscriptionId, id), eq(subscriptions.userId, userId)));
  if (!sub) throw new NotYourSubscriptionError();
  return sub;
}

/** Whether the save screen may be shown: once, to a paying subscription that is not leaving or paused. */
function mayOfferRetention(sub: SubscriptionRow): boolean {
  return sub.status === "active" && !sub.cancelAtPeriodEnd && sub.cancelAt === null && !sub.collectionPaused && sub.retentionOfferedAt === null;
}

/** The save screen's offer: a pause, or a discount with the renewals it covers in words. */
export type SaveOffer = { kind: "pause"; months: number } | { kind: "discount"; offer: Offer; words: string };
export type CancelScreen = { sub: SubscriptionRow; retention: SaveOffer | null };

/** The retention offer as it would apply to this subscription now; null when a discount would cover no renewal. */
async function saveOfferFor(db: Db, sub: SubscriptionRow, retention: Retention, now: Date): Promise<SaveOffer | null> {
  if (retention.kind === "none") return null;
  if (retention.kind === "pause") return retention;
  const [price] = await db.select().from(planPrices).where(eq(planPrices.stripePriceId, sub.stripePriceId));
  if (!price || !sub.currentPeriodEnd) return null;
  const stripeNow = new Date(now.getTime() + sub.clockOffsetSeconds * 1000);
  const terms = retentionTerms(retention.offer, price, sub.currentPeriodEnd, stripeNow);
  return terms ? { kind: "discount", offer: retention.offer, words: describeRetention(terms, price, sub.clockOffsetSeconds) } : null;
}

/**
 * What the cancel screen shows. Showing the retention offer claims it atomically: a second
 * visit, or a second tab, gets the plain cancel screen.
 */
export async function cancelScreen(db: Db, userId: string, id: string, now = new Date()): Promise<CancelScreen> {
  const sub = await ownSubscription(db, userId, id);
  const retention = mayOfferRetention(sub) ? await saveOfferFor(db, sub, await loadRetention(db), now) : null;
  if (!retention) return { sub, retention: null };
  const claimed = await db
    .update(subscriptions)
    .set({ retentionOfferedAt: new Date() })
    .where(and(eq(subscriptions.stripeSubscriptionId, id), isNull(subscriptions.retentionOfferedAt)))
    .returning({ id: subscriptions.stripeSubscriptionId });
  return { sub, retention: claimed.length === 1 ? retention : null };
}

async function refresh(db: Db, id: string): Promise<void> {
  await db.transaction((tx) => syncSubscription(tx, id, null));
}

export async function cancelAtPeriodEnd(db: Db, userId: string, id: string, reason: keyof typeof CANCEL_REASONS | null): Promise<void> {
  const sub = await ownSubscription(db, userId, id);
  if (sub.status === "canceled") return;
  await stripe().subscriptions.update(id, { cancel_at_period_end: true, ...(reason ? { cancellation_details: { feedback: reason } } : {}) });
  await db.update(subscriptions).set({ cancelReason: reason ?? "none given" }).where(eq(subscriptions.stripeSubscriptionId, id));
  await refresh(db, id);
}

/** "Resume": undoes a cancel at period end, and ends a pause now. */
export async function resumeSubscription(db: Db, userId: string, id: string): Promise<void> {
  const sub = await ownSubscription(db, userId, id);
  if (sub.status === "canceled") return;
  await stripe().subscriptions.update(id, {
    ...(sub.cancelAtPeriodEnd ? { cancel_at_period_end: false } : {}),
    ...(sub.collectionPaused ? { pause_collection: "" } : {}),
  });
  await refresh(db, id);
}

/** "Keep my subscription" on the save screen: the offer shown to this subscription, applied. */
export async function acceptRetention(db: Db, userId: string, id: string, now = new Date()): Promise<boolean> {
  const sub = await ownSubscription(db, userId, id);
  if (sub.retentionOfferedAt === null || sub.status !== "active" || sub.cancelAtPeriodEnd || sub.collectionPaused) return false;
  const retention = await saveOfferFor(db, sub, await loadRetention(db), now);
  if (retention?.kind === "discount") {
    await stripe().subscriptions.update(id, { discounts: [{ coupon: retention.offer.stripeCouponId! }] });
  } else if (retention?.kind === "pause") {
    const stripeNow = new Date(now.getTime() + sub.clockOffsetSeconds * 1000);
    await stripe().subscriptions.update(id, { pause_collection: { behavior: "void", resumes_at: Math.floor(addMonths(stripeNow, retention.months).getTime() / 1000) } });
  } else {
    return false;
  }
  await refresh(db, id);
  return true;
}
