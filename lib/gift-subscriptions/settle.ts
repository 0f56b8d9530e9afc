import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { giftSubscriptions, type GiftSubscription } from "@/db/schema";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { formatMoney } from "@/lib/billing/money";
import { fetchCheckoutSession } from "@/lib/billing/settle-checkout";
import type { CheckoutSessionCopy } from "@/lib/billing/stripe-rows";
import { env } from "@/lib/env";
import { giftReceiptEmail } from "@/lib/mail/templates/gift-subscription";
import { deliverGiftsSoon } from "./redeem-link";

export type GiftSettlement = { found: false } | { found: true; gift: GiftSubscription; mails: number };

/**
 * A gift's Checkout session as Stripe has it now (the webhook's refetch, or the return page's):
 * once it is complete and paid in full, the gift is paid (once; a replay changes nothing) and the
 * buyer's receipt is recorded. The success redirect alone never gets here without Stripe's copy.
 */
export async function settleGiftCheckout(tx: Tx, session: CheckoutSessionCopy, now: Date): Promise<GiftSettlement> {
  const [gift] = await tx.select().from(giftSubscriptions).where(eq(giftSubscriptions.stripeSessionId, session.id)).for("update");
  if (!gift) return { found: false };
  if (gift.paidAt || !session.complete || session.paymentStatus !== "paid" || !session.paymentIntentId) return { found: true, gift, mails: 0 };
  if (session.amountTotal !== gift.amount || session.currency !== gift.currency) {
    // Not what we priced: the gift stays unpaid (and reads nothing) until an admin looks.
    throw new Error(`Gift subscription #${gift.id}: Stripe charged ${session.amountTotal} ${session.currency}, expected ${gift.amount} ${gift.currency}`);
  }
  const [paid] = await tx
    .update(giftSubscriptions)
    .set({ paidAt: now, stripePaymentIntentId: session.paymentIntentId })
    .where(eq(giftSubscriptions.id, gift.id))
    .returning();
  const { SITE_NAME } = env();
  const recorded = await recordBillingMail(
    tx,
    `gift_subscription_receipt:${gift.id}`,
    gift.buyerUserId,
    giftReceiptEmail({ to: gift.buyerEmail, siteName: SITE_NAME, planName: gift.planName, months: gift.months, recipientEmail: gift.recipientEmail, paid: formatMoney(gift.amount, gift.currency), deliverOn: gift.deliverOn, giftId: gift.id }),
  );
  return { found: true, gift: paid!, mails: recorded ? 1 : 0 };
}

/** The return page's view: the session fetched from Stripe and settled, for its buyer only. Null when it is not theirs. */
export async function settleGiftReturn(db: Db, sessionId: string, buyerUserId: string, now: Date): Promise<GiftSubscription | null> {
  const [mine] = await db.select({ buyer: giftSubscriptions.buyerUserId }).from(giftSubscriptions).where(eq(giftSubscriptions.stripeSessionId, sessionId));
  if (!mine || mine.buyer !== buyerUserId) return null;
  const session = await fetchCheckoutSession(sessionId);
  const settled = await db.transaction((tx) => settleGiftCheckout(tx, session, now));
  if (!settled.found) return null;
  if (settled.mails > 0) deliverBillingMailsSoon(db);
  if (settled.gift.paidAt) deliverGiftsSoon(db);
  return settled.gift;
}
