import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { giftSubscriptions, plans } from "@/db/schema";
import { createGiftCheckout } from "@/lib/billing/gift-payments";
import { env } from "@/lib/env";
import { hitRateLimits, rateLimitKey } from "@/lib/http/rate-limit";
import type { GiftPurchaseInput } from "./fields";
import { giftPrice, monthsText } from "./pricing";

const HOUR = 3_600_000;

export type GiftPurchaseStart = { ok: true; url: string } | { ok: false; field: "planId" | "form"; message: string };

/**
 * Starts one Checkout payment (mode `payment`, no renewal) for months of an active plan, bought
 * by a signed-in reader with a verified address. The price is ours, from the plan; nothing from
 * the form reaches Stripe unchecked. The gift's row is written once Stripe has made the session;
 * nothing about it reads or mails until the payment is confirmed (settle.ts).
 */
export async function startGiftPurchase(db: Db, buyer: { id: string; email: string }, input: GiftPurchaseInput): Promise<GiftPurchaseStart> {
  const [plan] = await db.select().from(plans).where(and(eq(plans.id, input.planId), eq(plans.active, true)));
  if (!plan) return { ok: false, field: "planId", message: "That plan is not available: choose another." };
  // Each attempt makes a Stripe session: as many an hour per buyer as a browser may start checkouts.
  const limit = await hitRateLimits(db, [{ key: rateLimitKey("gift-checkout", buyer.id), limit: env().CHECKOUT_LIMIT_PER_BROWSER }], HOUR);
  if (!limit.allowed) return { ok: false, field: "form", message: `Too many payments started in the last hour: try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.` };
  const amount = giftPrice(plan, input.months);
  const { SITE_URL, SITE_NAME } = env();
  const description = `Gift subscription: ${monthsText(input.months)} of ${plan.name}`;
  const session = await createGiftCheckout({
    buyer,
    amount,
    currency: plan.currency,
    productName: `${SITE_NAME}: ${description}`,
    description,
    successUrl: `${SITE_URL}/gift/return?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${SITE_URL}/gift`,
  });
  await db.insert(giftSubscriptions).values({
    buyerUserId: buyer.id,
    buyerEmail: buyer.email,
    recipientEmail: input.recipientEmail,
    message: input.message,
    planId: plan.id,
    planName: plan.name,
    months: input.months,
    amount,
    currency: plan.currency,
    deliverOn: input.deliverOn,
    stripeSessionId: session.id,
  });
  return { ok: true, url: session.url };
}
