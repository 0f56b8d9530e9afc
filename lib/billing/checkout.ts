import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutAttempts, offers, plans } from "@/db/schema";
import { recordConversion } from "@/lib/analytics/attribution";
import { recordFunnelEvent } from "@/lib/analytics/funnel";
import type { Touch } from "@/lib/analytics/touch";
import { env } from "@/lib/env";
import { OFFER_METADATA_KEY } from "./checkout-metadata";
import { CONSENT_TERMS_VERSION, consentTerms } from "./consent-terms";
import { ensureCustomer } from "./customers";
import { createPortalUrl } from "./portal";
import { stripe } from "./stripe-client";
import { loadReadingSettings } from "@/lib/settings";
import { mayHaveTrial } from "./eligibility";
import { hasLiveSubscription } from "./live-subscription";

export const CHECKOUT_NONCE_COOKIE = "mh_checkout";
/** Marks a subscription made by our Checkout: its owner is decided by the checkout, not by its customer's email. */
export const CHECKOUT_METADATA_KEY = "masthead_plan_id";

/** An offer to apply at Checkout, already checked by lib/offers: its coupon, or its trial days. */
export interface CheckoutOffer {
  id: number;
  couponId: string | null;
  trialDays: number | null;
  /** The code the reader took it by: what the conversion is credited to. */
  code?: string;
}

export class PlanUnavailableError extends Error {
  constructor() {
    super("That plan is not available.");
    this.name = "PlanUnavailableError";
  }
}

export function hashNonce(nonce: string): string {
  return createHash("sha256").update(nonce).digest("hex");
}

export type CheckoutStart = { kind: "checkout"; url: string; nonce: string } | { kind: "portal"; url: string };

/**
 * Sends a reader to Stripe Checkout for one of our active plans (the plan id is looked up
 * here: nothing from the request reaches Stripe unchecked). A reader with a live subscription
 * goes to the portal instead of a second checkout. A known reader who has had a trial gets none
 * (one per account); an anonymous one is judged when the checkout settles. The nonce binds the
 * checkout to this browser.
 */
export async function startCheckout(
  db: Db,
  input: {
    user: { id: string; email: string | null } | null;
    planId: number;
    returnPath: string;
    offer?: CheckoutOffer | undefined;
    /** The reader's verified attribution touch: the checkout, and the subscription it makes, are credited to it. */
    touch?: Touch | null;
  },
): Promise<CheckoutStart> {
  const [plan] = await db.select().from(plans).where(and(eq(plans.id, input.planId), eq(plans.active, true)));
  if (!plan?.stripePriceId) throw new PlanUnavailableError();
  const { SITE_URL } = env();
  if (input.user && (await hasLiveSubscription(db, input.user.id))) {
    return { kind: "portal", url: await createPortalUrl(db, input.user.id, `${SITE_URL}/account`) };
  }
  const customer = input.user ? await ensureCustomer(db, input.user) : undefined;
  const nonce = randomBytes(32).toString("base64url");
  const { offer } = input;
  const trialAllowed = input.user ? await mayHaveTrial(db, input.user.id, plan.id) : true;
  const trialDays = trialAllowed ? (offer?.trialDays ?? plan.trialDays) : 0;
  const acceptsCodes = (await loadReadingSettings(db)).offers.checkoutAcceptsCodes;
  const [discount] = offer?.couponId
    ? await db.select({ percentOff: offers.percentOff, amountOff: offers.amountOff, duration: offers.duration, durationMonths: offers.durationMonths }).from(offers).where(eq(offers.id, offer.id))
    : [];
  // The terms, shown on the Checkout page above Pay and kept as the consent record when it is paid.
  const terms = consentTerms({ planName: plan.name, amount: plan.amount, currency: plan.currency, interval: plan.interval, trialDays, discount: discount ?? null, cancelUrl: `${SITE_URL}/cancel` });
  const session = await stripe().checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: plan.stripePriceId, quantity: 1 }],
    ...(customer ? { customer } : {}),
    ...(input.user ? { client_reference_id: input.user.id } : {}),
    metadata: { masthead_plan_id: String(plan.id), masthead_nonce_hash: hashNonce(nonce) },
    subscription_data: {
      ...(trialDays > 0 ? { trial_period_days: trialDays } : {}),
      metadata: { [CHECKOUT_METADATA_KEY]: String(plan.id), ...(offer ? { [OFFER_METADATA_KEY]: String(offer.id) } : {}) },
    },
    // An offer's coupon is applied for the reader (our checks passed); otherwise, if the publisher
    // allows it, they may type a code (Stripe allows one or the other).
    ...(offer?.couponId ? { discounts: [{ coupon: offer.couponId }] } : acceptsCodes ? { allow_promotion_codes: true } : {}),
    custom_text: { submit: { message: terms } },
    success_url: `${SITE_URL}/subscribe/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: new URL(input.returnPath, SITE_URL).toString(),
  });
  if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
  // The attempt and what it is credited to, together: the subscription inherits the credit when it settles.
  await db.transaction(async (tx) => {
    await tx.insert(checkoutAttempts).values({
      stripeSessionId: session.id,
      nonceHash: hashNonce(nonce),
      userId: input.user?.id ?? null,
      planId: plan.id,
      returnPath: input.returnPath,
      termsText: terms,
      termsVersion: CONSENT_TERMS_VERSION,
    });
    await recordConversion(tx, "checkout_started", { touch: input.touch ?? null, userId: input.user?.id ?? null, offerCode: offer?.code ?? null, checkoutSessionId: session.id });
  });
  recordFunnelEvent("checkout_started", { userId: input.user?.id });
  return { kind: "checkout", url: session.url, nonce };
}
