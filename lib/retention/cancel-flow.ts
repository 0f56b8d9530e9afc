import "server-only";
/**
 * Cancelling on our own site (as AB 2863 asks: online, at most one save screen that does not
 * stand in the way): the save offer is made until it is accepted (once per subscription, once
 * per account in 12 months), never to a trial or to a subscription already cancelling or
 * paused; "Cancel anyway" sits on the same screen.
 * Every command acts only on the caller's own subscription, calls Stripe, then copies Stripe's
 * answer into our row (so the page shows the new state at once; the webhook agrees later).
 */
import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { planPrices, subscriptions, type Offer, type SubscriptionRow } from "@/db/schema";
import { billingDay } from "@/lib/billing/billing-day";
import { awaitsPaidPeriod, endPause } from "@/lib/billing/end-pause";
import { pullSubscriptionFromStripe } from "@/lib/billing/pull-subscription";
import { applyCouponInStripe, keepPastPeriodEndInStripe, pauseCollectionInStripe, type CancellationFeedback } from "@/lib/billing/subscription-updates";
import { afterCancellationRecorded, mayCancel, recordCancellation, withdrawPendingCancellation } from "./recorded-cancellation";
import { claimRetention, retentionUsed } from "./retention-claims";
import { loadRetention, type Retention } from "./retention-offer";
import { addMonths, describeRetention, retentionTerms } from "./retention-terms";

export const CANCEL_REASONS = {
  too_expensive: "It costs too much",
  unused: "I don't read it enough",
  low_quality: "The journalism isn't for me",
  switched_service: "I read elsewhere now",
  missing_features: "Something is missing",
  other: "Another reason",
} as const satisfies Partial<Record<CancellationFeedback, string>>;

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

/**
 * Whether the save offer may be made to this subscription: a paying one, not leaving, not
 * paused or waiting to pay after a pause. Whether it was used already is retention-claims.ts's.
 */
function mayOfferRetention(sub: SubscriptionRow): boolean {
  return sub.status === "active" && !sub.cancelAtPeriodEnd && sub.cancelAt === null && !sub.collectionPaused && sub.paidThrough === null && sub.currentPeriodEnd !== null;
}

/** The save screen's offer: a pause, or a discount with the renewals it covers in words. */
export type SaveOffer = { kind: "pause"; months: number; paidThrough: string; resumes: string } | { kind: "discount"; offer: Offer; words: string };
export type CancelScreen = { sub: SubscriptionRow; retention: SaveOffer | null };

/** The retention offer as it would apply to this subscription now; null when a discount would cover no renewal. */
async function saveOfferFor(db: Db, sub: SubscriptionRow, retention: Retention, now: Date): Promise<SaveOffer | null> {
  if (retention.kind === "none") return null;
  if (retention.kind === "pause") {
    if (!sub.currentPeriodEnd) return null;
    const resumes = addMonths(sub.currentPeriodEnd, retention.months);
    return { ...retention, paidThrough: billingDay(sub.currentPeriodEnd, sub.clockOffsetSeconds), resumes: billingDay(resumes, sub.clockOffsetSeconds) };
  }
  // A discount is offered only on the plans it names: off them, Stripe would bill it and the
  // next webhook would take it away again (lib/billing/offer-plans.ts).
  if (sub.planId === null || !retention.offer.planIds.includes(sub.planId)) return null;
  const [price] = await db.select().from(planPrices).where(eq(planPrices.stripePriceId, sub.stripePriceId));
  if (!price || !sub.currentPeriodEnd) return null;
  const stripeNow = new Date(now.getTime() + sub.clockOffsetSeconds * 1000);
  const terms = retentionTerms(retention.offer, price, sub.currentPeriodEnd, stripeNow);
  return terms ? { kind: "discount", offer: retention.offer, words: describeRetention(terms, price, sub.clockOffsetSeconds) } : null;
}

/** What the cancel screen shows. Showing it claims nothing: only accepting does (acceptRetention). */
export async function cancelScreen(db: Db, userId: string, id: string, now = new Date()): Promise<CancelScreen> {
  const sub = await ownSubscription(db, userId, id);
  return { sub, retention: await availableOffer(db, userId, sub, now) };
}

/** The cancel screens of every subscription of the account that may be cancelled now (signed-in /cancel). */
export async function cancelScreens(db: Db, userId: string, now = new Date()): Promise<CancelScreen[]> {
  const own = await db.select().from(subscriptions).where(eq(subscriptions.userId, userId)).orderBy(subscriptions.stripeCreated);
  const open = own.filter(mayCancel);
  return Promise.all(open.map(async (sub) => ({ sub, retention: await availableOffer(db, userId, sub, now) })));
}

/** The save offer this subscription would be shown now, if any. */
async function availableOffer(db: Db, userId: string, sub: SubscriptionRow, now: Date): Promise<SaveOffer | null> {
  if (!mayOfferRetention(sub) || (await retentionUsed(db, userId, sub.stripeSubscriptionId, now))) return null;
  return saveOfferFor(db, sub, await loadRetention(db), now);
}

async function refresh(db: Db, id: string): Promise<void> {
  await db.transaction((tx) => pullSubscriptionFromStripe(tx, id, null));
}

/**
 * "Cancel": recorded with its receipt first, then asked of Stripe (recorded-cancellation.ts), so
 * it holds even while Stripe does not answer. A subscription already ending is left as it is.
 */
export async function cancelAtPeriodEnd(db: Db, userId: string, id: string, reason: keyof typeof CANCEL_REASONS | null, now = new Date()): Promise<void> {
  const sub = await ownSubscription(db, userId, id);
  if (!mayCancel(sub)) return;
  // For the admin's list of cancellations: whether the screen this came from showed the save offer.
  const offered = (await availableOffer(db, userId, sub, now)) !== null;
  const recorded = await db.transaction(async (tx) => {
    const cancellation = await recordCancellation(tx, { sub, userId, via: "account", reason, now });
    if (offered) await tx.update(subscriptions).set({ retentionOfferedAt: now }).where(eq(subscriptions.stripeSubscriptionId, id));
    return cancellation;
  });
  await afterCancellationRecorded(db, recorded, now);
}

/** Whether another of the account's subscriptions renews: then this one may not start renewing too (docs/decisions/0023). */
async function anotherRenews(db: Db, userId: string, id: string): Promise<boolean> {
  const [other] = await db
    .select({ id: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), ne(subscriptions.stripeSubscriptionId, id), inArray(subscriptions.status, ["trialing", "active"]), eq(subscriptions.cancelAtPeriodEnd, false), isNull(subscriptions.cancelAt)))
    .limit(1);
  return !!other;
}

/**
 * "Resume": undoes a cancel at period end, and ends a pause now (a voided period is paid for
 * first: end-pause.ts). A second subscription set not to renew stays so while another renews.
 */
export async function resumeSubscription(db: Db, userId: string, id: string): Promise<"resumed" | "declined" | "already_subscribed"> {
  const sub = await ownSubscription(db, userId, id);
  if (sub.status === "canceled") return "resumed";
  if (sub.cancelAtPeriodEnd) {
    if (await anotherRenews(db, userId, id)) return "already_subscribed";
    await withdrawPendingCancellation(db, id);
    await keepPastPeriodEndInStripe(id);
    await refresh(db, id);
  }
  if (sub.collectionPaused || awaitsPaidPeriod(sub)) return (await endPause(db, id)) === "declined" ? "declined" : "resumed";
  return "resumed";
}

/** What accepting the save offer did: applied, refused as used already, or nothing to apply. */
export type RetentionOutcome = "kept" | "already_used" | "unchanged";

/**
 * "Keep my subscription" on the save screen: the save offer, claimed first (at most once per
 * subscription and once per account in 12 months; retention-claims.ts), then applied in
 * Stripe. A replay or a second tab finds the claim and calls nothing. A pause starts when the
 * paid period ends and lasts the months offered: the renewals inside it are voided.
 */
export async function acceptRetention(db: Db, userId: string, id: string, now = new Date()): Promise<RetentionOutcome> {
  const sub = await ownSubscription(db, userId, id);
  if (await retentionUsed(db, userId, id, now)) return "already_used";
  if (!mayOfferRetention(sub)) return "unchanged";
  const retention = await saveOfferFor(db, sub, await loadRetention(db), now);
  if (!retention) return "unchanged";
  if (!(await claimRetention(db, userId, id, retention.kind, now))) return "already_used";
  if (retention.kind === "discount") {
    await applyCouponInStripe(id, retention.offer.stripeCouponId!);
  } else {
    await pauseCollectionInStripe(id, addMonths(sub.currentPeriodEnd!, retention.months));
  }
  await refresh(db, id);
  return "kept";
}
