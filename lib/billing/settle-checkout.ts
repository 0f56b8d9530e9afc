import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { checkoutAttempts, consentRecords, type SubscriptionRow } from "@/db/schema";
import { creditSubscription } from "@/lib/analytics/attribution";
import { recordFunnelEvent } from "@/lib/analytics/funnel";
import { recordCheckoutMail } from "./checkout-mail";
import { accountForEmail, linkCustomer } from "./customers";
import { stripe } from "./stripe-client";
import { checkoutSessionCopy, type CheckoutSessionCopy } from "./stripe-rows";
import { termsHash } from "./consent-terms";
import { lockSubscription, pullSubscriptionFromStripe } from "./pull-subscription";
import { enforceCheckoutTerms, type CheckoutTerms } from "./checkout-terms";

export type CheckoutAttempt = typeof checkoutAttempts.$inferSelect;

export interface SettledCheckout {
  attempt: CheckoutAttempt | null;
  /** Whose subscription it is; null while Stripe has no email for an anonymous checkout. */
  ownerUserId: string | null;
  /** Set when this checkout created the owner's account: the only case a payment may sign in. */
  createdByThisCheckout: boolean;
  subscription: SubscriptionRow | null;
  /** What the settlement changed about the checkout's terms, and the billing mail it recorded. */
  terms: Pick<CheckoutTerms, "reasons" | "mails">;
  /** All the billing mail recorded (the terms' notice, the owner's sign-in link), to deliver once the transaction commits. */
  mails: number;
}

/** Stripe's checkout session as it is now: fetched before the transaction that settles it opens. */
export async function fetchCheckoutSession(sessionId: string): Promise<CheckoutSessionCopy> {
  return checkoutSessionCopy(await stripe().checkout.sessions.retrieve(sessionId));
}

/**
 * A checkout finished; the webhook and the return page both come here, in either order, and
 * agree (the attempt row is locked, and the owner is decided once and stored on it). The
 * subscription goes to the signed-in reader who started the checkout, else to the account of
 * the email typed at Checkout, created unverified if the address had none. Typing an address
 * proves nothing, so it may give that account a subscription but never its sign-in. The
 * checkout's terms (a second subscription, a trial, a new-customer offer) are then judged for
 * that account (checkout-terms.ts). An account that existed gets a sign-in link at its own
 * address, recorded here by whichever path settles the paid checkout first, so it goes out even
 * if the buyer never comes back.
 */
export async function settleCheckoutSession(tx: Tx, session: CheckoutSessionCopy, stripeNow: number): Promise<SettledCheckout> {
  const { subscriptionId, customerId, email } = session;
  // Linking the customer writes the subscription's row: lock it first, in the order pullSubscriptionFromStripe does.
  if (subscriptionId) await lockSubscription(tx, subscriptionId);
  const [attempt] = await tx.select().from(checkoutAttempts).where(eq(checkoutAttempts.stripeSessionId, session.id)).for("update");
  const owner = attempt ? await settleOwner(tx, attempt, email) : email ? { userId: (await accountForEmail(tx, email)).userId, created: false } : null;
  if (customerId && owner) await linkCustomer(tx, customerId, owner.userId);
  let subscription = subscriptionId ? await pullSubscriptionFromStripe(tx, subscriptionId, stripeNow) : null;
  let terms: SettledCheckout["terms"] = { reasons: [], mails: 0 };
  if (attempt && owner && subscription && session.complete) {
    ({ subscription, ...terms } = await enforceCheckoutTerms(tx, subscription, owner.userId, stripeNow));
  }
  if (attempt && owner && subscriptionId && session.complete) await recordConsent(tx, attempt, subscriptionId, owner.userId);
  if (attempt && !attempt.completedAt && session.complete) {
    await tx.update(checkoutAttempts).set({ completedAt: new Date() }).where(eq(checkoutAttempts.stripeSessionId, session.id));
    await creditSubscription(tx, session.id, owner?.userId ?? null);
    recordFunnelEvent("subscribed", { userId: owner?.userId });
  }
  // Started signed out and paid for an account that existed: its owner is told at its own address.
  const paid = session.complete && subscription !== null && subscription.status !== "incomplete";
  const linkForOwner = attempt && attempt.userId === null && owner && !owner.created && paid;
  const linkMails = linkForOwner && (await recordCheckoutMail(tx, attempt, owner.userId, "sign-in-link")) ? 1 : 0;
  return { attempt: attempt ?? null, ownerUserId: owner?.userId ?? null, createdByThisCheckout: owner?.created ?? false, subscription, terms, mails: terms.mails + linkMails };
}

/** The attempt's owner, decided the first time and kept, so a replay or the other path finds the same answer. */
async function settleOwner(tx: Tx, attempt: CheckoutAttempt, email: string | null): Promise<{ userId: string; created: boolean } | null> {
  if (attempt.ownerUserId) return { userId: attempt.ownerUserId, created: attempt.createdUserId === attempt.ownerUserId };
  const owner = attempt.userId ? { userId: attempt.userId, created: false } : email ? await accountForEmail(tx, email) : null;
  if (!owner) return null;
  await tx
    .update(checkoutAttempts)
    .set({ ownerUserId: owner.userId, createdUserId: owner.created ? owner.userId : null })
    .where(eq(checkoutAttempts.stripeSessionId, attempt.stripeSessionId));
  return owner;
}

/** The terms this checkout showed, kept with the subscription it made (once: a replay finds it). */
async function recordConsent(tx: Tx, attempt: CheckoutAttempt, subscriptionId: string, userId: string): Promise<void> {
  if (!attempt.termsText || !attempt.termsVersion) return;
  await tx
    .insert(consentRecords)
    .values({
      stripeSubscriptionId: subscriptionId,
      userId,
      stripeCheckoutSessionId: attempt.stripeSessionId,
      planId: attempt.planId,
      termsText: attempt.termsText,
      termsVersion: attempt.termsVersion,
      termsHash: termsHash(attempt.termsText),
      shownAt: attempt.createdAt,
      acceptedAt: attempt.completedAt ?? new Date(),
    })
    .onConflictDoNothing();
}
